"""Why a collaboration is at risk, as conditions the database answers for many at once.

The portfolio on the home page counts with these conditions, and the collaboration list
filters with them (`Collaboration.objects.at_risk`), so a number and its list always agree.
Each is worked out in the query: no collaboration is read into Python to decide it.

- conditions: a condition of the playbook failed when the collaboration passed a gate and
  is still open (a `Risk`), or the work runs on an MOU that both sides no longer sign (a
  change voided a signature, or it was never signed).
- checkins: while check-ins are given, a side owes the update for a date that has passed
  since its latest one (`OwedCheckIn`); or the two sides' shared ratings for a date in the last
  two periods are `DIVERGENCE` or more apart.
- one_person: while the work runs, a side names fewer than two people on it (F7).
"""

from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from civicbridge.core.choices import Visibility

from ..choices import RiskReason, Stage
from .agreement import Agreement
from .checkins import CheckIn, OwedCheckIn
from .core import Risk
from .handover import FollowUp
from .people import Stakeholder

DIVERGENCE = 2  # quality ratings this far apart mean the sides see the work differently

# Check-ins are given from the agreement until the collaboration closes; the work runs.
RUNNING = (Stage.AGREED, Stage.ACTIVE, Stage.CLOSING)

ONE_DAY = timedelta(days=1)


def _days(expression, times: int = 1):
    """`expression` (a number of days) as a duration, to add to a date in the query."""
    days = ExpressionWrapper(expression, output_field=IntegerField())
    return ExpressionWrapper(days * Value(ONE_DAY * times), output_field=DurationField())


def _plus_days(day, days) -> ExpressionWrapper:
    return ExpressionWrapper(day + days, output_field=DateField())


def _condition_fails() -> Q:
    open_risk = Exists(Risk.objects.filter(collaboration=OuterRef("pk"), resolved_on__isnull=True))
    agreement = Agreement.objects.filter(collaboration=OuterRef("pk"))
    unsigned = Exists(agreement) & ~Exists(agreement.fully_signed())
    return ~Q(stage=Stage.CLOSED) & (Q(open_risk) | (Q(stage__in=RUNNING) & Q(unsigned)))


def _side_behind(today: date) -> Q:
    """A side owes a check-in whose date has passed: what `OwedCheckIn` keeps, the one place
    of the rule that a side's latest update covers every earlier date."""
    return Q(Exists(OwedCheckIn.objects.filter(collaboration=OuterRef("pk"), first_due__lt=today)))


def _diverging(today: date) -> Q:
    """The sides shared ratings `DIVERGENCE` apart for a date in the last two periods."""
    shared = ~Q(visibility=Visibility.OWN_SIDE)
    institution = CheckIn.objects.filter(
        shared,
        collaboration=OuterRef("collaboration"),
        due_on=OuterRef("due_on"),
        owner_organisation=OuterRef("collaboration__institution"),
    ).filter(
        Q(quality__gte=OuterRef("quality") + DIVERGENCE)
        | Q(quality__lte=OuterRef("quality") - DIVERGENCE)
    )
    recent = _plus_days(F("due_on"), _days(F("collaboration__checkin_every_days"), 2))
    civic = CheckIn.objects.filter(
        shared,
        collaboration=OuterRef("pk"),
        owner_organisation=OuterRef("civic_organisation"),
    ).filter(GreaterThanOrEqual(recent, Value(today)), Exists(institution))
    return Q(Exists(civic))


def _checkins_slipping(today: date) -> Q:
    return Q(stage__in=RUNNING) & (_side_behind(today) | _diverging(today))


def _people_named(side: str):
    named = (
        Stakeholder.objects.filter(collaboration=OuterRef("pk"), organisation=OuterRef(side))
        .values("collaboration")
        .annotate(people=Count("person", distinct=True))
        .values("people")
    )
    return Coalesce(Subquery(named, output_field=IntegerField()), 0)


def _rests_on_one_person() -> Q:
    return Q(stage__in=RUNNING) & (
        Q(LessThan(_people_named("civic_organisation"), 2))
        | Q(LessThan(_people_named("institution"), 2))
    )


def risk_conditions(today: date) -> dict[str, Q]:
    """Each reason for being at risk (RiskReason) as a condition on Collaboration."""
    return {
        RiskReason.CONDITIONS: _condition_fails(),
        RiskReason.CHECKINS: _checkins_slipping(today),
        RiskReason.ONE_PERSON: _rests_on_one_person(),
    }


def at_risk_condition(today: date, reason: str = "") -> Q:
    """At risk for `reason`, or for any reason when none is given."""
    conditions = risk_conditions(today)
    if reason:
        return conditions[reason]
    return reduce(or_, conditions.values())


def follow_up_due_condition(today: date) -> Q:
    """A follow-up of the closed collaboration fell due and is not answered yet."""
    return Q(
        Exists(
            FollowUp.objects.filter(
                collaboration=OuterRef("pk"), due_on__lte=today, answered_at__isnull=True
            )
        )
    )
