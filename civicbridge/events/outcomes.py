"""What became of events' projects: survival, adoption, and the engagement plan beside them.

Reads only, in a fixed number of queries however many events and projects there are: the
projects with their plan's features, and every follow-up's period and status. The
estimate itself is `survival.py`'s.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.choices import Model, Stage

from .choices import ProjectStatus
from .models import Event, Project, ProjectFollowUp
from .survival import (
    Observation,
    Step,
    followed_to,
    kaplan_meier,
    latest_status,
    observe,
    survival_at,
)

HORIZON = 12  # months: the playbook follows projects for a year
TOO_FEW = 5  # fewer projects followed to the horizon than this, and a share tells little


@dataclass(frozen=True)
class Outcome:
    """One project, as the follow-ups saw it."""

    project_id: int
    title: str
    collaboration_id: int
    status: str  # what the latest answered period said, "" if none was answered
    observation: Observation
    winner: bool
    had_commitments: bool
    owner_named: bool

    @property
    def status_label(self) -> str:
        return str(ProjectStatus(self.status).label if self.status else _("No answer yet"))


@dataclass
class Survival:
    """The estimate for a group of projects, with the counts it rests on."""

    label: str
    outcomes: list[Outcome]
    steps: list[Step] = field(init=False)

    def __post_init__(self) -> None:
        self.steps = kaplan_meier(o.observation for o in self.outcomes)

    @property
    def projects(self) -> int:
        return len(self.outcomes)

    @property
    def answered(self) -> int:
        return sum(1 for o in self.outcomes if o.status)

    @property
    def at_horizon(self) -> float | None:
        return survival_at(self.steps, HORIZON)

    @property
    def followed(self) -> int:
        """Projects seen alive at the horizon or dead before it."""
        return followed_to((o.observation for o in self.outcomes), HORIZON)

    @property
    def too_few(self) -> bool:
        return self.followed < TOO_FEW

    @property
    def adopted(self) -> int:
        return sum(1 for o in self.outcomes if o.status == ProjectStatus.ADOPTED)

    @property
    def handed_over(self) -> int:
        return sum(1 for o in self.outcomes if o.status == ProjectStatus.HANDED_OVER)

    @property
    def abandoned(self) -> int:
        return sum(1 for o in self.outcomes if o.status == ProjectStatus.ABANDONED)

    @property
    def adoption(self) -> float | None:
        """The share of answered projects the institution adopted or that were handed over."""
        if not self.answered:
            return None
        return (self.adopted + self.handed_over) / self.answered


@dataclass(frozen=True)
class Comparison:
    """Survival of the projects with an engagement-plan feature, and of those without it."""

    feature: str
    with_it: Survival
    without_it: Survival

    @property
    def groups(self) -> tuple[Survival, Survival]:
        return (self.with_it, self.without_it)


def outcomes(events: QuerySet[Event]) -> list[Outcome]:
    """Every project of `events` with its observation: two queries."""
    projects = (
        Project.objects.filter(event__in=events)
        .annotate(commitments=Count("engagement_plan__commitments"))
        .values_list(
            "pk",
            "title",
            "event__collaboration_id",
            "winner",
            "commitments",
            "engagement_plan__owner_id",
        )
        .order_by("event__collaboration__start_date", "title", "pk")
    )
    answers: dict[int, list[tuple[int, str]]] = {}
    rows = ProjectFollowUp.objects.filter(project__event__in=events).values_list(
        "project_id", "months", "status"
    )
    for project_id, months, status in rows:
        answers.setdefault(project_id, []).append((months, status))
    return [
        Outcome(
            project_id=pk,
            title=title,
            collaboration_id=collaboration_id,
            status=latest_status(answers.get(pk, [])),
            observation=observe(answers.get(pk, [])),
            winner=winner,
            had_commitments=commitments > 0,
            owner_named=owner_id is not None,
        )
        for pk, title, collaboration_id, winner, commitments, owner_id in projects
    ]


def comparisons(found: Iterable[Outcome]) -> list[Comparison]:
    """Survival by engagement-plan feature, and of winners against the rest."""
    found = list(found)
    features = (
        (_("Officials committed to a next step"), "had_commitments"),
        (_("An owner in the institution was named"), "owner_named"),
        (_("The project won a prize"), "winner"),
    )
    return [
        Comparison(
            str(label),
            Survival(str(_("With")), [o for o in found if getattr(o, name)]),
            Survival(str(_("Without")), [o for o in found if not getattr(o, name)]),
        )
        for label, name in features
    ]


def public_events() -> QuerySet[Event]:
    """The closed events their organisers made public: the only ones the public numbers
    count (projects are followed from the close)."""
    return Event.objects.filter(
        collaboration__model=Model.EVENT,
        collaboration__public=True,
        collaboration__stage=Stage.CLOSED,
    ).select_related("collaboration")


def by_event(events: Iterable[Event], found: Iterable[Outcome]) -> list[tuple[Event, Survival]]:
    """Each event with the survival of its own projects."""
    grouped: dict[int, list[Outcome]] = {}
    for outcome in found:
        grouped.setdefault(outcome.collaboration_id, []).append(outcome)
    return [
        (event, Survival(event.collaboration.title, grouped.get(event.collaboration_id, [])))
        for event in events
    ]
