def test_world_builds(world, client_for):
    response = client_for(world.civic_lead).get(world.civic.get_absolute_url())
    assert response.status_code == 200
    assert b"Code for Testing" in response.content


def test_mail_outbox(client, world):
    from django.core import mail

    client.post("/accounts/password/reset/", {"email": "lead@example.org"})
    assert len(mail.outbox) == 1
