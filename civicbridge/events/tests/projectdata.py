"""Builders for the projects, judging and engagement-plan tests: an event with a published
challenge, teams of confirmed participants and their projects, written through the
services as users would."""

from civicbridge.events.models import Event, Project, Team
from civicbridge.events.services import judging, projects, teams
from civicbridge.partners.choices import Access
from tests.factories import MembershipFactory, UserFactory

from .eventdata import confirmed, open_event

# The smallest files of each kind allowed: their first bytes are what the upload checks.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


def hackathon(world, teams_count: int = 2, **changes) -> Event:
    """An open event with a published challenge and `teams_count` teams of one designer."""
    event = open_event(world, **changes)
    for number in range(1, teams_count + 1):
        add_team(world, event, f"Team {number}")
    return event


def add_team(world, event: Event, name: str) -> Team:
    member = confirmed(event, f"{name} Designer", ["designer", "user"])
    return teams.create_team(world.civic_lead, event, name=name, members=[member], contact=member)


def add_project(world, event: Event, team: Team, title: str | None = None) -> Project:
    return projects.create_project(
        world.civic_lead,
        event,
        team=team,
        challenge=event.challenges.get(status="published"),
        title=title or f"{team.name}'s bin map",
        problem="Missed bins nobody sees.",
        users="Residents and the waste team.",
        concept="A map of missed collections, street by street.",
        prototype_url="https://example.org/prototype",
    )


def judge_user(world, email: str = "judge@example.org", name: str = "Jude Judge"):
    """A person from outside both sides, with an account and no organisation."""
    return UserFactory.create(email=email, person__name=name)


def institution_viewer(world, email: str = "viewer@example.org"):
    """An official of the institution whose account may only read."""
    user = UserFactory.create(email=email, person__name="Vi Viewer")
    MembershipFactory.create(
        person=user.person,
        organisation=world.institution,
        department=world.department,
        access=Access.VIEWER,
    )
    return user


def rubric(world, event: Event, *weights: int):
    """Criteria of the given weights, in that order."""
    return [
        judging.add_criterion(world.civic_lead, event, name=f"Criterion {i}", weight=w, order=i)
        for i, w in enumerate(weights, start=1)
    ]


def sheet(criteria, *scores: int) -> dict[int, int]:
    return {c.pk: s for c, s in zip(criteria, scores, strict=True)}
