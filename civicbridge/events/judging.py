"""The results of judging, computed from the rubric and the judges' score sheets (E3).

Pure Python: no Django, no database. The services read the rows and call `rank`; the
pages and the API show what it returns. Means are kept as exact fractions, so two projects
tie only when their scores truly are equal, never by the rounding of a float.

Each judge's score of a project is the weighted mean of their scores (1 to 5) over the
rubric's criteria: the sum of weight times score divided by the sum of the weights. A project's
total is the mean of its judges' scores. Equal totals are ordered by the rule in
`TIE_BREAK`, which the results state in words.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction
from typing import Any

# Stated with the results (and stored on the event) in these words; `rank` applies it.
TIE_BREAK = (
    "Projects with equal totals are ordered by their mean score on the heaviest criterion "
    "(the first in the rubric among equally heavy ones), then by the number of judges who "
    "scored them (more first), then by when they were entered (earlier first)."
)

# Which step of the tie-break separated a project from the one ranked just above it.
BY_TOTAL = "total"
BY_HEAVIEST = "heaviest"
BY_JUDGES = "judges"
BY_ENTRY = "entry"


@dataclass(frozen=True)
class Criterion:
    id: Any
    weight: int
    order: int = 0


@dataclass(frozen=True)
class Entry:
    """A project with its score sheets: judge → {criterion id → score}."""

    project: Any
    entered_at: datetime
    sheets: Mapping[Any, Mapping[Any, int]]


@dataclass(frozen=True)
class Result:
    project: Any
    rank: int | None  # None: no judge scored the project
    total: Fraction | None
    judges: int
    heaviest: Fraction | None  # the mean score on the heaviest criterion
    per_criterion: dict[Any, Fraction]  # the mean score on each criterion
    decided_by: str | None  # how it was told apart from the project above it, if tied

    @property
    def tied(self) -> bool:
        return self.decided_by not in (None, BY_TOTAL)


def heaviest(criteria: Sequence[Criterion]) -> Criterion | None:
    """The criterion with the largest weight; the first in the rubric among equals."""
    if not criteria:
        return None
    return min(criteria, key=lambda c: (-c.weight, c.order))


def sheet_score(criteria: Sequence[Criterion], sheet: Mapping[Any, int]) -> Fraction:
    """One judge's weighted mean: sum of weight times score over the sum of the weights."""
    weights = sum(c.weight for c in criteria)
    return Fraction(sum(c.weight * sheet[c.id] for c in criteria), weights)


def complete_sheets(
    criteria: Sequence[Criterion], sheets: Mapping[Any, Mapping[Any, int]]
) -> list[Mapping[Any, int]]:
    """The sheets that score every criterion; a partial sheet would weigh criteria unevenly."""
    ids = {c.id for c in criteria}
    return [sheet for sheet in sheets.values() if ids <= sheet.keys()]


def _mean(values: Iterable[Fraction]) -> Fraction:
    values = list(values)
    return sum(values, Fraction(0)) / len(values)


def _score(criteria: Sequence[Criterion], entry: Entry, top: Criterion | None) -> Result:
    sheets = complete_sheets(criteria, entry.sheets) if criteria else []
    if not sheets:
        return Result(entry.project, None, None, 0, None, {}, None)
    per_criterion = {c.id: _mean(Fraction(sheet[c.id]) for sheet in sheets) for c in criteria}
    return Result(
        project=entry.project,
        rank=None,
        total=_mean(sheet_score(criteria, sheet) for sheet in sheets),
        judges=len(sheets),
        heaviest=per_criterion[top.id] if top else None,
        per_criterion=per_criterion,
        decided_by=None,
    )


def _decided_by(above: tuple, below: tuple) -> str:
    """The first key of the ordering on which two neighbours differ."""
    for name, a, b in zip((BY_TOTAL, BY_HEAVIEST, BY_JUDGES, BY_ENTRY), above, below, strict=False):
        if a != b:
            return name
    return BY_ENTRY


def rank(criteria: Sequence[Criterion], entries: Iterable[Entry]) -> list[Result]:
    """Every project, best first, ranked by total and then by the tie-break.

    Projects no judge scored fully come last, without a rank.
    """
    top = heaviest(criteria)
    scored: list[tuple[Entry, Result]] = []
    unscored: list[tuple[Entry, Result]] = []
    for entry in entries:
        result = _score(criteria, entry, top)
        (scored if result.total is not None else unscored).append((entry, result))

    def key(pair: tuple[Entry, Result]) -> tuple:
        entry, result = pair
        return (-result.total, -result.heaviest, -result.judges, entry.entered_at)  # type: ignore[operator]

    scored.sort(key=key)
    ranked: list[Result] = []
    previous = None
    for position, pair in enumerate(scored, start=1):
        current = key(pair)
        decided = _decided_by(previous, current) if previous is not None else None
        ranked.append(replace(pair[1], rank=position, decided_by=decided))
        previous = current
    unscored.sort(key=lambda pair: pair[0].entered_at)
    return ranked + [result for _entry, result in unscored]
