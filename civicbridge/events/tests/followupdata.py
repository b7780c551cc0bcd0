"""Builders for the follow-up, survival and import tests: a past event with projects, their
teams' contacts and officials' commitments, closed through the lifecycle."""

from datetime import date, timedelta

from django.utils import timezone

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services.lifecycle import advance
from civicbridge.events.choices import ParticipantStatus
from civicbridge.events.models import Event, Participant, Project, Team
from civicbridge.events.services import engagement

from .eventdata import make_event

EVENT_DAY = date(2025, 3, 15)  # the past hackathon's last day


def past_event(world, *, end: date = EVENT_DAY, public: bool = True, title: str = "") -> Event:
    changes = {"title": title} if title else {}
    return make_event(
        world,
        start_date=end - timedelta(days=1),
        end_date=end,
        public=public,
        partners=[],
        **changes,
    )


def project(
    world,
    event: Event,
    title: str,
    *,
    contact: str | None = None,
    committed: bool = False,
    winner: bool = False,
) -> Project:
    """A project of `event`; its team's contact is `contact` (a name) if given; with
    `committed`, the world's official committed to its next step."""
    team = Team.objects.create(event=event, name=f"Team {title}")
    if contact:
        team.contact = Participant.objects.create(
            event=event,
            name=contact,
            email=f"{contact.lower().replace(' ', '.')}@example.net",
            disciplines=["designer"],
            consent_at=timezone.now(),
            status=ParticipantStatus.CONFIRMED,
            team=team,
        )
        team.save(update_fields=["contact"])
    found = Project.objects.create(event=event, team=team, title=title, winner=winner)
    found.event = event
    official = world.official.person
    end = event.collaboration.end_date
    assert end is not None
    if committed:
        plan = engagement.decide(
            world.civic_lead,
            found,
            worth_continuing=True,
            owner=official,
            capacity="Two officials, a day a week.",
        )
        engagement.add_commitment(
            world.official,
            plan,
            official=official,
            next_step="Pilot it in one district.",
            due_on=end + timedelta(days=30),
        )
    else:
        engagement.decide(world.civic_lead, found, worth_continuing=False)
    return found


def close(world, event: Event) -> None:
    """Move the event to closing as history, then close it through the lifecycle."""
    Collaboration.objects.filter(pk=event.collaboration_id).update(stage="closing")
    event.collaboration.refresh_from_db()
    advance(world.civic_lead, event.collaboration)


def give_official_an_address(world, address: str = "sam.official@council.example") -> None:
    person = world.official.person
    person.email = address
    person.save(update_fields=["email"])
