"""The contracts part of the service-delivery demo: 18 months of invoices and payments.

- Clarence City Council buys accessibility support for its website from Code for Australia
  and pays every quarterly invoice well within its 30 days.
- Launceston City Council buys bin-collection reminders by text message and pays months
  late, later and later: payments in parts, a credit note for an outage, invoices overdue
  now, a variation, a report waiting for its acceptance, and the supplier's costs planned
  for the months ahead, so the cash flow shows how long Code for Australia pre-finances.
- Hobart City Council's accessible service requests: the contract is drafted and signed by
  Code for Australia, waiting for the council's signature.

The councils are real; their officers here, and every contract, are made up. Everything is
written through the services, each step on the day it happened (`core/clock.py`).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services.lifecycle import advance, create_collaboration
from civicbridge.core.clock import as_of
from civicbridge.partners import services as partners
from civicbridge.partners.choices import Access
from civicbridge.partners.models import Organisation

from .models import Contract, Milestone
from .services import contracts, invoices, routes

START_AGO = 540  # days: about 18 months of invoices
MONTHLY_FEE = Decimal("4000.00")


def load(admin, password: str, lead, civic: Organisation) -> None:
    today = timezone.localdate()
    numbers = count(1)
    clarence = _council_officer(
        admin, password, "legislature/clarence_city_council", "Morgan Reid", "procurement"
    )
    launceston = _council_officer(
        admin, password, "legislature/launceston_city_council", "Dana Whitfield", "finance"
    )
    pays_on_time(Parties(lead, clarence, civic, password), today, numbers)
    pays_late(Parties(lead, launceston, civic, password), today, numbers)
    awaiting_the_councils_signature(lead, civic, today, password)


@dataclass(frozen=True)
class Parties:
    """Who writes for each side: Code for Australia's lead and the council's officer."""

    lead: Any
    officer: Any
    civic: Organisation
    password: str

    @property
    def council(self) -> Organisation:
        return self.officer.person.memberships.get().organisation


def _council_officer(admin, password: str, popolo_id: str, name: str, mailbox: str):
    """A made-up admin of the council, who signs and pays for it."""
    council = Organisation.objects.get(popolo_id=popolo_id)
    person = partners.create_person(
        admin, council, {"name": name}, role="Procurement officer", access=Access.ADMIN
    )
    first, _, last = name.partition(" ")
    domain = popolo_id.split("/")[1].removesuffix("_city_council")
    return get_user_model().objects.create_user(
        f"{mailbox}@{domain}.example.org",
        password,
        first_name=first,
        last_name=last,
        person=person,
    )


def _running_service(parties: Parties, title: str, summary: str, start: date, value: str):
    """A service delivery taken to "agreed", with its contract drafted; the contract is
    signed, and the collaboration started, once the milestones are in."""
    lead = parties.lead
    with as_of(start - timedelta(days=130)):
        collaboration = create_collaboration(
            lead,
            model="service_delivery",
            title=title,
            summary=summary,
            civic_organisation=parties.civic,
            institution=parties.council,
            start_date=start,
            end_date=start + timedelta(days=720),
        )
    with as_of(start - timedelta(days=125)):
        advance(lead, collaboration)  # → preparing
        _choose_route(lead, collaboration, start, value)
    with as_of(start - timedelta(days=30)):
        advance(lead, collaboration)  # → agreed
        contract = contracts.create_contract(
            lead,
            collaboration,
            title=title,
            description=summary,
            value=Decimal(value),
            currency="AUD",
            start_date=start,
            end_date=start + timedelta(days=720),
            payment_terms_days=30,
        )
    return collaboration, contract


def _choose_route(lead, collaboration: Collaboration, start: date, value: str) -> None:
    # The demo keeps no real council's rules, and holds none to the example ones: the
    # councils tendered, and the route's lawfulness is recorded as unknown.
    routes.choose_route(
        lead,
        collaboration,
        route="open_tender",
        jurisdiction=None,
        estimated_value=Decimal(value),
        currency="AUD",
        procurement_starts_on=start - timedelta(days=120),
    )


def _sign_and_start(parties: Parties, collaboration: Collaboration, contract: Contract):
    """Both sides sign, the supplier first, and the collaboration becomes active."""
    start = contract.start_date
    for signer, days_before in ((parties.lead, 16), (parties.officer, 12)):
        with as_of(start - timedelta(days=days_before)):
            contract = contracts.sign_contract(
                signer, contract, terms=contracts.terms_digest(contract), password=parties.password
            )
    with as_of(start, hour=9):
        advance(parties.lead, collaboration)  # → active
    contract.refresh_from_db()
    return contract


def pays_on_time(parties: Parties, today: date, numbers) -> None:
    """Quarterly invoices for quarterly payment milestones, each paid in two to four weeks."""
    lead, officer = parties.lead, parties.officer
    start = today - timedelta(days=START_AGO)
    collaboration, contract = _running_service(
        parties,
        "Accessible council website",
        "Monthly accessibility checks of the council's website, fixes with its web team, and "
        "a quarterly report on what changed.",
        start,
        "60000.00",
    )
    quarters = [start + timedelta(days=91 * i) for i in range(1, 7)]
    with as_of(start - timedelta(days=28)):
        for i, due in enumerate(quarters, start=1):
            contracts.add_milestone(
                lead,
                contract,
                kind="payment",
                title=f"Quarter {i} fee",
                due_on=due,
                amount=Decimal("10000.00"),
            )
            contracts.add_milestone(
                lead,
                contract,
                kind="reporting",
                title=f"Quarter {i} accessibility report",
                due_on=due,
            )
    contract = _sign_and_start(parties, collaboration, contract)
    for i, milestone in enumerate(contract.milestones.order_by("due_on", "kind")):
        if milestone.due_on > today:
            continue
        if milestone.kind == "reporting":
            _deliver(lead, milestone, milestone.due_on)
            _accept(officer, milestone, milestone.due_on + timedelta(days=5), "met")
            continue
        with as_of(milestone.due_on):
            invoice = invoices.add_invoice(
                lead,
                contract,
                number=f"CFA-{next(numbers):04d}",
                amount=milestone.amount,
                currency="AUD",
                issued_on=milestone.due_on,
                milestone=milestone,
            )
        paid_on = milestone.due_on + timedelta(days=14 + 3 * (i % 5))
        if paid_on <= today:
            _pay(officer, invoice, invoice.amount, paid_on, f"EFT {invoice.number}")
    contracts.add_planned_cost(
        lead,
        contract,
        description="Accessibility tester, next quarter",
        amount=Decimal("2500.00"),
        currency="AUD",
        due_on=today + timedelta(days=20),
    )


# Launceston pays later and later: days from invoice to payment, month by month.
LAUNCESTON_DAYS_TO_PAY = [
    45, 52, 48, 61, 66, 58, 74, 80, 77, 95, 102, 90, 118, 125, 131, 140, 150, 160,
]  # fmt: skip


def pays_late(parties: Parties, today: date, numbers) -> None:
    """Monthly fees billed by payment milestones; each paid months after it fell due."""
    lead, officer = parties.lead, parties.officer
    start = today - timedelta(days=START_AGO)
    collaboration, contract = _running_service(
        parties,
        "Bin-collection reminders by text message",
        "Residents sign up once and get a text message the evening before their bins go "
        "out, in one of four languages.",
        start,
        "120000.00",
    )
    months = [start + timedelta(days=30 * i) for i in range(1, 25)]
    with as_of(start - timedelta(days=28)):
        for i, due in enumerate(months, start=1):
            contracts.add_milestone(
                lead,
                contract,
                kind="payment",
                title=f"Month {i} fee",
                due_on=due,
                amount=MONTHLY_FEE,
            )
        live = contracts.add_milestone(
            lead,
            contract,
            kind="delivery",
            title="Reminders live in every suburb",
            description="Every household on a collection round can sign up and gets its reminder.",
            due_on=start + timedelta(days=60),
        )
        languages = contracts.add_milestone(
            lead,
            contract,
            kind="delivery",
            title="Sign-up page in four languages",
            due_on=start + timedelta(days=120),
        )
        report = contracts.add_milestone(
            lead,
            contract,
            kind="reporting",
            title="Year one report: sign-ups and missed bins",
            due_on=start + timedelta(days=400),
        )
    contract = _sign_and_start(parties, collaboration, contract)
    _deliveries(lead, officer, live, languages, report)
    fees = contract.milestones.filter(kind="payment", due_on__lte=today).order_by("due_on")
    for month, (milestone, days) in enumerate(zip(fees, LAUNCESTON_DAYS_TO_PAY, strict=True), 1):
        with as_of(milestone.due_on):
            invoice = invoices.add_invoice(
                lead,
                contract,
                number=f"CFA-{next(numbers):04d}",
                amount=milestone.amount,
                currency="AUD",
                issued_on=milestone.due_on,
                milestone=milestone,
            )
        _pay_late(parties, invoice, days, today, outage=month == 7)
    agreed_on = today - timedelta(days=45)
    with as_of(agreed_on):
        contracts.record_variation(
            officer,
            contract,
            new_value=Decimal("132000.00"),
            new_end_date=contract.end_date + timedelta(days=90),
            reason="The council added reminders for green-waste collections, for three more "
            "months.",
            agreed_on=agreed_on,
        )
    for days, what, amount in (
        (3, "Developers, four weeks", "7500.00"),
        (7, "Text message gateway and hosting", "600.00"),
        (31, "Developers, four weeks", "7500.00"),
        (37, "Text message gateway and hosting", "600.00"),
        (59, "Developers, four weeks", "7500.00"),
        (67, "Text message gateway and hosting", "600.00"),
    ):
        contracts.add_planned_cost(
            lead,
            contract,
            description=what,
            amount=Decimal(amount),
            currency="AUD",
            due_on=today + timedelta(days=days),
        )


def _deliveries(lead, officer, live: Milestone, languages: Milestone, report: Milestone) -> None:
    """The first deliverable met, the second short once and then met, the report waiting."""
    _deliver(lead, live, live.due_on)
    _accept(officer, live, live.due_on + timedelta(days=6), "met")
    _deliver(lead, languages, languages.due_on)
    _accept(
        officer,
        languages,
        languages.due_on + timedelta(days=10),
        "notMet",
        note="The Nepali page still shows English error messages.",
    )
    _deliver(lead, languages, languages.due_on + timedelta(days=21))
    _accept(officer, languages, languages.due_on + timedelta(days=25), "met")
    _deliver(lead, report, report.due_on)


def _deliver(lead, milestone: Milestone, on: date) -> None:
    with as_of(on, hour=11):
        contracts.deliver_milestone(lead, milestone, on=on)


def _accept(officer, milestone: Milestone, on: date, outcome: str, **note: str) -> None:
    with as_of(on, hour=15):
        contracts.accept_milestone(officer, milestone, outcome=outcome, on=on, **note)


def _pay(officer, invoice, amount: Decimal, on: date, reference: str) -> None:
    with as_of(on, hour=14):
        invoices.record_payment(
            officer, invoice, amount=amount, currency="AUD", paid_on=on, reference=reference
        )


def _pay_late(parties: Parties, invoice, days: int, today: date, *, outage: bool) -> None:
    """Pay `days` after the invoice, slow ones in two parts; the outage month is credited
    first. An invoice whose day has not come is left owed, perhaps paid in part."""
    owed = MONTHLY_FEE
    if outage:
        credit = Decimal("400.00")
        issued_on = invoice.issued_on + timedelta(days=12)
        with as_of(issued_on):
            invoices.add_credit_note(
                parties.lead,
                invoice,
                number=f"{invoice.number}-C1",
                amount=credit,
                currency="AUD",
                issued_on=issued_on,
                reason="The text message gateway was down for three days: those days are credited.",
            )
        owed -= credit
    paid_on = invoice.issued_on + timedelta(days=days)
    part_on = paid_on - timedelta(days=40)
    if days > 100 and part_on <= today:
        part = Decimal("1500.00")
        _pay(parties.officer, invoice, part, part_on, "Part payment")
        owed -= part
    if paid_on <= today:
        _pay(parties.officer, invoice, owed, paid_on, "EFT")


def awaiting_the_councils_signature(lead, civic, today: date, password: str) -> None:
    """Hobart's service requests: drafted, signed by Code for Australia, not by the council."""
    collaboration = Collaboration.objects.get(
        civic_organisation=civic, title="Accessible online service requests"
    )
    start = collaboration.start_date or today
    contract = contracts.create_contract(
        lead,
        collaboration,
        title="Accessible online service requests",
        description=collaboration.summary,
        reference="HCC-DA-2026-014",
        value=Decimal("48000.00"),
        currency="AUD",
        start_date=start,
        end_date=start + timedelta(days=364),
        payment_terms_days=30,
    )
    for days, title, kind, amount in (
        (90, "Discovery report", "reporting", None),
        (90, "First payment", "payment", "16000.00"),
        (200, "Beta service open to residents", "delivery", None),
        (200, "Second payment", "payment", "16000.00"),
        (364, "Handover to the council's web team", "delivery", None),
        (364, "Final payment", "payment", "16000.00"),
    ):
        contracts.add_milestone(
            lead,
            contract,
            kind=kind,
            title=title,
            due_on=start + timedelta(days=days),
            amount=Decimal(amount) if amount else None,
        )
    contracts.sign_contract(
        lead, contract, terms=contracts.terms_digest(contract), password=password
    )
