"""The demo's upcoming hackathon shows what the events room does before the day."""

import pytest
from django.utils import timezone

from civicbridge.events.choices import ChallengeStatus, ParticipantStatus
from civicbridge.events.demo import HACKATHON
from civicbridge.events.models import Event
from civicbridge.events.services.participants import places
from civicbridge.events.services.teams import team_mix


@pytest.fixture
def hackathon(demo_workspace, db):
    return Event.objects.select_related("collaboration").get(collaboration__title=HACKATHON)


def test_the_upcoming_hackathon_has_published_challenges_from_two_councils(hackathon):
    collaboration = hackathon.collaboration
    assert collaboration.public and collaboration.start_date > timezone.localdate()
    published = hackathon.challenges.filter(status=ChallengeStatus.PUBLISHED)
    assert {c.institution.name for c in published} == {
        "Hobart City Council",
        "Glenorchy City Council",
    }
    assert all(c.owner_id and c.owner_attends for c in published)
    assert hackathon.challenges.filter(status=ChallengeStatus.SUBMITTED).count() == 1


def test_registration_is_open_full_with_a_waiting_list_and_a_team_of_coders(hackathon):
    assert hackathon.registration_open
    counted = places(hackathon)
    assert (counted.confirmed, counted.waiting, counted.full) == (12, 2, True)
    waiting = hackathon.participants.filter(status=ParticipantStatus.WAITING)
    assert [p.name for p in waiting.order_by("confirmed_at", "id")] == ["Maya Patel", "Noah Reid"]
    mix = team_mix(hackathon)
    assert mix.coder_only_teams == ("Pixel Pushers",)
    assert mix.has_users and mix.has_officials
