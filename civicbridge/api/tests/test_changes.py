"""Changing and removing a collaboration's records through the API, by the web's rules."""

from datetime import timedelta

from django.utils import timezone

from civicbridge.collaborations.models import (
    Activity,
    Agreement,
    Collaboration,
    CreditStatement,
    Obligation,
    Signature,
    Stakeholder,
    Successor,
)
from civicbridge.collaborations.services import agreement, credit, goals, handover, people
from tests.factories import PASSWORD, CollaborationFactory

from .helpers import add_obligation, collaboration_url, patch_json, post_json


def close(collaboration) -> None:
    Collaboration.objects.filter(pk=collaboration.pk).update(stage="closed")


def proposed_by_the_civic_lead(world, fellowship) -> None:
    """Record who proposed it, as `create_collaboration` does and the factory does not."""
    Collaboration.objects.filter(pk=fellowship.pk).update(created_by=world.civic_lead)


def test_changing_the_details_keeps_the_fields_left_out(world, fellowship, client_for):
    proposed_by_the_civic_lead(world, fellowship)
    kept = ("start_date", "end_date", "checkin_every_days", "institution_id")
    before = [getattr(fellowship, name) for name in kept]
    url = collaboration_url(fellowship)
    changed = patch_json(client_for(world.fellow), url, {"title": "Permits", "public": True})
    assert changed.status_code == 200, changed.content
    fellowship.refresh_from_db()
    assert (fellowship.title, fellowship.public) == ("Permits", True)
    assert [getattr(fellowship, name) for name in kept] == before
    assert list(fellowship.departments.all()) == [world.department]
    assert Activity.objects.filter(message__contains="changed the collaboration's details")
    # The institution's official changes them too; the stage is not theirs to set here.
    official = patch_json(client_for(world.official), url, {"stage": "closed", "summary": "New"})
    assert official.status_code == 200 and official.json()["stage"] == "proposed"


def test_details_are_refused_as_on_the_web_form(world, fellowship, client_for):
    proposed_by_the_civic_lead(world, fellowship)
    url = collaboration_url(fellowship)
    client = client_for(world.civic_lead)
    before = fellowship.end_date
    backwards = patch_json(client, url, {"end_date": str(fellowship.start_date - timedelta(1))})
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "end_date"
    civic = patch_json(client, url, {"institution": world.civic.pk})
    assert civic.status_code == 422 and civic.json()["errors"][0]["field"] == "institution"
    assert patch_json(client, url, {"title": None}).status_code == 422
    fellowship.refresh_from_db()
    assert fellowship.end_date == before and fellowship.institution == world.institution
    assert patch_json(client_for(world.admin), url, {"title": "x"}).status_code == 403
    assert patch_json(client_for(world.outsider), url, {"title": "x"}).status_code == 404
    assert patch_json(client_for(None), url, {"title": "x"}).status_code == 401


def sign_for_the_civic_side(world, fellowship) -> Signature:
    version = Agreement.objects.get(collaboration=fellowship).version
    return agreement.sign_agreement(
        world.civic_lead, fellowship, version=version, password=PASSWORD
    )


def test_changing_the_terms_makes_a_version_and_voids_signatures(world, fellowship, client_for):
    url = collaboration_url(fellowship, "/agreement")
    client = client_for(world.official)
    assert client.get(url).json() == {"version": 0, "purpose": "", "terms": ""}
    written = patch_json(client, url, {"purpose": "Open the permit data."})
    assert written.status_code == 200 and written.json()["version"] == 1
    add_obligation(world, fellowship)
    signature = sign_for_the_civic_side(world, fellowship)
    changed = patch_json(client, url, {"terms": "Either side may end it."})
    assert changed.status_code == 200, changed.content
    assert changed.json() == {
        "version": 3,
        "purpose": "Open the permit data.",
        "terms": "Either side may end it.",
    }
    signature.refresh_from_db()
    assert signature.voided_at is not None
    versions = client.get(f"{url}/versions").json()["items"]
    assert [v["number"] for v in versions] == [1, 2, 3]
    assert versions[-1]["content"]["terms"] == "Either side may end it."


def test_terms_of_a_closed_collaboration_stay_as_they_stood(world, fellowship, client_for):
    url = collaboration_url(fellowship, "/agreement")
    patch_json(client_for(world.civic_lead), url, {"purpose": "Work together."})
    close(fellowship)
    refused = patch_json(client_for(world.civic_lead), url, {"purpose": "Something else."})
    assert refused.status_code == 422 and "closed" in refused.json()["detail"]
    assert Agreement.objects.get(collaboration=fellowship).purpose == "Work together."
    assert patch_json(client_for(world.civic_lead), url, {"terms": 7}).status_code == 422
    assert patch_json(client_for(world.admin), url, {"terms": "x"}).status_code == 403
    assert patch_json(client_for(world.outsider), url, {"terms": "x"}).status_code == 404
    assert client_for(world.outsider).get(f"{url}/versions").status_code == 404


def test_changing_an_obligation_voids_signatures(world, fellowship, client_for):
    obligation = add_obligation(world, fellowship)
    signature = sign_for_the_civic_side(world, fellowship)
    url = collaboration_url(fellowship, f"/obligations/{obligation.pk}")
    changed = patch_json(client_for(world.fellow), url, {"due_date": "2031-01-31"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["due_date"] == "2031-01-31"
    assert changed.json()["description"] == "Provide a desk."
    signature.refresh_from_db()
    assert signature.voided_at is not None
    assert Agreement.objects.get(collaboration=fellowship).version == 2
    # The owner answers for their side: the civic lead is not the institution's.
    wrong = patch_json(client_for(world.fellow), url, {"owner": world.civic_lead.person.pk})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "owner"
    assert Obligation.objects.get().owner == world.official.person
    assert patch_json(client_for(world.admin), url, {"description": "x"}).status_code == 403
    assert patch_json(client_for(world.outsider), url, {"description": "x"}).status_code == 404


def test_removing_an_obligation_is_a_change_of_terms(world, fellowship, client_for):
    obligation = add_obligation(world, fellowship)
    url = collaboration_url(fellowship, f"/obligations/{obligation.pk}")
    assert client_for(world.admin).delete(url).status_code == 403
    assert client_for(world.outsider).delete(url).status_code == 404
    assert client_for(None).delete(url).status_code == 401
    removed = client_for(world.official).delete(url)
    assert removed.status_code == 204 and not Obligation.objects.exists()
    assert Agreement.objects.get(collaboration=fellowship).version == 2
    assert client_for(world.official).delete(url).status_code == 404


def test_obligations_of_a_closed_collaboration_stay(world, fellowship, client_for):
    obligation = add_obligation(world, fellowship)
    close(fellowship)
    url = collaboration_url(fellowship, f"/obligations/{obligation.pk}")
    assert client_for(world.official).delete(url).status_code == 422
    assert patch_json(client_for(world.official), url, {"description": "x"}).status_code == 422
    assert Obligation.objects.get().description == "Provide a desk."


def test_removing_a_stakeholder(world, fellowship, client_for):
    stakeholder = people.add_stakeholder(
        world.official, fellowship, person=world.official.person, role="champion"
    )
    url = collaboration_url(fellowship, f"/stakeholders/{stakeholder.pk}")
    assert client_for(world.admin).delete(url).status_code == 403
    assert client_for(world.outsider).delete(url).status_code == 404
    assert client_for(None).delete(url).status_code == 401
    assert client_for(world.fellow).delete(url).status_code == 204
    assert not Stakeholder.objects.exists()
    assert Activity.objects.filter(message__contains="removed Sam Official as champion")
    assert client_for(world.fellow).delete(url).status_code == 404


def test_only_the_side_that_set_a_goal_changes_it(world, fellowship, client_for):
    goal = goals.add_goal(world.civic_lead, fellowship, kind="own", title="Faster permits")
    hidden = goals.add_goal(world.official, fellowship, kind="own", title="Ours", visibility="own")
    url = collaboration_url(fellowship, f"/goals/{goal.pk}")
    changed = patch_json(client_for(world.fellow), url, {"title": "Permits in a day"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["kind"] == "own" and changed.json()["visibility"] == "both"
    assert patch_json(client_for(world.official), url, {"title": "x"}).status_code == 403
    assert patch_json(client_for(world.fellow), url, {"kind": "nonsense"}).status_code == 422
    assert patch_json(client_for(world.outsider), url, {"title": "x"}).status_code == 404
    other = collaboration_url(fellowship, f"/goals/{hidden.pk}")
    assert patch_json(client_for(world.civic_lead), other, {"title": "x"}).status_code == 404
    goal.refresh_from_db()
    assert goal.title == "Permits in a day"


def test_changing_and_removing_a_successor(world, fellowship, client_for):
    successor = handover.add_successor(
        world.official, fellowship, person=world.official.person, takes_over="The code"
    )
    url = collaboration_url(fellowship, f"/successors/{successor.pk}")
    trained = patch_json(client_for(world.civic_lead), url, {"training_status": "trained"})
    assert trained.status_code == 200, trained.content
    assert trained.json() == {
        "id": successor.pk,
        "person_id": world.official.person.pk,
        "takes_over": "The code",
        "training_status": "trained",
    }
    assert (
        patch_json(client_for(world.civic_lead), url, {"training_status": "guru"}).status_code
        == 422
    )
    assert patch_json(client_for(world.admin), url, {"takes_over": "x"}).status_code == 403
    assert client_for(world.outsider).delete(url).status_code == 404
    assert client_for(world.official).delete(url).status_code == 204
    assert not Successor.objects.exists()


def test_the_handover_plan_of_a_closed_collaboration_stays(world, fellowship, client_for):
    successor = handover.add_successor(world.official, fellowship, person=world.official.person)
    task = handover.add_task(world.official, fellowship, title="Document the tool")
    handover.complete_task(world.official, task)
    close(fellowship)
    client = client_for(world.official)
    successor_url = collaboration_url(fellowship, f"/successors/{successor.pk}")
    assert patch_json(client, successor_url, {"takes_over": "All"}).status_code == 422
    assert client.delete(successor_url).status_code == 422
    reopen = collaboration_url(fellowship, f"/handover-tasks/{task.pk}/reopen")
    assert post_json(client, reopen).status_code == 422
    assert Successor.objects.get().takes_over == ""
    task.refresh_from_db()
    assert task.done_on is not None


def test_reopening_a_handover_task(world, fellowship, client_for):
    task = handover.add_task(world.official, fellowship, title="Document the tool")
    handover.complete_task(world.official, task)
    url = collaboration_url(fellowship, f"/handover-tasks/{task.pk}/reopen")
    assert post_json(client_for(world.admin), url).status_code == 403
    assert post_json(client_for(world.outsider), url).status_code == 404
    assert post_json(client_for(None), url).status_code == 401
    reopened = post_json(client_for(world.civic_lead), url)
    assert reopened.status_code == 200 and reopened.json()["done_on"] is None
    missing = collaboration_url(fellowship, f"/handover-tasks/{task.pk + 1000}/reopen")
    assert post_json(client_for(world.civic_lead), missing).status_code == 404


def published_statement(world, fellowship) -> CreditStatement:
    statement = credit.draft_credit(
        world.fellow, fellowship, text="Thanks to Testshire.", government_contribution="A team."
    )
    credit.approve_credit(world.official, statement)
    return credit.approve_credit(world.civic_lead, statement)


def test_changing_a_credit_statement_withdraws_both_approvals(world, fellowship, client_for):
    statement = published_statement(world, fellowship)
    assert statement.published
    url = collaboration_url(fellowship, f"/credit-statements/{statement.pk}")
    assert patch_json(client_for(world.fellow), url, {"text": ""}).status_code == 422
    assert patch_json(client_for(world.admin), url, {"text": "x"}).status_code == 403
    assert patch_json(client_for(world.outsider), url, {"text": "x"}).status_code == 404
    changed = patch_json(client_for(world.fellow), url, {"text": "Thanks to the council."})
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["published"] is False and body["government_contribution"] == "A team."
    assert body["civic_approved_at"] is None and body["institution_approved_at"] is None


def test_withdrawing_an_approval_unpublishes(world, fellowship, client_for):
    statement = published_statement(world, fellowship)
    url = collaboration_url(fellowship, f"/credit-statements/{statement.pk}/approvals")
    # Approving speaks for the organisation in public: only its admins withdraw it.
    assert client_for(world.fellow).delete(url).status_code == 403
    assert client_for(world.outsider).delete(url).status_code == 404
    assert client_for(None).delete(url).status_code == 401
    withdrawn = client_for(world.official).delete(url)
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["published"] is False
    assert withdrawn.json()["institution_approved_at"] is None
    assert withdrawn.json()["civic_approved_at"] is not None


def test_a_reform_only_moves_forward(world, fellowship, client_for):
    reform = credit.ask_reform(world.civic_lead, fellowship, title="Open the permit data")
    url = collaboration_url(fellowship, f"/reforms/{reform.pk}")
    client = client_for(world.civic_lead)
    agreed = patch_json(client, url, {"status": "agreed", "champions": [world.official.person.pk]})
    assert agreed.status_code == 200, agreed.content
    body = agreed.json()
    assert body["agreed_on"] == str(timezone.localdate()) and body["title"] == reform.title
    assert body["champion_ids"] == [world.official.person.pk]
    back = patch_json(client, url, {"status": "asked"})
    assert back.status_code == 422 and back.json()["errors"][0]["field"] == "status"
    civic = patch_json(client, url, {"champions": [world.civic_lead.person.pk]})
    assert civic.status_code == 422 and civic.json()["errors"][0]["field"] == "champions"
    # Only the side that asked for it changes it.
    assert patch_json(client_for(world.official), url, {"title": "x"}).status_code == 403
    assert patch_json(client_for(world.outsider), url, {"title": "x"}).status_code == 404
    reform.refresh_from_db()
    assert reform.status == "agreed" and list(reform.champions.all()) == [world.official.person]


def test_change_routes_answer_404_for_records_of_another_collaboration(
    world, fellowship, client_for
):
    other = CollaborationFactory.create(
        civic_organisation=world.civic, institution=world.institution
    )
    obligation = add_obligation(world, fellowship)
    url = collaboration_url(other, f"/obligations/{obligation.pk}")
    assert client_for(world.civic_lead).delete(url).status_code == 404
    assert Obligation.objects.exists()
