"""The feedback and shortcomings API: the same rules as the pages, and the beneficiaries'
addresses only to the civic side."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicbridge.feedback.choices import FeedbackStatus, ShortcomingStatus
from civicbridge.feedback.models import Feedback, Shortcoming
from tests.factories import FeedbackFactory, ShortcomingFactory

V1 = "/api/v1"


def post(client, url, body, method="post"):
    return getattr(client, method)(url, body, content_type="application/json")


def test_only_the_civic_side_reads_the_address(world, programme, client_for):
    FeedbackFactory.create(collaboration=programme, email="waiting@example.net")
    FeedbackFactory.create(
        collaboration=programme, status=FeedbackStatus.PUBLISHED, email="shown@example.net"
    )
    url = f"{V1}/collaborations/{programme.pk}/feedback"
    civic = client_for(world.civic_lead).get(url).json()["items"]
    assert sorted(item["email"] for item in civic) == ["shown@example.net", "waiting@example.net"]
    official = client_for(world.official).get(url)
    assert [item["email"] for item in official.json()["items"]] == [None]
    assert b"@example.net" not in official.content
    assert client_for(world.outsider).get(url).status_code == 404


def test_moderation_and_answer_through_the_api(world, programme, client_for):
    feedback = FeedbackFactory.create(collaboration=programme)
    moderate = f"{V1}/collaborations/{programme.pk}/feedback/{feedback.pk}/moderate"
    assert post(client_for(world.official), moderate, {"decision": "publish"}).status_code == 403
    response = post(client_for(world.civic_lead), moderate, {"decision": "publish"})
    assert response.status_code == 200 and response.json()["status"] == "published"
    again = post(client_for(world.civic_lead), moderate, {"decision": "reject"})
    assert again.status_code == 409
    answer = f"{V1}/collaborations/{programme.pk}/feedback/{feedback.pk}/answer"
    assert post(client_for(world.civic_lead), answer, {"answer": "Us?"}).status_code == 403
    response = post(client_for(world.official), answer, {"answer": "Fixed."})
    assert response.status_code == 200 and response.json()["answer"] == "Fixed."
    assert Feedback.objects.get().status == FeedbackStatus.PUBLISHED


def test_a_shortcoming_without_a_solution_is_refused_by_the_api(world, programme, client_for):
    url = f"{V1}/collaborations/{programme.pk}/shortcomings"
    body = {"title": "Lost forms", "evidence": "Ten a week.", "solution": ""}
    assert post(client_for(world.civic_lead), url, body).status_code == 422
    assert not Shortcoming.objects.exists()
    body["solution"] = "Scan them."
    body["owner"] = world.official.person.pk
    response = post(client_for(world.civic_lead), url, body)
    assert response.status_code == 201 and response.json()["owner_id"] == world.official.person.pk


def test_the_institution_decides_through_the_api(world, programme, client_for):
    shortcoming = ShortcomingFactory.create(collaboration=programme, owner=world.official.person)
    url = f"{V1}/collaborations/{programme.pk}/shortcomings/{shortcoming.pk}/status"
    assert post(client_for(world.civic_lead), url, {"status": "accepted"}).status_code == 403
    official = client_for(world.official)  # the one test client, signed in as the official
    assert post(official, url, {"status": "declined"}).status_code == 422
    response = post(official, url, {"status": "accepted", "seen": "proposed"})
    assert response.status_code == 200 and response.json()["decided_on"]
    stale = post(official, url, {"status": "declined", "seen": "proposed", "reason": "No."})
    assert stale.status_code == 409
    change = f"{V1}/collaborations/{programme.pk}/shortcomings/{shortcoming.pk}"
    refused = post(client_for(world.civic_lead), change, {"title": "Later"}, "patch")
    assert refused.status_code == 403
    assert Shortcoming.objects.get().status == ShortcomingStatus.ACCEPTED


def test_publishing_the_register_through_the_api(world, programme, client_for):
    url = f"{V1}/collaborations/{programme.pk}/shortcoming-register"
    assert client_for(world.fellow).get(url).json() == {"published": False}
    assert post(client_for(world.fellow), url, {"published": True}, "put").status_code == 403
    response = post(client_for(world.official), url, {"published": True}, "put")
    assert response.json() == {"published": True}


def test_the_api_lists_keep_their_queries_at_ten_times(world, programme, client_for):
    client = client_for(world.civic_lead)
    feedback = f"{V1}/collaborations/{programme.pk}/feedback"
    register = f"{V1}/collaborations/{programme.pk}/shortcomings"

    def grow(how_many: int) -> None:
        for _ in range(how_many):
            FeedbackFactory.create(collaboration=programme)
            ShortcomingFactory.create(collaboration=programme, owner=world.official.person)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(2)
    before = (count(feedback), count(register))
    grow(20)
    assert (count(feedback), count(register)) == before
