"""An event's sides stay its sides, and its state moves happen once (X1).

The parties are the collaboration's (fixed once proposed); a partner institution that
posed a challenge is a side too, which the organisers cannot take off the event. A review
or a registration move made twice is refused the second time with 409.
"""

import pytest
from django.core.exceptions import ValidationError

from civicbridge.core.states import StaleState
from civicbridge.events.choices import ChallengeStatus
from civicbridge.events.services import challenges, events

from .eventdata import challenge, make_event, partner_official, published_challenge

API = "/api/v1"


@pytest.fixture
def event(world, playbook):
    return make_event(world)


def facts(event, **changes):
    return {
        "kind": event.kind,
        "venue": event.venue,
        "online": event.online,
        "capacity": event.capacity,
        "url": event.url,
        "organisers": list(event.organisers.all()),
        "partner_institutions": list(event.partner_institutions.all()),
        **changes,
    }


def test_a_partner_that_posed_a_challenge_stays_on_the_event(world, event):
    challenges.create_challenge(
        partner_official(world),
        event,
        institution=world.other,
        title="Cleaner parks",
        problem="Litter.",
        affected_users="Everyone.",
        success_criteria="Less litter.",
    )
    with pytest.raises(ValidationError) as refused:
        events.save_event(
            world.civic_lead, event.collaboration, **facts(event, partner_institutions=[])
        )
    assert "posed a challenge" in str(refused.value.message_dict["partner_institutions"])
    assert list(event.partner_institutions.all()) == [world.other]


def test_a_partner_without_challenges_may_be_taken_off(world, event):
    events.save_event(
        world.civic_lead, event.collaboration, **facts(event, partner_institutions=[])
    )
    assert not event.partner_institutions.exists()


def test_a_second_review_is_refused_with_409(world, event, client_for):
    submitted = challenge(world, event)
    url = f"{API}/events/{event.collaboration_id}/challenges/{submitted.pk}/review"
    client = client_for(world.civic_lead)
    first = client.post(url, {"decision": "publish"}, content_type="application/json")
    assert first.status_code == 200
    second = client.post(
        url, {"decision": "decline", "note": "No."}, content_type="application/json"
    )
    assert second.status_code == 409
    assert second.json()["errors"][0]["current"] == ChallengeStatus.PUBLISHED
    submitted.refresh_from_db()
    assert submitted.status == ChallengeStatus.PUBLISHED


def test_submitting_twice_is_refused(world, event):
    draft = challenge(world, event, submit=False)
    challenges.submit_challenge(world.official, draft)
    with pytest.raises(StaleState):
        challenges.submit_challenge(world.official, draft)


def test_opening_registration_twice_is_409(world, event, client_for):
    published_challenge(world, event)
    url = f"{API}/events/{event.collaboration_id}/registration/open"
    client = client_for(world.civic_lead)
    assert client.post(url).status_code == 200
    again = client.post(url)
    assert again.status_code == 409 and again.json()["errors"][0]["current"] == "open"
    close = f"{API}/events/{event.collaboration_id}/registration/close"
    assert client.post(close).status_code == 200
    assert client.post(close).status_code == 409
