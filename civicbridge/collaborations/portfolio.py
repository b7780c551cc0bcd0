"""The portfolio at a glance, for a person who acts for organisations: their collaborations
by model and stage, how many are at risk and why, follow-ups due, and what the rooms add
(money owed and days to pay come from procurement).

Every number is counted in the database, in a fixed number of queries however many
collaborations there are, and links to the list that shows its rows: the collaboration
list filtered with the same condition (`Collaboration.objects.at_risk`), or a room's page.

A room adds its figures in its AppConfig.ready() with `add_figures(source)`: a source is
called with (user, organisation ids, today) and returns `Figure`s. `add_platform_figures`
does the same for the platform admin's landing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civicbridge.core import tasks
from civicbridge.core.permissions import can_see_task_queue
from civicbridge.partners.models import ImportRun
from civicbridge.playbook.models import PlaybookVersion

from .choices import Model, RiskReason, Stage
from .forms.core import AT_RISK_ANY, FOLLOW_UPS_DUE
from .models import Collaboration
from .models.health import at_risk_flag

RECENT = 6  # collaborations listed under the figures


@dataclass(frozen=True)
class Figure:
    """One number, what it counts, and where its rows are listed."""

    label: str | Promise
    value: int | str
    url: str
    detail: str | Promise = ""


FigureSource = Callable[[object, set[int], date], list[Figure]]

_figures: list[FigureSource] = []
_platform_figures: list[Callable[[object, date], list[Figure]]] = []


def add_figures(source: FigureSource) -> None:
    """Add the figures `source(user, organisation_ids, today)` to every portfolio."""
    if source not in _figures:
        _figures.append(source)


def add_platform_figures(source: Callable[[object, date], list[Figure]]) -> None:
    """Add the figures `source(user, today)` to the platform admin's landing."""
    if source not in _platform_figures:
        _platform_figures.append(source)


def list_url(**filters: str) -> str:
    """The collaboration list filtered by `filters` (CollaborationFilterForm's names)."""
    query = urlencode({name: value for name, value in filters.items() if value})
    url = reverse("collaborations:list")
    return f"{url}?{query}" if query else url


@dataclass(frozen=True)
class Cell:
    count: int
    url: str
    label: str | Promise = ""  # the stage, in a row of stages


@dataclass
class ModelRow:
    """One model's collaborations per stage, and in all."""

    model: str
    label: str | Promise
    cells: list[Cell]
    total: Cell


@dataclass
class Counts:
    """The collaborations by model and stage, at risk and why, and with follow-ups due."""

    total: Cell
    rows: list[ModelRow]  # the models the person has collaborations of
    stage_totals: list[Cell]  # one per stage, in the order of Stage
    at_risk: Figure
    reasons: list[Figure]
    follow_ups: Figure

    @property
    def stages(self) -> list[tuple[str, str | Promise]]:
        return list(Stage.choices)


@dataclass
class Portfolio:
    counts: Counts
    room_figures: list[Figure] = field(default_factory=list)
    recent: list[Collaboration] = field(default_factory=list)


def collaborations_seen(organisation_ids: set[int]):
    """The collaborations the portfolio counts: those `organisation_ids` see."""
    return Collaboration.objects.seen_by(organisation_ids)


def _by_model_and_stage(
    counts: dict[tuple[str, str], int],
) -> tuple[list[ModelRow], list[Cell], Cell]:
    rows = []
    for model, label in Model.choices:
        cells = [
            Cell(counts.get((model, stage), 0), list_url(model=model, stage=stage), stage_label)
            for stage, stage_label in Stage.choices
        ]
        total = sum(cell.count for cell in cells)
        if total:
            rows.append(ModelRow(model, label, cells, Cell(total, list_url(model=model))))
    stage_totals = [
        Cell(sum(n for (_m, s), n in counts.items() if s == stage), list_url(stage=stage), label)
        for stage, label in Stage.choices
    ]
    return rows, stage_totals, Cell(sum(counts.values()), list_url())


def count_portfolio(organisation_ids: set[int], today: date) -> Counts:
    """Count the collaborations `organisation_ids` see, as of `today`: by model and stage,
    at risk and why, and with follow-ups due, in one query over their health as kept on
    each row (worked out first where it is stale, models/health.py)."""
    collaborations = collaborations_seen(organisation_ids).with_health(today)
    groups = list(
        collaborations.order_by()
        .values("model", "stage")
        .annotate(
            n=Count("pk"),
            any=Count("pk", filter=at_risk_flag()),
            follow_ups=Count("pk", filter=Q(follow_up_due=True)),
            **{reason: Count("pk", filter=at_risk_flag(reason)) for reason in RiskReason.values},
        )
    )
    rows, stage_totals, total = _by_model_and_stage(
        {(group["model"], group["stage"]): group["n"] for group in groups}
    )

    def summed(name: str) -> int:
        return sum(group[name] for group in groups)

    return Counts(
        total=total,
        rows=rows,
        stage_totals=stage_totals,
        at_risk=Figure(_("At risk"), summed("any"), list_url(at_risk=AT_RISK_ANY)),
        reasons=[
            Figure(label, summed(reason), list_url(at_risk=reason))
            for reason, label in RiskReason.choices
        ],
        follow_ups=Figure(
            _("Follow-ups due"), summed("follow_ups"), list_url(follow_ups=FOLLOW_UPS_DUE)
        ),
    )


def portfolio_of(user, organisation_ids: set[int], today: date) -> Portfolio:
    """The portfolio of the organisations `user` acts for: counts, rooms' figures and the
    latest collaborations still open."""
    return Portfolio(
        counts=count_portfolio(organisation_ids, today),
        room_figures=[
            figure for source in _figures for figure in source(user, organisation_ids, today)
        ],
        recent=list(
            collaborations_seen(organisation_ids)
            .exclude(stage=Stage.CLOSED)
            .select_related("civic_organisation", "institution")
            .order_by("-start_date", "-id")[:RECENT]
        ),
    )


def platform_figures(user, today: date) -> list[Figure]:
    """What every registered source adds to the platform admin's landing."""
    return [figure for source in _platform_figures for figure in source(user, today)]


# The platform admin's landing: the platform's own work, not an organisation's.

IMPORTS_SHOWN = 5


@dataclass
class PlatformWork:
    """Recent imports, the task queue by state, the playbook's version, and the rooms' figures."""

    imports: list[ImportRun]
    tasks: list[Figure]
    playbook: PlaybookVersion | None
    playbook_versions: int
    figures: list[Figure]


def platform_work(user, today: date) -> PlatformWork:
    """What the platform admin looks after, each part linking to its page."""
    task_figures = []
    if can_see_task_queue(user)[0]:
        labels = {
            "queued": _("Tasks waiting"),
            "running": _("Tasks running"),
            "stale": _("Tasks lost (running too long)"),
            "failed": _("Tasks failed"),
        }
        url = reverse("core:task_queue")
        task_figures = [
            Figure(labels[state], count, f"{url}?state={state}")
            for state, count in tasks.counts().items()
        ]
    versions = PlaybookVersion.objects.defer("content").select_related("created_by__person")
    return PlatformWork(
        imports=list(ImportRun.objects.select_related("created_by__person")[:IMPORTS_SHOWN]),
        tasks=task_figures,
        playbook=versions.order_by("-number").first(),
        playbook_versions=versions.count(),
        figures=platform_figures(user, today),
    )
