"""The engagement through the API: the same rules as the pages, 409 for a move from a state
left, and lists that cost the same at ten times the records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicbridge.consulting.models import AdoptionUpdate
from tests.factories import DeliverableFactory, RecommendationFactory

from .conftest import pdf

V1 = "/api/v1/consulting"


def _json(client, method, url, body):
    return getattr(client, method)(url, body, content_type="application/json")


def test_scope_and_questions_round_trip(consulting, world, client_for):
    client = client_for(world.official)
    url = f"{V1}/{consulting.pk}"
    assert client.get(url).status_code == 404
    body = {"scope": "Permits.", "questions": ["Which data?", "Who asks for it?"]}
    assert _json(client, "put", url, body).json()["questions"] == body["questions"]
    assert client.get(url).json()["scope"] == "Permits."
    two_lines = {"scope": "Permits.", "questions": ["Which data?\nWho asks?"]}
    assert _json(client, "put", url, two_lines).status_code == 422


def test_a_deliverable_from_submission_to_acceptance(consulting, world, client_for):
    civic = client_for(world.civic_lead)
    created = _json(
        civic,
        "post",
        f"{V1}/{consulting.pk}/deliverables",
        {"title": "Review", "kind": "review", "due_on": "2030-01-31"},
    )
    assert created.status_code == 201 and created.json()["status"] == "planned"
    url = f"{V1}/{consulting.pk}/deliverables/{created.json()['id']}"
    sent = civic.post(f"{url}/versions", {"from_status": "planned", "file": pdf()})
    assert sent.status_code == 201 and sent.json()["number"] == 1
    official = client_for(world.official)
    resend = {"from_status": "submitted", "file": pdf()}
    assert official.post(f"{url}/versions", resend).status_code == 403
    civic = client_for(world.civic_lead)
    assert _json(civic, "post", f"{url}/accept", {"from_status": "submitted"}).status_code == 403
    official = client_for(world.official)
    accepted = _json(official, "post", f"{url}/accept", {"from_status": "submitted"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = _json(official, "post", f"{url}/accept", {"from_status": "submitted"})
    assert again.status_code == 409
    assert again.json()["errors"][0]["current"] == "accepted"
    versions = official.get(f"{url}/versions").json()["items"]
    assert [(v["number"], v["decision"]) for v in versions] == [(1, "accepted")]


def test_asking_for_changes_without_a_comment_is_refused(submitted, world, client_for):
    url = f"{V1}/{submitted.collaboration_id}/deliverables/{submitted.pk}/changes"
    client = client_for(world.official)
    assert _json(client, "post", url, {"from_status": "submitted"}).status_code == 422
    response = _json(client, "post", url, {"from_status": "submitted", "comment": "Add fees."})
    assert response.json()["status"] == "changes_asked"


def test_an_adoption_update_is_dated_and_named(recommendation, world, client_for):
    url = f"{V1}/{recommendation.collaboration_id}/recommendations/{recommendation.pk}/updates"
    client = client_for(world.official)
    body = {"completion": "limited", "practice_change": "marginal", "evidence": ""}
    assert _json(client, "post", url, body).status_code == 422
    body["evidence_url"] = "https://data.example.org/permits"
    created = _json(client, "post", url, body)
    assert created.status_code == 201
    assert created.json()["recorded_by_id"] == world.official.pk
    assert created.json()["side_id"] == world.institution.pk
    assert client_for(world.civic_lead).get(url).json()["items"][0]["completion"] == "limited"
    assert AdoptionUpdate.objects.count() == 1


def test_the_routes_are_a_consulting_collaborations_only(fellowship, world, client_for):
    assert client_for(world.civic_lead).get(f"{V1}/{fellowship.pk}/deliverables").status_code == 404


def _count(client, url, expected) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert len(client.get(url).json()["items"]) == expected
    return len(queries)


@pytest.mark.parametrize("kind", ["deliverables", "recommendations"])
def test_the_lists_take_as_many_queries_for_ten_times_the_records(
    consulting, world, client_for, kind
):
    def grow(count):
        for _n in range(count):
            deliverable = DeliverableFactory(collaboration=consulting)
            RecommendationFactory(deliverable=deliverable, owner=world.official.person)

    client = client_for(world.official)
    url = f"{V1}/{consulting.pk}/{kind}?limit=100"
    grow(2)
    once = _count(client, url, 2)
    grow(18)
    assert _count(client, url, 20) == once
