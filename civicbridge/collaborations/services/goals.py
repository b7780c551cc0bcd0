"""Goals (F1) with indicators: baseline, target and the actual value per reporting period."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import audit, formats
from civicbridge.core.choices import Visibility
from civicbridge.core.permissions import require
from civicbridge.core.services import create_record, update_record
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids

from .. import permissions
from ..models import Collaboration, Goal, Indicator, IndicatorValue
from . import actor_name, record_activity, require_side


def _audited_as(obj, goal: Goal):
    """Indicators and their values have no side of their own: audit them as their goal's."""
    obj.audit_organisation_id = goal.owner_organisation_id
    return obj


def _activity_side(goal: Goal, actor_side: int) -> int:
    """A side-only goal's activity stays on that side; a shared one is the writer's."""
    return goal.owner_organisation_id if goal.visibility == Visibility.OWN_SIDE else actor_side


@transaction.atomic
def add_goal(
    actor,
    collaboration: Collaboration,
    *,
    kind: str,
    title: str,
    visibility: str = Visibility.BOTH_SIDES,
) -> Goal:
    """State a goal for the actor's side, seen by that side, both sides or everyone."""
    side = require_side(actor, collaboration)
    goal = create_record(
        actor,
        Goal,
        collaboration=collaboration,
        owner_organisation_id=side,
        visibility=visibility,
        kind=kind,
        title=title,
    )
    record_activity(
        actor,
        collaboration,
        _("%(actor)s set a goal: “%(title)s”.") % {"actor": actor_name(actor), "title": title},
        side=side,
        visibility=visibility,
    )
    return goal


@transaction.atomic
def update_goal(actor, goal: Goal, *, kind: str, title: str, visibility: str) -> Goal:
    """Change a goal; only the side that set it may."""
    require(permissions.can_change_record(actor, goal))
    update_record(actor, goal, kind=kind, title=title, visibility=visibility)
    record_activity(
        actor,
        goal.collaboration,
        _("%(actor)s changed the goal “%(title)s”.")
        % {"actor": actor_name(actor), "title": goal.title},
        side=goal.owner_organisation_id,
        visibility=goal.visibility,
    )
    return goal


@transaction.atomic
def add_indicator(
    actor, goal: Goal, *, name: str, baseline: Decimal, target: Decimal, unit: str = ""
) -> Indicator:
    """Measure a goal; the side that set the goal defines how it is measured."""
    require(permissions.can_change_record(actor, goal))
    indicator = Indicator(goal=goal, name=name, unit=unit, baseline=baseline, target=target)
    indicator.full_clean()
    indicator.save()
    audit.log_created(actor, _audited_as(indicator, goal))
    record_activity(
        actor,
        goal.collaboration,
        _("%(actor)s added the indicator “%(name)s” to the goal “%(goal)s”.")
        % {"actor": actor_name(actor), "name": name, "goal": goal.title},
        side=goal.owner_organisation_id,
        visibility=goal.visibility,
    )
    return indicator


def _require_reporter(actor, goal: Goal) -> int:
    """A member of either party reports on a shared goal; a side-only goal, its side only."""
    side = require_side(actor, goal.collaboration)
    if goal.visibility == Visibility.OWN_SIDE:
        if goal.owner_organisation_id not in acting_organisation_ids(actor, Access.MEMBER):
            raise PermissionDenied(_("Only the side that set this goal can report on it."))
        return goal.owner_organisation_id
    return side


@transaction.atomic
def report_value(
    actor, indicator: Indicator, *, period_end: date, value: Decimal, note: str = ""
) -> IndicatorValue:
    """Record the actual value for the period ending `period_end`.

    Reporting a period again corrects it: the new value replaces the old one and the
    latest reporter is recorded; the audit log keeps the old value.
    """
    goal = indicator.goal
    side = _require_reporter(actor, goal)
    existing = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, period_end=period_end)
        .first()
    )
    if existing is None:
        reported = IndicatorValue(
            indicator=indicator, period_end=period_end, value=value, note=note, reported_by=actor
        )
        reported.full_clean()
        reported.save()
        audit.log_created(actor, _audited_as(reported, goal))
        message = _("%(actor)s reported %(value)s for “%(name)s”, period ending %(period)s.")
    else:
        before = audit.snapshot(existing)
        existing.value, existing.note, existing.reported_by = value, note, actor
        existing.reported_at = timezone.now()
        existing.full_clean()
        existing.save(update_fields=["value", "note", "reported_by", "reported_at"])
        audit.log_updated(actor, _audited_as(existing, goal), before)
        reported = existing
        message = _("%(actor)s corrected “%(name)s” to %(value)s, period ending %(period)s.")
    record_activity(
        actor,
        goal.collaboration,
        message
        % {
            "actor": actor_name(actor),
            "value": f"{value.normalize():f}{' ' + indicator.unit if indicator.unit else ''}",
            "name": indicator.name,
            "period": formats.day(period_end),
        },
        side=_activity_side(goal, side),
        visibility=goal.visibility,
    )
    return reported


def progress(baseline: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    """How far `actual` has come from the baseline to the target, in whole percent.

    Works for targets below the baseline (fewer days, lower cost). When the target is the
    baseline, there is no distance to cover: 100 if the value holds there, else 0.
    """
    if target == baseline:
        return Decimal(100) if actual == target else Decimal(0)
    return ((actual - baseline) / (target - baseline) * 100).quantize(Decimal(1), ROUND_HALF_UP)
