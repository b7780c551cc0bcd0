"""Procurement routes checked against a jurisdiction's rules (S3, S5), and the route gate."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civicbridge.collaborations.models import Activity, Risk
from civicbridge.collaborations.services.lifecycle import GateRefused, advance
from civicbridge.core.models import AuditEntry
from civicbridge.procurement import rules
from civicbridge.procurement.models import ProcurementPlan, RouteRule
from civicbridge.procurement.services.routes import (
    LAWFUL_ROUTE,
    UNKNOWN_ROUTE,
    RouteBlocked,
    choose_route,
    plan_timeline,
)

from .route_helpers import READ_ON, SOURCE, choose, country_and_province, service_delivery


def rule_book(place: str, **routes: rules.Rule) -> rules.RuleBook:
    return rules.RuleBook(place, dict(routes), {})


def a_rule(route: str, *, allowed=True, max_value=None, currency="", place="Testland"):
    return rules.Rule(
        jurisdiction=place,
        route=route,
        route_label=route.replace("_", " ").capitalize(),
        allowed=allowed,
        max_value=Decimal(max_value) if max_value else None,
        currency=currency,
        explanation="The act caps direct awards",
        source=SOURCE,
        source_date=READ_ON,
    )


CAPPED = rule_book(
    "Testland", direct_award=a_rule("direct_award", max_value="50000.00", currency="AUD")
)


def verdict_at(value: str, chain=(CAPPED,), currency="AUD") -> rules.Verdict:
    return rules.evaluate(list(chain), "direct_award", "Direct award", Decimal(value), currency)


# The pure evaluation


def test_exactly_the_threshold_is_allowed():
    assert verdict_at("50000.00").verdict == rules.ALLOWED


def test_one_cent_above_the_threshold_is_blocked_with_the_rule_and_its_source():
    verdict = verdict_at("50000.01")
    assert verdict.verdict == rules.BLOCKED
    assert verdict.rule is not None and verdict.rule.route == "direct_award"
    assert "50,000.00 AUD" in verdict.reason
    assert SOURCE in verdict.reason and "1 Mar 2026" in verdict.reason


def test_a_cent_below_and_zero_are_allowed():
    assert verdict_at("49999.99").verdict == rules.ALLOWED
    assert verdict_at("0").verdict == rules.ALLOWED


def test_another_currency_than_the_thresholds_is_refused_without_conversion():
    with pytest.raises(rules.CurrencyMismatch, match="AUD"):
        verdict_at("100.00", currency="EUR")


def test_a_rule_without_a_threshold_takes_any_currency():
    chain = [rule_book("Testland", open_tender=a_rule("open_tender"))]
    verdict = rules.evaluate(chain, "open_tender", "Open tender", Decimal("9e9"), "EUR")
    assert verdict.verdict == rules.ALLOWED


def test_a_forbidden_route_is_blocked_at_any_value():
    chain = [rule_book("Testland", donation=a_rule("donation", allowed=False))]
    verdict = rules.evaluate(chain, "donation", "Donation", Decimal("0"), "AUD")
    assert verdict.verdict == rules.BLOCKED
    assert "The act caps direct awards" in verdict.reason and SOURCE in verdict.reason


def test_a_place_without_its_own_rule_follows_its_parent():
    province = rule_book("North Province")
    verdict = verdict_at("50000.01", chain=(province, CAPPED))
    assert verdict.verdict == rules.BLOCKED
    assert verdict.rule is not None and verdict.rule.jurisdiction == "Testland"


def test_a_places_own_rule_comes_before_its_parents():
    generous = rule_book(
        "North Province",
        direct_award=a_rule("direct_award", max_value="80000.00", currency="AUD"),
    )
    assert verdict_at("70000.00", chain=(generous, CAPPED)).verdict == rules.ALLOWED


def test_no_jurisdiction_or_no_rule_is_unknown():
    assert verdict_at("10.00", chain=()).verdict == rules.UNKNOWN
    unknown = verdict_at("10.00", chain=(rule_book("Nowhere"),))
    assert unknown.verdict == rules.UNKNOWN and "Nowhere" in unknown.reason


def test_statutory_steps_are_laid_end_to_end_against_the_planned_start():
    steps = [
        rules.Step(2, "Evaluate the bids", 20, SOURCE, READ_ON),
        rules.Step(1, "Publish the notice", 35, SOURCE, READ_ON),
    ]
    chain = [rules.RuleBook("Testland", {}, {"open_tender": steps})]
    start = date(2026, 1, 1)
    timeline = rules.timeline(chain, "open_tender", start, planned_start=date(2026, 2, 1))
    assert [item.step.name for item in timeline.steps] == [
        "Publish the notice",
        "Evaluate the bids",
    ]
    assert timeline.steps[0].ends_on == date(2026, 2, 5)
    assert timeline.earliest_start == date(2026, 2, 25)
    assert timeline.days_short == 24
    on_time = rules.timeline(chain, "open_tender", start, planned_start=date(2026, 2, 25))
    assert on_time.days_short == 0


# Choosing a route


@pytest.fixture
def collaboration(world, playbook):
    return service_delivery(world)


@pytest.fixture
def places(db):
    return country_and_province()


def test_a_blocked_route_is_refused_naming_rule_and_source_and_nothing_is_saved(
    world, collaboration, places
):
    country, _province = places
    activities = Activity.objects.count()
    audits = AuditEntry.objects.count()
    with pytest.raises(RouteBlocked) as refused:
        choose(world, collaboration, country, route="donation", value="0")
    message = " ".join(refused.value.messages)
    assert "Public bodies may not accept software or services for free" in message
    assert SOURCE in message
    assert not ProcurementPlan.objects.exists()
    assert Activity.objects.count() == activities and AuditEntry.objects.count() == audits


def test_a_direct_award_a_cent_above_the_cap_is_refused(world, collaboration, places):
    country, _province = places
    with pytest.raises(RouteBlocked, match=r"50,000\.00 AUD"):
        choose(world, collaboration, country, value="50000.01")
    assert not ProcurementPlan.objects.exists()


def test_an_allowed_route_is_saved_with_its_verdict_audit_and_activity(
    world, collaboration, places
):
    country, _province = places
    plan = choose(world, collaboration, country, value="50000.00")
    assert plan.verdict == "allowed" and "50,000.00 AUD" in plan.verdict_reason
    assert AuditEntry.objects.filter(object_repr=str(plan), action="create").exists()
    assert collaboration.activitys.filter(message__contains="Direct award").exists()
    assert not collaboration.risks.exists()


def test_a_province_without_a_rule_uses_its_countrys(world, collaboration, places):
    _country, province = places
    with pytest.raises(RouteBlocked, match="Testland"):
        choose(world, collaboration, province, route="donation", value="0")
    assert choose(world, collaboration, province, route="innovation").verdict == "allowed"


def test_a_value_in_another_currency_than_the_cap_is_refused(world, collaboration, places):
    country, _province = places
    with pytest.raises(ValidationError) as refused:
        choose(world, collaboration, country, value="100.00", currency="EUR")
    assert "AUD" in refused.value.message_dict["currency"][0]
    assert not ProcurementPlan.objects.exists()


def test_an_unknown_jurisdiction_is_saved_with_a_risk_on_the_collaboration(
    world, collaboration, places
):
    plan = choose(world, collaboration, None, route="pro_bono", value="0")
    assert plan.verdict == "unknown"
    risk = Risk.objects.get(collaboration=collaboration, condition=UNKNOWN_ROUTE)
    assert risk.resolved_on is None and "No jurisdiction is chosen" in risk.reason
    assert "lawfully obtain" in risk.statement  # the playbook's condition

    # A route with no known rule is unknown too, and keeps the one open risk.
    country, _province = places
    assert choose(world, collaboration, country, route="grant").verdict == "unknown"
    assert collaboration.risks.filter(condition=UNKNOWN_ROUTE, resolved_on=None).count() == 1

    # Once an allowed route is chosen, the risk is resolved.
    choose(world, collaboration, country, route="open_tender")
    risk.refresh_from_db()
    assert risk.resolved_on == timezone.localdate()


def test_either_sides_members_choose_and_nobody_else(world, collaboration, places):
    country, _province = places
    plan = choose_route(
        world.official,
        collaboration,
        route="open_tender",
        jurisdiction=country,
        estimated_value=Decimal("1.00"),
        currency="AUD",
        procurement_starts_on=timezone.localdate(),
    )
    assert plan.decided_by == world.official
    for stranger in (world.outsider, world.admin):
        with pytest.raises(PermissionDenied):
            choose_route(
                stranger,
                collaboration,
                route="open_tender",
                jurisdiction=country,
                estimated_value=Decimal("1.00"),
                currency="AUD",
                procurement_starts_on=timezone.localdate(),
            )


def test_only_a_service_delivery_has_a_route(world, fellowship, places):
    country, _province = places
    with pytest.raises(ValidationError, match="service-delivery"):
        choose(world, fellowship, country)


def test_changing_the_route_updates_the_one_plan(world, collaboration, places):
    country, _province = places
    first = choose(world, collaboration, country, value="10.00")
    second = choose(world, collaboration, country, route="open_tender", value="900000.00")
    assert first.pk == second.pk and ProcurementPlan.objects.count() == 1
    assert ProcurementPlan.objects.get().route == "open_tender"


# The gate


def to_preparing(world, collaboration):
    advance(world.civic_lead, collaboration)
    collaboration.refresh_from_db()


def refused_conditions(world, collaboration) -> set[str]:
    with pytest.raises(GateRefused) as refused:
        advance(world.civic_lead, collaboration)
    return {result.condition for result in refused.value.refusals}


def test_agreed_waits_for_a_lawful_route(world, collaboration, places):
    country, _province = places
    to_preparing(world, collaboration)
    assert refused_conditions(world, collaboration) == {LAWFUL_ROUTE}
    choose(world, collaboration, country, value="50000.00")
    assert advance(world.civic_lead, collaboration).to_stage == "agreed"


def test_a_route_the_rules_block_since_it_was_chosen_stops_the_gate(world, collaboration, places):
    country, _province = places
    to_preparing(world, collaboration)
    choose(world, collaboration, country, value="50000.00")
    RouteRule.objects.filter(jurisdiction=country, route="direct_award").update(
        max_value=Decimal("40000.00")
    )
    with pytest.raises(GateRefused, match="no longer allow"):
        advance(world.civic_lead, collaboration)


def test_an_unknown_route_passes_every_later_gate_and_its_risk_stays_open(world, collaboration):
    to_preparing(world, collaboration)
    choose(world, collaboration, None, route="pro_bono", value="0")
    assert advance(world.civic_lead, collaboration).to_stage == "agreed"
    collaboration.refresh_from_db()
    # The lawful-route gate holds from agreed on, and passing it does not make the route known.
    with pytest.raises(GateRefused) as refused:
        advance(world.civic_lead, collaboration)
    assert LAWFUL_ROUTE not in {result.condition for result in refused.value.refusals}
    assert collaboration.risks.filter(condition=UNKNOWN_ROUTE, resolved_on=None).count() == 1


def test_the_timeline_warns_how_many_days_the_planned_start_is_short(world, places, playbook):
    country, _province = places
    collaboration = service_delivery(world, start_in_days=40)
    plan = choose(world, collaboration, country, route="open_tender")
    timeline = plan_timeline(plan)
    assert timeline.earliest_start == timezone.localdate() + timedelta(days=55)
    assert timeline.days_short == 15
