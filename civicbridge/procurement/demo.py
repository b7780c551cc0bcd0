"""The service-delivery part of the demo workspace.

- Example jurisdictions, clearly marked as made up: Ruritania forbids donations to public
  bodies and caps direct awards at 50,000.00 AUD; its Northern Province adds a rule for
  grants and follows Ruritania for the rest; Freedonia lets public bodies accept donations.
  Their rules apply only to example institutions, as made up as they are: no real council
  is held to a fictional law.
- Code for Australia offers the example city council of Strelsau an accessibility checker:
  a donation is refused by Ruritania's rules, so the council buys it by direct award. The
  example Northern Province buys an open data portal, which must go to open tender and
  cannot start on the planned day.
- Code for Australia offers Hobart City Council accessible online service requests by
  direct award: the demo knows no Tasmanian rules, so the route's lawfulness is unknown
  and recorded as a risk.
- Code for Australia both reviews the council's open data every year (a watchdog role) and
  sells to it: it recorded a disclosure with recusals.
- Code for Australia's supplier profile, with its offerings and a past contract.

Everything is written through the services, as users would.
"""

from contextlib import suppress
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicbridge.collaborations.services.lifecycle import advance, create_collaboration
from civicbridge.partners import demo as partners_demo
from civicbridge.partners import services as partners
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Organisation, Person

from . import demo_contracts
from .models import Jurisdiction
from .services import conflicts, routes

ILLUSTRATIVE = "Illustrative rule for the demo; not the law of any place."
READ_ON = date(2026, 1, 15)


def load(admin, password: str) -> None:
    User = get_user_model()
    lead = User.objects.get(email="lead@example.org")
    civic = Organisation.objects.get(popolo_id=partners_demo.CIVIC_ORGANISATION)
    council = Organisation.objects.get(popolo_id=partners_demo.INSTITUTION)
    ruritania, province = example_jurisdictions(admin)
    conflict_of_interest(lead, civic, council)
    routes_of_services(lead, civic, council, example_institutions(admin), ruritania, province)
    supplier_profile(lead, civic)
    demo_contracts.load(admin, password, lead, civic)


def _rule(admin, place: Jurisdiction, route: str, allowed: bool, explanation: str, limit=None):
    routes.save_rule(
        admin,
        place,
        route=route,
        allowed=allowed,
        max_value=Decimal(limit) if limit else None,
        currency="AUD" if limit else "",
        explanation=explanation,
        source=ILLUSTRATIVE,
        source_date=READ_ON,
    )


def _steps(admin, place: Jurisdiction, route: str, steps: list[tuple[str, int]]) -> None:
    for order, (name, days) in enumerate(steps, start=1):
        routes.save_step(
            admin,
            place,
            route=route,
            order=order,
            name=name,
            minimum_days=days,
            source=ILLUSTRATIVE,
            source_date=READ_ON,
        )


def example_jurisdictions(admin) -> tuple[Jurisdiction, Jurisdiction]:
    notes = "Made up to show how Civic Bridge checks procurement routes."
    ruritania = routes.create_jurisdiction(
        admin,
        name="Example: Ruritania",
        code="example-ruritania",
        country="Ruritania (example)",
        example=True,
        notes=notes,
    )
    _rule(
        admin,
        ruritania,
        "donation",
        False,
        "A public body may not accept software or services free of charge: it must buy them.",
    )
    _rule(
        admin, ruritania, "pro_bono", False, "Unpaid work for a public body counts as a donation."
    )
    _rule(
        admin,
        ruritania,
        "direct_award",
        True,
        "A public body may award a contract directly up to the threshold.",
        "50000.00",
    )
    _rule(admin, ruritania, "open_tender", True, "An open tender is allowed at any value.")
    _rule(
        admin,
        ruritania,
        "innovation",
        True,
        "Innovation partnerships are allowed up to the threshold.",
        "500000.00",
    )
    _steps(
        admin, ruritania, "direct_award", [("Ask for three quotes", 10), ("Approve the award", 5)]
    )
    _steps(
        admin,
        ruritania,
        "open_tender",
        [
            ("Publish the contract notice", 35),
            ("Receive and evaluate the tenders", 30),
            ("Standstill before signing", 10),
        ],
    )
    province = routes.create_jurisdiction(
        admin,
        name="Example: Ruritania, Northern Province",
        code="example-ruritania-north",
        country="Ruritania (example)",
        parent=ruritania,
        example=True,
        notes=f"{notes} Every route without a rule of its own follows Ruritania.",
    )
    _rule(
        admin,
        province,
        "grant",
        True,
        "The province may give grants up to the threshold.",
        "20000.00",
    )
    freedonia = routes.create_jurisdiction(
        admin,
        name="Example: Freedonia",
        code="example-freedonia",
        country="Freedonia (example)",
        example=True,
        notes=notes,
    )
    _rule(admin, freedonia, "donation", True, "A public body may accept donated software.")
    _rule(
        admin,
        freedonia,
        "direct_award",
        True,
        "A public body may award a contract directly up to the threshold.",
        "100000.00",
    )
    return ruritania, province


EXAMPLE_INSTITUTIONS = {
    "city": "Example: Strelsau City Council",
    "province": "Example: Ruritania, Northern Province government",
}


def example_institutions(admin) -> dict[str, Organisation]:
    """Made-up public bodies, the only ones the example jurisdictions' rules are applied to."""
    return {
        key: partners.create_organisation(
            admin,
            name=name,
            kind=OrganisationKind.GOVERNMENT,
            country="Ruritania (example)",
            description="Made up for the Civic Bridge demo, to show procurement routes "
            "checked against the example jurisdictions' rules. Not a real public body.",
        )
        for key, name in EXAMPLE_INSTITUTIONS.items()
    }


def _service(lead, civic, council, title: str, summary: str, start_in_days: int):
    start = timezone.localdate() + timedelta(days=start_in_days)
    collaboration = create_collaboration(
        lead,
        model="service_delivery",
        title=title,
        summary=summary,
        civic_organisation=civic,
        institution=council,
        start_date=start,
        end_date=start + timedelta(days=365),
    )
    advance(lead, collaboration)  # → preparing
    return collaboration


def routes_of_services(lead, civic, council, examples, ruritania, province) -> None:
    today = timezone.localdate()
    # Ruritania forbids a donation: the route is refused, and the council buys the service.
    checker = _service(
        lead,
        civic,
        examples["city"],
        "Accessibility checker for the city's forms",
        "Every form the city publishes checked against WCAG 2.2 AA before it goes live.",
        start_in_days=60,
    )
    with suppress(routes.RouteBlocked):
        routes.choose_route(
            lead,
            checker,
            route="donation",
            jurisdiction=ruritania,
            estimated_value=Decimal("0.00"),
            currency="AUD",
            procurement_starts_on=today,
        )
    routes.choose_route(
        lead,
        checker,
        route="direct_award",
        jurisdiction=ruritania,
        estimated_value=Decimal("36000.00"),
        currency="AUD",
        procurement_starts_on=today,
    )
    portal = _service(
        lead,
        civic,
        examples["province"],
        "Open data portal",
        "The province's datasets published and kept up to date in one place.",
        start_in_days=60,
    )
    routes.choose_route(
        lead,
        portal,
        route="open_tender",
        jurisdiction=province,
        estimated_value=Decimal("180000.00"),
        currency="AUD",
        procurement_starts_on=today,
    )
    # No rules of Tasmania are kept here: the route is chosen, and its lawfulness is a risk.
    requests = _service(
        lead,
        civic,
        council,
        "Accessible online service requests",
        "A service-request form residents can use on any phone, with a screen reader or in "
        "a language other than English.",
        start_in_days=60,
    )
    routes.choose_route(
        lead,
        requests,
        route="direct_award",
        jurisdiction=None,
        estimated_value=Decimal("48000.00"),
        currency="AUD",
        procurement_starts_on=today,
    )


def conflict_of_interest(lead, civic, council) -> None:
    """Code for Australia reviews the council's open data and sells to it: it disclosed."""
    today = timezone.localdate()
    conflicts.add_role(
        lead,
        civic,
        institution=council,
        role="watchdog",
        started_on=today - timedelta(days=730),
        note="Publishes a yearly review of how open the council's data is.",
    )
    conflicts.add_role(
        lead,
        civic,
        institution=council,
        role="vendor",
        started_on=today - timedelta(days=30),
        note="Builds and runs online services the council buys.",
    )
    disclosure = conflicts.add_disclosure(
        lead,
        civic,
        institution=council,
        roles=["watchdog", "vendor"],
        mission_discussion=(
            "The board and the staff met twice. We asked whether selling to the council would "
            "soften our yearly review of its open data, and whether the council's money would "
            "make us dependent on it. We weighed that the work serves residents directly and "
            "that the review is our most trusted output."
        ),
        outcome=(
            "We sell services to the council. The yearly review is written by people who do "
            "not work on council contracts and is read by an outside reviewer before it is "
            "published. We publish what the council pays us."
        ),
        discussed_on=today - timedelta(days=20),
    )
    for name, aside in (
        ("Jordan Lee", "The yearly review of the council's open data, while the contracts run."),
        ("Alex Morgan", "Approving the findings of the review about the council."),
    ):
        person = Person.objects.get(name=name, memberships__organisation=civic)
        conflicts.add_recusal(lead, disclosure, person=person, stands_aside_from=aside)


def supplier_profile(lead, civic) -> None:
    partners.save_supplier_profile(
        lead,
        civic,
        legal_name="Code for Australia",
        registration_country="Australia",
        capabilities=(
            "An example profile written for the Civic Bridge demo. We design, build and run "
            "digital public services with the officials who will own them: user research, "
            "service design, accessible web development and open data."
        ),
    )
    offerings = (
        (
            "Service design sprint",
            "fixed",
            "18000.00",
            "Two weeks with your team, ending in a tested prototype.",
        ),
        (
            "Online service hosting and support",
            "per_month",
            "900.00",
            "We run the service, fix it and keep it accessible.",
        ),
        (
            "Accessibility audit",
            "on_request",
            None,
            "A review of a public website against WCAG 2.2 AA, with fixes.",
        ),
    )
    for name, basis, price, description in offerings:
        partners.add_offering(
            lead,
            civic,
            name=name,
            kind="service",
            description=description,
            price_basis=basis,
            price=Decimal(price) if price else None,
            currency="AUD" if price else "",
        )
    partners.add_past_contract(
        lead,
        civic,
        buyer_name="A state government agency (example)",
        title="Open council meetings website",
        value=Decimal("24000.00"),
        currency="AUD",
        year=2024,
    )
