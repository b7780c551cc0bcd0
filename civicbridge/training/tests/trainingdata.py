"""A training programme written through the services, as its runners would."""

from datetime import timedelta

from django.utils import timezone

from civicbridge.collaborations.services.lifecycle import create_collaboration
from civicbridge.partners.choices import Access
from civicbridge.training.services import curriculum, participants, sessions
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory


def programme(world, **fields):
    """A proposed training programme of the world's civic organisation with its institution."""
    today = timezone.localdate()
    return create_collaboration(
        world.civic_lead,
        model="training",
        title=fields.pop("title", "Open data for officials"),
        civic_organisation=world.civic,
        institution=world.institution,
        start_date=today,
        end_date=today + timedelta(days=180),
        **fields,
    )


def officials(world, count: int, department=None, prefix: str = "Official"):
    """`count` people of the institution, in `department` (by default a new one)."""
    department = department or DepartmentFactory(organisation=world.institution)
    people = []
    for number in range(count):
        person = PersonFactory(name=f"{prefix} {number:02d}", email=f"{prefix}{number}@gov.example")
        MembershipFactory(
            person=person,
            organisation=world.institution,
            department=department,
            access=Access.NONE,
        )
        people.append(person)
    return people


def with_curriculum(world, collaboration):
    """Two modules, the first required, each with two objectives."""
    basics = curriculum.add_module(world.civic_lead, collaboration, title="Open data basics")
    practice = curriculum.add_module(
        world.civic_lead, collaboration, title="Publishing in practice", required=False
    )
    objectives = [
        curriculum.add_objective(world.civic_lead, basics, text="Explain what open data is"),
        curriculum.add_objective(world.civic_lead, basics, text="Choose a licence"),
        curriculum.add_objective(world.civic_lead, practice, text="Publish a dataset"),
    ]
    return basics, practice, objectives


def session(world, collaboration, modules, *, days: int = 7, capacity: int = 30, title="Day"):
    starts = timezone.now() + timedelta(days=days)
    return sessions.add_session(
        world.civic_lead,
        collaboration,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=capacity,
        place="Town hall, room 2",
        modules=modules,
        trainers=[world.civic_lead.person],
    )


def enrol(world, collaboration, people):
    return [
        participants.add_participant(world.civic_lead, collaboration, person=person)
        for person in people
    ]
