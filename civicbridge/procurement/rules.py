"""What a jurisdiction's rules say of a procurement route, and how long its steps take.

Pure functions over plain values, no database: the services load the rules, these decide.
A place's rules are read from the place itself up to the places it is part of (a city,
then its state, then its country): the nearest rule for the route applies.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from civicbridge.core import formats

ALLOWED, BLOCKED, UNKNOWN = "allowed", "blocked", "unknown"


@dataclass(frozen=True)
class Rule:
    """One jurisdiction's rule for one route."""

    jurisdiction: str
    route: str
    route_label: str
    allowed: bool
    max_value: Decimal | None
    currency: str
    explanation: str
    source: str
    source_date: date


@dataclass(frozen=True)
class Step:
    """A step the law requires on a route, with its minimum duration."""

    order: int
    name: str
    minimum_days: int
    source: str
    source_date: date


@dataclass(frozen=True)
class RuleBook:
    """The rules and statutory steps of one jurisdiction, by route."""

    jurisdiction: str
    rules: dict[str, Rule]
    steps: dict[str, list[Step]]


@dataclass(frozen=True)
class Verdict:
    """Allowed, blocked or unknown, the rule that decided it (if any), and why."""

    verdict: str
    reason: str
    rule: Rule | None = None


class CurrencyMismatch(ValueError):
    """The value is in another currency than the rule's threshold; nothing is converted."""


def _cited(rule: Rule) -> str:
    return _("%(explanation)s (%(jurisdiction)s; source: %(source)s, as read on %(date)s)") % {
        "explanation": rule.explanation.rstrip("."),
        "jurisdiction": rule.jurisdiction,
        "source": rule.source,
        "date": formats.day(rule.source_date),
    }


def nearest_rule(chain: Sequence[RuleBook], route: str) -> Rule | None:
    """The rule for `route` of the first place in `chain` (the place, then its parents)."""
    return next((book.rules[route] for book in chain if route in book.rules), None)


def evaluate(
    chain: Sequence[RuleBook], route: str, route_label: str, value: Decimal, currency: str
) -> Verdict:
    """What the rules of `chain` say of `route` at `value` in `currency`.

    At exactly the threshold the route is allowed; a cent above, it is blocked. A value in
    another currency than the threshold's raises CurrencyMismatch.
    """
    if not chain:
        return Verdict(
            UNKNOWN,
            _(
                "No jurisdiction is chosen, so nobody can tell whether %(route)s is lawful here. "
                "You may go on, and the collaboration records it as a risk."
            )
            % {"route": route_label},
        )
    rule = nearest_rule(chain, route)
    if rule is None:
        return Verdict(
            UNKNOWN,
            _(
                "No rule for %(route)s is known in %(place)s or the places it is part of. "
                "You may go on, and the collaboration records it as a risk."
            )
            % {"route": route_label, "place": chain[0].jurisdiction},
        )
    if not rule.allowed:
        return Verdict(
            BLOCKED,
            _("%(route)s is not allowed: %(rule)s.") % {"route": route_label, "rule": _cited(rule)},
            rule,
        )
    if rule.max_value is None:
        return Verdict(
            ALLOWED,
            _("%(route)s is allowed at any value: %(rule)s.")
            % {"route": route_label, "rule": _cited(rule)},
            rule,
        )
    if currency != rule.currency:
        raise CurrencyMismatch(
            _(
                "The rule for %(route)s in %(place)s sets its limit in %(rule_currency)s: give the "
                "value in %(rule_currency)s. Civic Bridge does not convert currencies."
            )
            % {"route": route_label, "place": rule.jurisdiction, "rule_currency": rule.currency}
        )
    if value > rule.max_value:
        return Verdict(
            BLOCKED,
            _("%(route)s is allowed only up to %(limit)s, and %(value)s is more: %(rule)s.")
            % {
                "route": route_label,
                "limit": formats.money(rule.max_value, rule.currency),
                "value": formats.money(value, currency),
                "rule": _cited(rule),
            },
            rule,
        )
    return Verdict(
        ALLOWED,
        _("%(route)s is allowed up to %(limit)s: %(rule)s.")
        % {
            "route": route_label,
            "limit": formats.money(rule.max_value, rule.currency),
            "rule": _cited(rule),
        },
        rule,
    )


@dataclass(frozen=True)
class TimelineStep:
    step: Step
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Timeline:
    """The statutory steps laid end to end, and whether the planned start can be met."""

    steps: list[TimelineStep]
    starts_on: date
    earliest_start: date
    planned_start: date | None
    jurisdiction: str | None

    @property
    def days_short(self) -> int:
        """How many days too early the planned start is (0 when it can be met)."""
        if self.planned_start is None:
            return 0
        return max(0, (self.earliest_start - self.planned_start).days)


def nearest_steps(chain: Sequence[RuleBook], route: str) -> tuple[str | None, list[Step]]:
    """The statutory steps for `route` of the first place in `chain` that sets any."""
    for book in chain:
        if book.steps.get(route):
            return book.jurisdiction, sorted(book.steps[route], key=lambda step: step.order)
    return None, []


def timeline(
    chain: Sequence[RuleBook], route: str, starts_on: date, planned_start: date | None
) -> Timeline:
    """Lay the route's statutory steps one after another from `starts_on`.

    The work can start the day the last step ends at the earliest.
    """
    place, steps = nearest_steps(chain, route)
    laid, day = [], starts_on
    for step in steps:
        end = day + timedelta(days=step.minimum_days)
        laid.append(TimelineStep(step, day, end))
        day = end
    return Timeline(laid, starts_on, day, planned_start, place)
