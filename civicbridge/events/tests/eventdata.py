"""Builders for the events room's tests: an event of the world's civic organisation with
its institution, a partner institution's official, challenges and participants — all
written through the services, as users would."""

from datetime import timedelta

from django.utils import timezone

from civicbridge.events.models import Challenge, Event, Participant
from civicbridge.events.services import challenges, events, participants
from civicbridge.partners.choices import Access
from tests.factories import MembershipFactory, UserFactory

TITLE = "Testshire civic hackathon"


def partner_official(world):
    """An official of the world's other council, a partner of the event."""
    user = UserFactory.create(email="partner@example.org", person__name="Pat Partner")
    MembershipFactory.create(person=user.person, organisation=world.other, access=Access.MEMBER)
    return user


def make_event(world, *, capacity=None, public=True, partners=None, **changes) -> Event:
    today = timezone.localdate()
    fields = {
        "title": TITLE,
        "summary": "Two days on the council's real problems.",
        "civic_organisation": world.civic,
        "institution": world.institution,
        "partner_institutions": [world.other] if partners is None else partners,
        "start_date": today + timedelta(days=30),
        "end_date": today + timedelta(days=31),
        "public": public,
        "kind": "hackathon",
        "venue": "Testshire Town Hall",
        "capacity": capacity,
        **changes,
    }
    return events.create_event(world.civic_lead, **fields)


def challenge(world, event, *, submit=True, **changes) -> Challenge:
    """A challenge of the world's institution, owned by its official, who attends."""
    fields = {
        "title": "Fewer missed bin collections",
        "problem": "Residents report missed bins by phone; nobody sees the pattern.",
        "affected_users": "Residents, the waste team.",
        "data_available": "Two years of missed-bin reports.",
        "success_criteria": "The waste team sees the streets that miss most.",
        "owner": world.official.person,
        "owner_attends": True,
        "receiving_capacity": "The waste team's lead and two days a month for six months.",
        **changes,
    }
    return challenges.create_challenge(
        world.official, event, institution=world.institution, submit=submit, **fields
    )


def published_challenge(world, event, **changes) -> Challenge:
    return challenges.publish_challenge(world.civic_lead, challenge(world, event, **changes))


def open_event(world, **changes) -> Event:
    """A public event with a published challenge and registration open."""
    event = make_event(world, **changes)
    published_challenge(world, event)
    return events.open_registration(world.civic_lead, event)


def registered(event, name: str, disciplines=("developer",), email: str | None = None):
    email = email or f"{name.lower().replace(' ', '.')}@example.net"
    return participants.register(
        event, name=name, email=email, disciplines=list(disciplines), consent=True
    ).participant


def confirmed(event, name: str, disciplines=("developer",), email: str | None = None):
    return participants.confirm(registered(event, name, disciplines, email))


def status_of(participant: Participant) -> str:
    return Participant.objects.values_list("status", flat=True).get(pk=participant.pk)
