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

from django.db.models import Count
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import Model, RiskReason, Stage
from .forms.core import AT_RISK_ANY, FOLLOW_UPS_DUE
from .models import Collaboration
from .models.health import at_risk_condition, follow_up_due_condition, risk_conditions

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


@dataclass
class ModelRow:
    """One model's collaborations per stage, and in all."""

    model: str
    label: str | Promise
    cells: list[Cell]
    total: Cell


@dataclass
class Portfolio:
    total: Cell
    rows: list[ModelRow]  # the models the person has collaborations of
    stage_totals: list[Cell]  # one per stage, in the order of Stage
    at_risk: Figure
    reasons: list[Figure]
    follow_ups: Figure
    room_figures: list[Figure] = field(default_factory=list)
    recent: list[Collaboration] = field(default_factory=list)

    @property
    def stages(self) -> list[tuple[str, str | Promise]]:
        return list(Stage.choices)


def collaborations_seen(organisation_ids: set[int]):
    """The collaborations the portfolio counts: those `organisation_ids` see."""
    return Collaboration.objects.seen_by(organisation_ids)


def _by_model_and_stage(collaborations) -> tuple[list[ModelRow], list[Cell], Cell]:
    counts = {
        (model, stage): n
        for model, stage, n in collaborations.order_by()
        .values_list("model", "stage")
        .annotate(n=Count("pk"))
        .values_list("model", "stage", "n")
    }
    rows = []
    for model, label in Model.choices:
        cells = [
            Cell(counts.get((model, stage), 0), list_url(model=model, stage=stage))
            for stage, _label in Stage.choices
        ]
        total = sum(cell.count for cell in cells)
        if total:
            rows.append(ModelRow(model, label, cells, Cell(total, list_url(model=model))))
    stage_totals = [
        Cell(sum(n for (_m, s), n in counts.items() if s == stage), list_url(stage=stage))
        for stage, _label in Stage.choices
    ]
    return rows, stage_totals, Cell(sum(counts.values()), list_url())


def portfolio_of(user, organisation_ids: set[int], today: date) -> Portfolio:
    """The portfolio of the collaborations `organisation_ids` see, as of `today`."""
    collaborations = collaborations_seen(organisation_ids)
    rows, stage_totals, total = _by_model_and_stage(collaborations)
    reasons = risk_conditions(today)
    counted = collaborations.order_by().aggregate(
        any=Count("pk", filter=at_risk_condition(today)),
        follow_ups=Count("pk", filter=follow_up_due_condition(today)),
        **{reason: Count("pk", filter=condition) for reason, condition in reasons.items()},
    )
    return Portfolio(
        total=total,
        rows=rows,
        stage_totals=stage_totals,
        at_risk=Figure(_("At risk"), counted["any"], list_url(at_risk=AT_RISK_ANY)),
        reasons=[
            Figure(label, counted[reason], list_url(at_risk=reason))
            for reason, label in RiskReason.choices
        ],
        follow_ups=Figure(
            _("Follow-ups due"), counted["follow_ups"], list_url(follow_ups=FOLLOW_UPS_DUE)
        ),
        room_figures=[
            figure for source in _figures for figure in source(user, organisation_ids, today)
        ],
        recent=list(
            collaborations.exclude(stage=Stage.CLOSED)
            .select_related("civic_organisation", "institution")
            .order_by("-start_date", "-id")[:RECENT]
        ),
    )


def platform_figures(user, today: date) -> list[Figure]:
    """What every registered source adds to the platform admin's landing."""
    return [figure for source in _platform_figures for figure in source(user, today)]
