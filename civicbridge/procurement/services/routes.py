"""Procurement routes (S3, S5, S6): the rules admins keep, and the route a collaboration takes.

Choosing a route evaluates it against the jurisdiction's rules as they are at that moment
(`rules.evaluate`): a blocked route is refused with the rule and its source and nothing is
saved; an unknown one is saved and recorded as a risk on the collaboration.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration, Risk
from civicbridge.collaborations.permissions import visible_collaborations
from civicbridge.collaborations.services import (
    actor_name,
    playbook_model,
    record_activity,
    require_side,
)
from civicbridge.core import audit, formats
from civicbridge.core.permissions import require
from civicbridge.core.services import create_record, update_record

from .. import rules
from ..choices import Route, RouteVerdict
from ..models import Jurisdiction, ProcurementPlan, RouteRule, RuleHistoryEntry, StatutoryStep
from ..permissions import can_edit_rules

LAWFUL_ROUTE = "service_delivery.lawful_route"
# The risk of going on while nobody knows whether the route is lawful. It has its own name so
# that the lifecycle, which resolves a condition's risks once its gate passes, leaves it open:
# the gate lets an unknown route through, but the route is no better known for it.
UNKNOWN_ROUTE = f"{LAWFUL_ROUTE}.unknown"


class RouteBlocked(ValidationError):
    """The jurisdiction's rules do not allow the route: nothing was saved."""

    def __init__(self, verdict: rules.Verdict) -> None:
        self.verdict = verdict
        super().__init__(verdict.reason)


# Reading the rules


def ancestry(jurisdiction: Jurisdiction | None) -> list[Jurisdiction]:
    """The jurisdiction and the places it is part of, nearest first."""
    chain: list[Jurisdiction] = []
    node = jurisdiction
    while node is not None and node not in chain:
        chain.append(node)
        node = node.parent
    return chain


def rule_books(jurisdiction: Jurisdiction | None) -> list[rules.RuleBook]:
    """The rules and steps of the jurisdiction and its parents, nearest first, in two queries."""
    chain = ancestry(jurisdiction)
    ids = [place.pk for place in chain]
    found: dict[int, rules.RuleBook] = {
        place.pk: rules.RuleBook(place.name, {}, {}) for place in chain
    }
    for rule in RouteRule.objects.filter(jurisdiction_id__in=ids):
        found[rule.jurisdiction_id].rules[rule.route] = as_rule(rule, found)
    for step in StatutoryStep.objects.filter(jurisdiction_id__in=ids):
        found[step.jurisdiction_id].steps.setdefault(step.route, []).append(
            rules.Step(step.order, step.name, step.minimum_days, step.source, step.source_date)
        )
    return [found[pk] for pk in ids]


def as_rule(rule: RouteRule, books: dict[int, rules.RuleBook]) -> rules.Rule:
    return rules.Rule(
        jurisdiction=books[rule.jurisdiction_id].jurisdiction,
        route=rule.route,
        route_label=str(Route(rule.route).label),
        allowed=rule.allowed,
        max_value=rule.max_value,
        currency=rule.currency,
        explanation=rule.explanation,
        source=rule.source,
        source_date=rule.source_date,
    )


def evaluate_route(
    jurisdiction: Jurisdiction | None, route: str, value: Decimal, currency: str
) -> rules.Verdict:
    """What the jurisdiction's rules say now of `route` at `value` (CurrencyMismatch raises)."""
    return rules.evaluate(rule_books(jurisdiction), route, str(Route(route).label), value, currency)


def every_route(
    jurisdiction: Jurisdiction | None, value: Decimal, currency: str
) -> list[tuple[str, rules.Verdict | None, str]]:
    """What the rules say of each route at `value`, so a blocked route shows before anyone
    picks it: (route label, verdict or None, the refusal when the currency does not fit)."""
    books = rule_books(jurisdiction)
    verdicts: list[tuple[str, rules.Verdict | None, str]] = []
    for route, label in Route.choices:
        try:
            verdicts.append(
                (str(label), rules.evaluate(books, route, str(label), value, currency), "")
            )
        except rules.CurrencyMismatch as mismatch:
            verdicts.append((str(label), None, str(mismatch)))
    return verdicts


def plan_timeline(plan: ProcurementPlan) -> rules.Timeline:
    """The route's statutory steps from the day procurement starts, against the planned start."""
    return rules.timeline(
        rule_books(plan.jurisdiction),
        plan.route,
        plan.procurement_starts_on,
        plan.collaboration.start_date,
    )


# Choosing the route of a collaboration


def _validated(
    route: str, jurisdiction: Jurisdiction | None, value: Decimal, currency: str
) -> rules.Verdict:
    if route not in Route.values:
        raise ValidationError({"route": _("Choose one of the routes.")})
    if value < 0:
        raise ValidationError({"estimated_value": _("The value cannot be negative.")})
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise ValidationError(
            {"currency": _("Give the currency as three capital letters, for example AUD.")}
        )
    try:
        verdict = evaluate_route(jurisdiction, route, value, currency)
    except rules.CurrencyMismatch as mismatch:
        raise ValidationError({"currency": str(mismatch)}) from mismatch
    if verdict.verdict == rules.BLOCKED:
        raise RouteBlocked(verdict)
    return verdict


def _lawful_route_statement(collaboration: Collaboration) -> str:
    model = playbook_model(collaboration) or {}
    for condition in model.get("conditions", []):
        if condition["id"] == LAWFUL_ROUTE:
            return next(iter(condition["statement"].values()), LAWFUL_ROUTE)
    return _("The institution can lawfully obtain the service on the planned terms.")


def _record_lawful_route_risk(actor, collaboration: Collaboration, verdict: rules.Verdict) -> None:
    """Keep one open risk while the route's lawfulness is unknown; close it once it is known."""
    open_risks = collaboration.risks.filter(condition=UNKNOWN_ROUTE, resolved_on=None)
    if verdict.verdict == rules.ALLOWED:
        for risk in open_risks:
            before = audit.snapshot(risk)
            risk.resolved_on = timezone.localdate()
            risk.save(update_fields=["resolved_on", "updated_at"])
            audit.log_updated(actor, risk, before)
        return
    current = open_risks.first()
    if current is None:
        created = Risk.objects.create(
            collaboration=collaboration,
            condition=UNKNOWN_ROUTE,
            statement=_lawful_route_statement(collaboration),
            reason=verdict.reason,
            stage=collaboration.stage,
        )
        audit.log_created(actor, created)
    elif current.reason != verdict.reason:
        before = audit.snapshot(current)
        current.reason = verdict.reason
        current.save(update_fields=["reason", "updated_at"])
        audit.log_updated(actor, current, before)


@transaction.atomic
def choose_route(
    actor,
    collaboration: Collaboration,
    *,
    route: str,
    jurisdiction: Jurisdiction | None,
    estimated_value: Decimal,
    currency: str,
    procurement_starts_on: date,
) -> ProcurementPlan:
    """Choose or change the collaboration's procurement route, checked against the rules.

    A blocked route raises RouteBlocked naming the rule and its source, and saves nothing.
    An unknown one is saved with a risk on the collaboration; an allowed one closes that risk.
    """
    side = require_side(actor, collaboration)
    if collaboration.model != Model.SERVICE_DELIVERY:
        raise ValidationError(_("Only a service-delivery collaboration has a procurement route."))
    verdict = _validated(route, jurisdiction, estimated_value, currency)
    plan = ProcurementPlan.objects.filter(collaboration=collaboration).first()
    fields = {
        "route": route,
        "jurisdiction": jurisdiction,
        "estimated_value": estimated_value,
        "currency": currency,
        "procurement_starts_on": procurement_starts_on,
        "verdict": verdict.verdict,
        "verdict_reason": verdict.reason,
        "decided_by": actor,
    }
    if plan is None:
        plan = create_record(actor, ProcurementPlan, collaboration=collaboration, **fields)
    else:
        plan.collaboration = collaboration
        plan = update_record(actor, plan, **fields)
    _record_lawful_route_risk(actor, collaboration, verdict)
    record_activity(
        actor,
        collaboration,
        _("%(name)s chose the procurement route “%(route)s”: %(verdict)s.")
        % {
            "name": actor_name(actor),
            "route": plan.get_route_display(),
            "verdict": RouteVerdict(verdict.verdict).label,
        },
        side=side,
    )
    return plan


def plan_of(collaboration: Collaboration) -> ProcurementPlan | None:
    """The collaboration's procurement plan with its jurisdiction, if a route is chosen."""
    plan = (
        ProcurementPlan.objects.select_related("jurisdiction", "decided_by__person")
        .filter(collaboration=collaboration)
        .first()
    )
    if plan is not None:
        plan.collaboration = collaboration
    return plan


# Keeping the rules (platform admins)


def _check_parent(jurisdiction: Jurisdiction | None, parent: Jurisdiction | None) -> None:
    if jurisdiction is not None and jurisdiction.pk and jurisdiction in ancestry(parent):
        raise ValidationError({"parent": _("A jurisdiction cannot be part of itself.")})


@transaction.atomic
def create_jurisdiction(actor, **fields) -> Jurisdiction:
    require(can_edit_rules(actor))
    return create_record(actor, Jurisdiction, **fields)


@transaction.atomic
def update_jurisdiction(actor, jurisdiction: Jurisdiction, **fields) -> Jurisdiction:
    require(can_edit_rules(actor))
    _check_parent(jurisdiction, fields.get("parent", jurisdiction.parent))
    return update_record(actor, jurisdiction, **fields)


def _check_threshold(fields: dict) -> None:
    if fields.get("max_value") is not None and not fields.get("allowed"):
        raise ValidationError(
            {"max_value": _("A route that is not allowed has no value limit: leave it empty.")}
        )


@transaction.atomic
def save_rule(
    actor,
    jurisdiction: Jurisdiction,
    rule: RouteRule | None = None,
    *,
    because_of: Collaboration | None = None,
    **fields,
) -> RouteRule:
    """Add a route rule to the jurisdiction, or change `rule`, and keep the change in the
    jurisdiction's rule history, naming the policy collaboration it came from if any."""
    require(can_edit_rules(actor))
    _check_threshold(fields)
    if because_of is not None and not (
        visible_collaborations(actor).filter(pk=because_of.pk, model=Model.POLICY).exists()
    ):
        raise ValidationError(
            {"because_of": _("Name a policy development collaboration you can see.")}
        )
    if rule is None:
        saved = create_record(actor, RouteRule, jurisdiction=jurisdiction, **fields)
        what = _("Rule added: %(rule)s") % {"rule": _rule_words(saved)}
    else:
        before = _rule_words(RouteRule.objects.get(pk=rule.pk))
        saved = update_record(actor, rule, **fields)
        after = _rule_words(saved)
        if before == after and because_of is None:
            return saved
        what = _("%(before)s → %(after)s") % {"before": before, "after": after}
    RuleHistoryEntry.objects.create(
        jurisdiction=jurisdiction,
        rule=saved,
        route=saved.route,
        what=what[:500],
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        because_of=because_of,
    )
    return saved


def _rule_words(rule: RouteRule) -> str:
    """What a rule allows, in a few words, for its history."""
    label = Route(rule.route).label
    if not rule.allowed:
        return _("%(route)s not allowed") % {"route": label}
    if rule.max_value is None:
        return _("%(route)s allowed at any value") % {"route": label}
    return _("%(route)s allowed up to %(value)s") % {
        "route": label,
        "value": formats.money(rule.max_value, rule.currency),
    }


@transaction.atomic
def save_step(
    actor, jurisdiction: Jurisdiction, step: StatutoryStep | None = None, **fields
) -> StatutoryStep:
    """Add a statutory step to the jurisdiction, or change `step`."""
    require(can_edit_rules(actor))
    if step is None:
        return create_record(actor, StatutoryStep, jurisdiction=jurisdiction, **fields)
    return update_record(actor, step, **fields)
