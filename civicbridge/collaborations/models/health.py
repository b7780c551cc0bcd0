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

These conditions are the one place of each rule; what they found is kept on the
collaboration's row (`risk_conditions`, `risk_checkins`, `risk_one_person`, `follow_up_due`,
worked out on `health_on`), so a portfolio of a hundred thousand collaborations counts flags
instead of running every condition on every row. `refresh_health` works out the rows that
are stale: never worked out, worked out on another day (the scheduler's upkeep does that
each morning), or cleared since by a change to what the conditions read (`health_changed`,
called by the signals `watch_health` connects for each model they read).
"""

from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.db.models import (
    Case,
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
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from civicbridge.core.choices import Visibility

from ..choices import RiskReason, Stage
from .agreement import Agreement, Signature
from .checkins import CheckIn, OwedCheckIn
from .core import Collaboration, Risk
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


# What was found, kept on the collaboration

FLAGS: dict[str, str] = {
    RiskReason.CONDITIONS: "risk_conditions",
    RiskReason.CHECKINS: "risk_checkins",
    RiskReason.ONE_PERSON: "risk_one_person",
}


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False))


def refresh_health(collaborations, today: date) -> int:
    """Work out, in one UPDATE, the health of those of `collaborations` whose health is
    stale for `today`; says how many rows it worked out."""
    # Three ranges of the index on health_on, where "not today" would read every row.
    stale = collaborations.filter(
        Q(health_on__isnull=True) | Q(health_on__lt=today) | Q(health_on__gt=today)
    )
    conditions = risk_conditions(today)
    return Collaboration.objects.filter(pk__in=stale.order_by().values("pk")).update(
        **{flag: _flag(conditions[reason]) for reason, flag in FLAGS.items()},
        follow_up_due=_flag(follow_up_due_condition(today)),
        health_on=today,
    )


def at_risk_flag(reason: str = "") -> Q:
    """At risk for `reason`, or for any reason when none is given, as last worked out."""
    if reason:
        return Q(**{FLAGS[reason]: True})
    return reduce(or_, (Q(**{flag: True}) for flag in FLAGS.values()))


def health_changed(collaboration_ids) -> None:
    """Have the health of these collaborations worked out again at the next read."""
    Collaboration.objects.filter(pk__in=collaboration_ids, health_on__isnull=False).update(
        health_on=None
    )


def _its_own(row) -> list[int]:
    return [row.collaboration_id]


# What the conditions read, and the collaboration a row of it belongs to: a change to any
# of it clears that collaboration's health.
WATCHED = {
    Collaboration: lambda row: [row.pk],
    Risk: _its_own,
    Agreement: _its_own,
    Signature: lambda row: Agreement.objects.filter(pk=row.agreement_id).values("collaboration"),
    CheckIn: _its_own,
    OwedCheckIn: _its_own,
    Stakeholder: _its_own,
    FollowUp: _its_own,
}


def _changed(sender, instance, created: bool = False, **kwargs) -> None:
    if not created or sender is not Collaboration:  # a new one was never worked out
        health_changed(WATCHED[sender](instance))


def watch_health() -> None:
    """Connect the signals that clear a collaboration's health when what it reads changes
    (called once, from the app's ready()). Writes that bypass signals (a queryset's update)
    call `health_changed` themselves."""
    from django.db.models.signals import post_delete, post_save

    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"health-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"health-{model.__name__}-del")
