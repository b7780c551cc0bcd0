"""Policy development through the API: the same forms and services as the pages."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicbridge.api.tests.helpers import collaboration_url, patch_json, post_json
from civicbridge.collaborations.choices import Completion
from civicbridge.policy import services
from civicbridge.policy.choices import PolicyStage
from civicbridge.policy.models import PolicyChange

from .conftest import days_ago, record_change


def test_a_change_is_recorded_moved_and_a_stale_move_answers_409(policy, world, client_for):
    client = client_for(world.civic_lead)
    created = post_json(
        client,
        collaboration_url(policy, "/policy-changes"),
        {
            "title": "Allow challenge-based procurement",
            "instrument": "procurement_rule",
            "deciding_body": "Ministry of Finance",
            "proposed_change": "Up to 200,000.",
            "on": str(days_ago(10)),
            "source_text": "Draft circulated to the working group.",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["stage"] == "draft" and body["stages"][0]["from_stage"] == ""
    url = collaboration_url(policy, f"/policy-changes/{body['id']}/stages")
    move = {
        "from_stage": "draft",
        "stage": "consultation",
        "on": str(days_ago(5)),
        "source_url": "https://example.org/consultation",
    }
    assert post_json(client, url, move).status_code == 201
    again = post_json(client, url, move)
    assert again.status_code == 409, again.content
    assert PolicyChange.objects.get().stages.count() == 2


def test_a_change_without_a_source_is_refused(policy, world, client_for):
    response = post_json(
        client_for(world.civic_lead),
        collaboration_url(policy, "/policy-changes"),
        {
            "title": "A change",
            "instrument": "law",
            "deciding_body": "Parliament",
            "proposed_change": "Something.",
            "on": str(days_ago(1)),
        },
    )
    assert response.status_code == 422
    assert not PolicyChange.objects.exists()


def test_an_outsider_does_not_find_the_collaboration(policy, world, client_for):
    response = client_for(world.outsider).get(collaboration_url(policy, "/commitments"))
    assert response.status_code == 404


def test_a_commitment_is_added_assessed_and_a_stale_assessment_answers_409(
    policy, world, client_for
):
    client = client_for(world.official)
    created = post_json(
        client,
        collaboration_url(policy, "/commitments"),
        {
            "title": "Open the budget",
            "identifier": "TS01",
            "lead_institution": world.institution.pk,
        },
    )
    assert created.status_code == 201, created.content
    commitment = created.json()
    assert commitment["institutions"] == [
        {"role": "lead", "name": "Testshire Council", "organisation_id": world.institution.pk}
    ]
    url = collaboration_url(policy, f"/commitments/{commitment['id']}/assessments")
    assess = {
        "from_completion": "not_started",
        "completion": "limited",
        "practice_change": "marginal",
        "on": str(days_ago(1)),
        "evidence": "A first page is online.",
    }
    assert post_json(client, url, assess).status_code == 201
    assert post_json(client, url, assess).status_code == 409
    detail = client.get(collaboration_url(policy, f"/commitments/{commitment['id']}")).json()
    assert detail["completion"] == Completion.LIMITED and len(detail["assessments"]) == 1
    renamed = patch_json(
        client,
        collaboration_url(policy, f"/commitments/{commitment['id']}"),
        {"short_title": "Budget"},
    )
    assert renamed.status_code == 200 and renamed.json()["title"] == "Open the budget"


def test_a_milestone_is_added_and_done(policy, world, client_for):
    commitment = services.save_commitment(world.civic_lead, policy, title="Open the budget")
    client = client_for(world.civic_lead)
    base = collaboration_url(policy, f"/commitments/{commitment.pk}/milestones")
    made = post_json(client, base, {"title": "Online", "due_on": str(days_ago(-5))})
    assert made.status_code == 201
    done = patch_json(client, f"{base}/{made.json()['id']}", {"done_on": str(days_ago(0))})
    assert done.status_code == 200 and done.json()["done_on"] == str(days_ago(0))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _commitments(world, policy, count: int) -> None:
    for n in range(count):
        commitment = services.save_commitment(
            world.civic_lead,
            policy,
            title=f"Commitment {n}",
            lead_institution=world.institution,
            supporting_institutions=[world.other],
        )
        services.add_milestone(world.civic_lead, commitment, title="Step", due_on=days_ago(3))


def test_the_commitment_lists_make_as_many_queries_for_ten_times_the_data(
    policy, world, client_for
):
    client = client_for(world.official)
    _commitments(world, policy, 3)
    page_url = f"/collaborations/{policy.pk}/policy/commitments/"
    api_url = collaboration_url(policy, "/commitments")
    few = (_queries(client, page_url), _queries(client, api_url))
    _commitments(world, policy, 27)
    assert (_queries(client, page_url), _queries(client, api_url)) == few


def test_the_policy_change_lists_make_as_many_queries_for_ten_times_the_data(
    policy, world, client_for
):
    client = client_for(world.official)
    for n in range(3):
        record_change(world.civic_lead, policy, title=f"Change {n}")
    urls = (
        f"/collaborations/{policy.pk}/policy/changes/",
        f"/collaborations/{policy.pk}/policy/consultation/",
        collaboration_url(policy, "/policy-changes"),
        collaboration_url(policy, "/consultation-responses"),
    )
    few = [_queries(client, url) for url in urls]
    for n in range(3, 30):
        change = record_change(world.civic_lead, policy, title=f"Change {n}")
        services.add_response(
            world.civic_lead, change, title="Ours", submitted_on=days_ago(1), summary="Yes."
        )
    assert [_queries(client, url) for url in urls] == few
    assert PolicyChange.objects.filter(stage=PolicyStage.DRAFT).count() == 30
