"""The suite's factories, one set for every room: rows with sensible defaults.

Rooms' own builders (events/tests/eventdata.py and the like) write through the services as
users would; these make the rows those builders and the walks only need to exist.
"""

from datetime import date, timedelta

import factory
from django.utils import timezone

from civicbridge.accounts.models import User
from civicbridge.collaborations.choices import Model, Stage
from civicbridge.collaborations.models import Collaboration, FollowUp
from civicbridge.collaborations.services.checkins import refresh_owed_checkins
from civicbridge.consulting.models import Deliverable, Recommendation
from civicbridge.events.models import Project, ProjectFollowUp
from civicbridge.feedback.choices import FeedbackStatus
from civicbridge.feedback.models import Feedback, Shortcoming
from civicbridge.notifications.models import CalendarFeed, InboxItem
from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.partners.models import (
    Department,
    ImportRun,
    Membership,
    Note,
    Organisation,
    Person,
)

PASSWORD = "correct horse battery staple"

# --- Partners and accounts -----------------------------------------------------------------


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.CIVIC
    country = "Australia"


class DepartmentFactory(factory.django.DjangoModelFactory[Department]):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.GOVERNMENT)
    name = factory.Sequence(lambda n: f"Department {n}")


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "member"
    access = Access.NONE


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    person = factory.SubFactory(PersonFactory)
    password = factory.django.Password(PASSWORD)


class NoteFactory(factory.django.DjangoModelFactory[Note]):
    """A note of a civic organisation about an institution, shared with it."""

    class Meta:
        model = Note

    owner_organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.CIVIC)
    subject = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.GOVERNMENT)
    visibility = "both"
    body = "Shared with the institution."


class ImportRunFactory(factory.django.DjangoModelFactory[ImportRun]):
    class Meta:
        model = ImportRun

    kind = "popolo"
    filename = "councillors.json"
    status = "done"


# --- Collaborations ------------------------------------------------------------------------


class CollaborationFactory(factory.django.DjangoModelFactory[Collaboration]):
    """A proposed fellowship starting in 60 days for 180 days."""

    class Meta:
        model = Collaboration
        skip_postgeneration_save = True

    model = Model.FELLOWSHIP
    title = factory.Sequence(lambda n: f"Collaboration {n}")
    civic_organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.CIVIC)
    institution = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.GOVERNMENT)
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=180))
    stage = Stage.PROPOSED

    @factory.post_generation
    def owed_checkins(collaboration: Collaboration, create: bool, extracted, **kwargs) -> None:  # type: ignore[misc]
        """What each side owes in check-ins, kept as the services keep it."""
        if create:
            refresh_owed_checkins(collaboration)


class FollowUpFactory(factory.django.DjangoModelFactory[FollowUp]):
    """The six-month follow-up of a collaboration, due today and not yet answered."""

    class Meta:
        model = FollowUp

    collaboration = factory.SubFactory(CollaborationFactory)
    months_after = 6
    due_on = factory.LazyFunction(date.today)


# --- Consulting (pass the consulting `collaboration`) --------------------------------------


class DeliverableFactory(factory.django.DjangoModelFactory[Deliverable]):
    """A report due in 30 days, not submitted yet."""

    class Meta:
        model = Deliverable

    title = factory.Sequence(lambda n: f"Report {n}")
    kind = "report"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class RecommendationFactory(factory.django.DjangoModelFactory[Recommendation]):
    """A recommendation of `deliverable` with no owner yet, not started."""

    class Meta:
        model = Recommendation

    collaboration = factory.LazyAttribute(lambda o: o.deliverable.collaboration)
    title = factory.Sequence(lambda n: f"Publish dataset {n}")
    finding = "The data is asked for every week and sent by e-mail."
    last_update_at = factory.LazyFunction(timezone.now)


# --- Events (a project needs its event: pass `event`) --------------------------------------


class FeedbackFactory(factory.django.DjangoModelFactory[Feedback]):
    """A beneficiary's feedback waiting for moderation."""

    class Meta:
        model = Feedback

    collaboration = factory.SubFactory(CollaborationFactory, public=True)
    worked = "The new form was quick."
    did_not_work = "Nobody answered the phone."
    rating = 4
    status = FeedbackStatus.NEW


class ShortcomingFactory(factory.django.DjangoModelFactory[Shortcoming]):
    """A shortcoming raised today, with its solution, waiting for the institution."""

    class Meta:
        model = Shortcoming

    collaboration = factory.SubFactory(CollaborationFactory)
    title = factory.Sequence(lambda n: f"Shortcoming {n}")
    evidence = "Three in four callers gave up."
    solution = "Publish opening hours and add a call-back."
    raised_on = factory.LazyFunction(timezone.localdate)


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Project {n}")


class ProjectFollowUpFactory(factory.django.DjangoModelFactory[ProjectFollowUp]):
    """A project's one-month follow-up, addressed to its team's contact."""

    class Meta:
        model = ProjectFollowUp

    project = factory.SubFactory(ProjectFactory)
    months = 1
    due_on = factory.LazyFunction(date.today)
    respondent = "team"
    name = "Ann Dev"
    email = "ann.dev@example.net"


# --- Notifications -------------------------------------------------------------------------


class InboxItemFactory(factory.django.DjangoModelFactory[InboxItem]):
    class Meta:
        model = InboxItem

    user = factory.SubFactory(UserFactory)
    title = "Check-in due"


class CalendarFeedFactory(factory.django.DjangoModelFactory[CalendarFeed]):
    class Meta:
        model = CalendarFeed

    user = factory.SubFactory(UserFactory)
