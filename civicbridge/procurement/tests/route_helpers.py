"""What the route and conflict tests share: a service delivery planned to start in 90 days,
and a country with a province whose own rules are few."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from civicbridge.collaborations.services.lifecycle import create_collaboration
from civicbridge.procurement.models import Jurisdiction, RouteRule, StatutoryStep
from civicbridge.procurement.services.routes import choose_route

SOURCE = "Procurement Act 2024, s. 12"
READ_ON = date(2026, 3, 1)


def service_delivery(world, *, start_in_days: int = 90, **fields):
    """A proposed service delivery of the world's civic organisation to its institution."""
    start = timezone.localdate() + timedelta(days=start_in_days)
    return create_collaboration(
        world.civic_lead,
        model="service_delivery",
        title=fields.pop("title", "Permit portal"),
        civic_organisation=world.civic,
        institution=world.institution,
        start_date=start,
        end_date=start + timedelta(days=365),
        **fields,
    )


def rule(place: Jurisdiction, route: str, *, allowed: bool = True, max_value=None, **fields):
    return RouteRule.objects.create(
        jurisdiction=place,
        route=route,
        allowed=allowed,
        max_value=Decimal(max_value) if max_value is not None else None,
        currency=fields.pop("currency", "AUD" if max_value is not None else ""),
        explanation=fields.pop("explanation", f"The rule for {route}."),
        source=fields.pop("source", SOURCE),
        source_date=fields.pop("source_date", READ_ON),
        **fields,
    )


def step(place: Jurisdiction, route: str, order: int, name: str, days: int) -> StatutoryStep:
    return StatutoryStep.objects.create(
        jurisdiction=place,
        route=route,
        order=order,
        name=name,
        minimum_days=days,
        source=SOURCE,
        source_date=READ_ON,
    )


def country_and_province() -> tuple[Jurisdiction, Jurisdiction]:
    """A country that forbids donations and caps direct awards at 50,000.00 AUD, with tender
    steps of 35 + 20 days; a province of it whose only rule allows innovation procurement."""
    country = Jurisdiction.objects.create(name="Testland", code="testland", country="Testland")
    province = Jurisdiction.objects.create(name="North Province", code="north", parent=country)
    rule(
        country,
        "donation",
        allowed=False,
        explanation="Public bodies may not accept software or services for free.",
    )
    rule(country, "direct_award", max_value="50000.00")
    rule(country, "open_tender")
    rule(province, "innovation")
    step(country, "open_tender", 1, "Publish the notice", 35)
    step(country, "open_tender", 2, "Evaluate the bids", 20)
    return country, province


def choose(world, collaboration, place, route="direct_award", value="50000.00", **fields):
    """Choose a route as the civic lead, starting procurement today unless told otherwise."""
    return choose_route(
        world.civic_lead,
        collaboration,
        route=route,
        jurisdiction=place,
        estimated_value=Decimal(value),
        currency=fields.pop("currency", "AUD"),
        procurement_starts_on=fields.pop("procurement_starts_on", timezone.localdate()),
    )
