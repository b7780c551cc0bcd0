"""The Engagement and Recommendations tabs: who sees and does what, the deliverable from
submission to acceptance through the pages, and lists that cost the same at ten times
the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.consulting.choices import DeliverableStatus
from civicbridge.consulting.models import AdoptionUpdate, Recommendation
from tests.factories import DeliverableFactory, RecommendationFactory

from .conftest import pdf


def _url(name, *args):
    return reverse(f"consulting:{name}", args=args)


def test_the_tabs_show_on_a_consulting_collaboration_only(
    consulting, fellowship, world, client_for
):
    client = client_for(world.official)
    page = client.get(_url("engagement", consulting.pk)).content.decode()
    assert _url("recommendations", consulting.pk) in page
    assert "Write the scope and questions" in page
    assert client.get(_url("engagement", fellowship.pk)).status_code == 404
    assert client_for(world.outsider).get(_url("engagement", consulting.pk)).status_code == 404


def test_the_scope_and_questions_are_written_one_question_a_line(consulting, world, client_for):
    client = client_for(world.official)
    response = client.post(
        _url("engagement_edit", consulting.pk),
        {"scope": "Permits.", "questions": "Which data?\n\nHow do others do it?"},
    )
    assert response.status_code == 302
    page = client.get(_url("engagement", consulting.pk)).content.decode()
    assert "<li>Which data?</li>" in page and "<li>How do others do it?</li>" in page


def test_a_deliverable_from_submission_to_acceptance_after_changes(deliverable, world, client_for):
    pk, item = deliverable.collaboration_id, deliverable.pk
    civic = client_for(world.civic_lead)
    assert civic.get(_url("deliverable_changes", pk, item)).status_code == 403
    response = civic.post(
        _url("version_submit", pk, item), {"from_status": "planned", "file": pdf()}
    )
    assert response.status_code == 302
    official = client_for(world.official)
    assert official.get(_url("version_submit", pk, item)).status_code == 403
    page = official.get(_url("deliverable", pk, item)).content.decode()
    assert "Accept this version" in page
    # A comment is required to send it back.
    refused = official.post(_url("deliverable_changes", pk, item), {"from_status": "submitted"})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    official.post(
        _url("deliverable_changes", pk, item),
        {"from_status": "submitted", "comment": "Add the fees."},
    )
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.CHANGES_ASKED
    civic = client_for(world.civic_lead)
    civic.post(
        _url("version_submit", pk, item),
        {"from_status": "changes_asked", "file": pdf("v2.pdf"), "note": "Fees added."},
    )
    official = client_for(world.official)
    official.post(_url("deliverable_accept", pk, item), {"from_status": "resubmitted"})
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.ACCEPTED_AFTER_CHANGES
    page = official.get(_url("deliverable", pk, item)).content.decode()
    assert "Add the fees." in page and "Fees added." in page and "Version 2" in page


def test_a_second_acceptance_says_the_deliverable_moved_on(submitted, world, client_for):
    official = client_for(world.official)
    url = _url("deliverable_accept", submitted.collaboration_id, submitted.pk)
    official.post(url, {"from_status": "submitted"})
    response = official.post(url, {"from_status": "submitted"}, follow=True)
    assert "now “Accepted”" in response.content.decode()


def test_a_version_downloads_as_an_attachment_to_both_sides_only(submitted, world, client_for):
    version = submitted.versions.get()
    url = _url("version_download", submitted.collaboration_id, submitted.pk, version.pk)
    response = client_for(world.official).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(world.outsider).get(url).status_code == 404


def test_a_forged_owner_is_refused_on_the_page(deliverable, world, client_for):
    response = client_for(world.civic_lead).post(
        _url("recommendation_create", deliverable.collaboration_id),
        {
            "title": "Publish the register",
            "finding": "Asked weekly.",
            "deliverable": deliverable.pk,
            "priority": "high",
            "owner": world.civic_lead.person.pk,
        },
    )
    assert response.status_code == 200
    assert not Recommendation.objects.exists()


def test_both_sides_read_the_timeline_of_a_recommendation(recommendation, world, client_for):
    pk, item = recommendation.collaboration_id, recommendation.pk
    client_for(world.official).post(
        _url("adoption_create", pk, item),
        {
            "completion": "substantial",
            "practice_change": "marginal",
            "evidence": "Exported monthly.",
            "evidence_url": "",
        },
    )
    assert AdoptionUpdate.objects.count() == 1
    page = client_for(world.fellow).get(_url("recommendation", pk, item)).content.decode()
    assert "Exported monthly." in page and "Recorded by Sam Official for Testshire Council" in page


def test_an_update_without_evidence_is_refused_on_the_page(recommendation, world, client_for):
    response = client_for(world.official).post(
        _url("adoption_create", recommendation.collaboration_id, recommendation.pk),
        {"completion": "complete", "practice_change": "major", "evidence": ""},
    )
    assert response.status_code == 200 and "Give the evidence" in response.content.decode()
    assert not AdoptionUpdate.objects.exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("tab", ["engagement", "recommendations"])
def test_the_lists_take_as_many_queries_for_ten_times_the_records(
    consulting, world, client_for, tab
):
    def grow(count):
        for _n in range(count):
            deliverable = DeliverableFactory(collaboration=consulting)
            RecommendationFactory(deliverable=deliverable, owner=world.official.person)

    grow(2)
    client = client_for(world.official)
    url = _url(tab, consulting.pk)
    once = _queries(client, url)
    grow(18)
    assert _queries(client, url) == once
