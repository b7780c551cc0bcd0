"""How many of an event's projects are still alive, month by month: a Kaplan-Meier estimate.

Pure Python, no Django: the callers turn follow-up answers into observations.

Each project is one observation: the months after the event when it was last seen, and
whether it died then. A project dies when it is abandoned. One still alive when last asked,
or whose later follow-ups went unanswered, is *censored* at the last answer: we know it lived
that long and nothing after. A plain share of "still alive" would count the unanswered as
dead, or as alive; the estimate counts each project only for as long as it was seen.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEAD = "abandoned"
NO_ANSWER = frozenset({"", "unknown"})
# When the answers of one period differ, the first of these that anyone gave is the
# project's status then: an institution that adopted it outweighs a team that moved on.
PRECEDENCE = ("adopted", "handed_over", "active", "paused", DEAD)


@dataclass(frozen=True)
class Observation:
    months: int
    died: bool


@dataclass(frozen=True)
class Step:
    """The estimate at one month where projects died or stopped being seen."""

    months: int
    at_risk: int  # projects still followed just before this month
    deaths: int
    censored: int
    survival: float  # the share estimated alive just after this month


def observe(answers: Iterable[tuple[int, str]]) -> Observation:
    """One project's observation from its follow-up answers, as (months, status) pairs.

    A period may have several answers (the team and each committed official): it counts as
    alive if anyone says the project lives, because a project lives while anyone runs it,
    and as a death only when every answer of the period says it was abandoned. Periods
    without an answer say nothing. The first death ends the observation.
    """
    by_period: dict[int, set[str]] = {}
    for months, status in answers:
        if status not in NO_ANSWER:
            by_period.setdefault(months, set()).add(status)
    last_seen = 0
    for months in sorted(by_period):
        if by_period[months] == {DEAD}:
            return Observation(months, died=True)
        last_seen = months
    return Observation(last_seen, died=False)


def latest_status(answers: Iterable[tuple[int, str]]) -> str:
    """What the latest answered period says of the project, or "" when none was answered."""
    by_period: dict[int, set[str]] = {}
    for months, status in answers:
        if status not in NO_ANSWER:
            by_period.setdefault(months, set()).add(status)
    if not by_period:
        return ""
    said = by_period[max(by_period)]
    return next(status for status in PRECEDENCE if status in said)


def kaplan_meier(observations: Iterable[Observation]) -> list[Step]:
    """The product-limit estimate: at each month with a death, the share alive is multiplied
    by (1 - deaths / projects at risk). A project censored at a month is still at risk at
    that month, as is the convention, and leaves the risk set after it."""
    deaths: dict[int, int] = {}
    censored: dict[int, int] = {}
    total = 0
    for observation in observations:
        tally = deaths if observation.died else censored
        tally[observation.months] = tally.get(observation.months, 0) + 1
        total += 1
    steps = []
    at_risk, survival = total, 1.0
    for months in sorted(deaths.keys() | censored.keys()):
        died, left = deaths.get(months, 0), censored.get(months, 0)
        survival *= 1 - died / at_risk
        steps.append(Step(months, at_risk, died, left, survival))
        at_risk -= died + left
    return steps


def survival_at(steps: Sequence[Step], months: int) -> float | None:
    """The estimated share alive `months` after the event; None when no project was followed
    that long, since the estimate then says nothing (unless every project had died)."""
    if not steps:
        return None
    known = [step for step in steps if step.months <= months]
    estimate = known[-1].survival if known else 1.0
    if steps[-1].months < months and estimate > 0:
        return None
    return estimate


def followed_to(observations: Iterable[Observation], months: int) -> int:
    """How many projects were seen alive at `months`, or died by then: the numbers an
    estimate at `months` rests on."""
    return sum(1 for o in observations if o.months >= months or o.died)


def curve_points(steps: Sequence[Step]) -> list[tuple[int, float]]:
    """The estimate as the corners of a step line, in percent, from 100% at month 0."""
    points = [(0, 100.0)]
    level = 100.0
    for step in steps:
        new_level = round(step.survival * 100, 1)
        if new_level != level:
            points.append((step.months, level))
            points.append((step.months, new_level))
            level = new_level
    if steps and steps[-1].months > points[-1][0]:
        points.append((steps[-1].months, level))
    return points
