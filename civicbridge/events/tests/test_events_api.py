"""Events, challenges, registration, participants and teams through the API: the same
rules as the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicbridge.events.choices import ChallengeStatus
from civicbridge.events.models import Challenge, Event, Team

from .eventdata import challenge, confirmed, make_event, open_event, partner_official

API = "/api/v1"


@pytest.fixture
def api(client_for):
    def as_user(user):
        return client_for(user)

    return as_user


@pytest.fixture
def event(world, playbook):
    return make_event(world, capacity=10)


def test_creating_an_event(world, playbook, api):
    start = timezone.localdate() + timedelta(days=20)
    response = api(world.civic_lead).post(
        f"{API}/events",
        {
            "title": "Datathon",
            "kind": "datathon",
            "civic_organisation": world.civic.pk,
            "institution": world.institution.pk,
            "start_date": start.isoformat(),
            "end_date": start.isoformat(),
            "online": True,
            "partner_institutions": [world.other.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "datathon" and body["partner_institution_ids"] == [world.other.pk]
    assert body["id"] == Event.objects.get().collaboration_id


def test_an_official_cannot_create_an_event(world, playbook, api):
    start = timezone.localdate().isoformat()
    response = api(world.official).post(
        f"{API}/events",
        {
            "title": "Ours",
            "kind": "hackathon",
            "civic_organisation": world.civic.pk,
            "institution": world.institution.pk,
            "start_date": start,
            "end_date": start,
            "online": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 422  # not an organisation they may choose
    assert not Event.objects.exists()


def test_the_event_and_its_places(world, event, api):
    body = api(world.official).get(f"{API}/events/{event.collaboration_id}").json()
    assert (body["capacity"], body["confirmed"], body["registration_open"]) == (10, 0, False)
    assert api(world.outsider).get(f"{API}/events/{event.collaboration_id}").status_code == 404
    listing = api(partner_official(world)).get(f"{API}/events").json()
    assert [item["id"] for item in listing["items"]] == [event.collaboration_id]


def test_changing_the_event_keeps_what_is_left_out(world, event, api):
    url = f"{API}/events/{event.collaboration_id}"
    response = api(world.civic_lead).patch(url, {"capacity": 12}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["capacity"] == 12 and response.json()["venue"] == event.venue
    assert (
        api(world.official).patch(url, {"capacity": 1}, content_type="application/json").status_code
        == 403
    )


def test_opening_registration_is_refused_with_the_reason_and_the_advice(world, event, api):
    url = f"{API}/events/{event.collaboration_id}/registration/open"
    response = api(world.civic_lead).post(url)
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "No institution has a published challenge yet" in detail
    assert "The playbook recommends" in detail
    challenge_ = challenge(world, event)
    review = f"{API}/events/{event.collaboration_id}/challenges/{challenge_.pk}/review"
    assert (
        api(world.civic_lead)
        .post(review, {"decision": "publish"}, content_type="application/json")
        .status_code
        == 200
    )
    response = api(world.civic_lead).post(url)
    assert response.status_code == 200 and response.json()["registration_open"] is True


def test_an_official_poses_a_challenge_and_a_forged_institution_is_refused(world, event, api):
    url = f"{API}/events/{event.collaboration_id}/challenges"
    payload = {
        "institution": world.institution.pk,
        "title": "Potholes",
        "problem": "Reports get lost.",
        "affected_users": "Drivers, cyclists.",
        "success_criteria": "Fixed faster.",
        "owner": world.official.person.pk,
        "owner_attends": True,
        "submit": True,
    }
    response = api(world.official).post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == ChallengeStatus.SUBMITTED
    forged = {**payload, "institution": world.other.pk}
    assert api(world.official).post(url, forged, content_type="application/json").status_code == 422
    assert (
        api(world.civic_lead).post(url, payload, content_type="application/json").status_code == 403
    )
    assert Challenge.objects.count() == 1


def test_changing_a_published_challenge_through_the_api_sends_it_back(world, event, api):
    from civicbridge.events.services.challenges import publish_challenge

    published = publish_challenge(world.civic_lead, challenge(world, event))
    url = f"{API}/events/{event.collaboration_id}/challenges/{published.pk}"
    response = api(world.official).patch(url, {"title": "Bins"}, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["status"]) == ("Bins", "submitted")
    assert (
        api(world.civic_lead)
        .patch(url, {"title": "x"}, content_type="application/json")
        .status_code
        == 403
    )


def test_participants_are_for_the_organisers_side(world, playbook, api):
    event = open_event(world)
    confirmed(event, "Ann", email="ann@example.net")
    url = f"{API}/events/{event.collaboration_id}/participants"
    body = api(world.civic_lead).get(url).json()
    assert [item["email"] for item in body["items"]] == ["ann@example.net"]
    assert api(world.official).get(url).status_code == 403
    assert api(world.outsider).get(url).status_code == 404


def test_teams_through_the_api(world, playbook, api):
    event = open_event(world)
    ann, una = confirmed(event, "Ann"), confirmed(event, "Una", ["user"])
    url = f"{API}/events/{event.collaboration_id}/teams"
    payload = {"name": "Bins", "members": [ann.pk, una.pk], "contact": una.pk}
    response = api(world.civic_lead).post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    team = Team.objects.get()
    assert sorted(response.json()["member_ids"]) == sorted([ann.pk, una.pk])
    assert (
        api(world.official).post(url, payload, content_type="application/json").status_code == 403
    )
    assert api(world.official).get(url).json()["items"][0]["name"] == "Bins"
    changed = api(world.civic_lead).put(
        f"{url}/{team.pk}",
        {"name": "Bin day", "members": [una.pk]},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["member_ids"] == [una.pk]
    assert api(world.civic_lead).delete(f"{url}/{team.pk}").status_code == 204
    assert not Team.objects.exists()
