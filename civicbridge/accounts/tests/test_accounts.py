import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def sign_in(client, email, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_sign_in_with_email_and_password(client, world):
    response = sign_in(client, "lead@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("collaborations:home")
    assert client.get("/").context["user"] == world.civic_lead


@pytest.mark.django_db
def test_wrong_password_says_so_plainly(client, world):
    response = sign_in(client, "lead@example.org", "wrong")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "error-summary" in response.content.decode()


@pytest.mark.django_db
def test_repeated_failures_lock_the_user_from_that_address(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lead@example.org", "wrong")
    response = sign_in(client, "lead@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    # The right password from another address still works: the lock is per user and address.
    assert sign_in(client, "lead@example.org", PASSWORD, address="10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_lockout_lifts_after_the_cool_off(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lead@example.org", "wrong")
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    with time_machine.travel(later):
        assert sign_in(client, "lead@example.org", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_failures_below_the_limit_do_not_lock(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "lead@example.org", "wrong")
    assert sign_in(client, "lead@example.org", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_sign_out_needs_a_post(client_for, world):
    client = client_for(world.civic_lead)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/organisations/").status_code == 302


@pytest.mark.django_db
def test_password_reset_by_email(client, world):
    client.post("/accounts/password/reset/", {"email": "lead@example.org"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lead@example.org"]
    found = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", str(message.body))
    assert found, message.body
    link = found.group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "a new and longer passphrase"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    client.logout()
    assert sign_in(client, "lead@example.org", new).status_code == 302


@pytest.mark.django_db
def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(client, world):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_change(client_for, world):
    client = client_for(world.official)
    new = "another long passphrase"
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    world.official.refresh_from_db()
    assert world.official.check_password(new)


def test_passwords_are_hashed_with_argon2():
    from civicbridge import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
