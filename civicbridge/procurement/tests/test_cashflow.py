"""The cash flow for the next 90 days: expected payments against planned costs, week by week,
and how long the organisation pre-finances the work."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.procurement.money import Money
from civicbridge.procurement.queries import cash_flow
from civicbridge.procurement.services import contracts, invoices

from .contract_helpers import days_ago, draft, service_delivery, sign_both


def aud(amount: str) -> Money:
    return Money(Decimal(amount), "AUD")


def later(days: int):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def contract(world):
    """A signed contract paid 30 days after each invoice, with one payment milestone in six
    weeks not invoiced yet."""
    contract = draft(world, service_delivery(world), payment_terms_days=30)
    contracts.add_milestone(
        world.civic_lead,
        contract,
        kind="payment",
        title="Second payment",
        due_on=later(12),  # invoiced then, paid 30 days later: in 42 days
        amount=Decimal("20000.00"),
    )
    return sign_both(world, contract)


def cost(world, contract, amount, days, what="Wages"):
    return contracts.add_planned_cost(
        world.civic_lead,
        contract,
        description=what,
        amount=Decimal(amount),
        currency="AUD",
        due_on=later(days),
    )


def test_costs_before_the_payments_are_prefinanced(world, contract):
    invoices.add_invoice(
        world.civic_lead,
        contract,
        number="INV-1",
        amount=Decimal("10000.00"),
        currency="AUD",
        issued_on=days_ago(2),  # due in 28 days: week 5
    )
    cost(world, contract, "8000.00", 0)  # week 1
    cost(world, contract, "8000.00", 14)  # week 3
    cost(world, contract, "8000.00", 100, "After the window")
    [flow], _lateness = cash_flow(world.civic, timezone.localdate())
    assert flow.currency == "AUD" and len(flow.weeks) == 13
    assert [w.balance for w in flow.weeks[:7]] == [
        aud("-8000.00"),
        aud("-8000.00"),
        aud("-16000.00"),
        aud("-16000.00"),
        aud("-6000.00"),  # the invoice is paid
        aud("-6000.00"),
        aud("14000.00"),  # the milestone's payment arrives
    ]
    run = flow.prefinancing
    assert run is not None and len(run.weeks) == 6
    assert run.weeks[0].starts_on == timezone.localdate()
    assert run.deepest == aud("16000.00") and not run.to_the_end


def test_an_institution_that_paid_late_is_expected_late_again(world, contract):
    first = invoices.add_invoice(
        world.civic_lead,
        contract,
        number="INV-1",
        amount=Decimal("1000.00"),
        currency="AUD",
        issued_on=days_ago(100),  # due 70 days ago
    )
    invoices.record_payment(
        world.official, first, amount=Decimal("1000.00"), currency="AUD", paid_on=days_ago(49)
    )  # 21 days late
    invoices.add_invoice(
        world.civic_lead,
        contract,
        number="INV-2",
        amount=Decimal("5000.00"),
        currency="AUD",
        issued_on=days_ago(30),  # due today: expected in 21 days, week 4
    )
    [flow], lateness = cash_flow(world.civic, timezone.localdate())
    assert lateness[world.institution.pk].days == 21
    arrivals = {i: w.money_in for i, w in enumerate(flow.weeks) if w.money_in.amount}
    # The milestone's payment, due in 42 days, is expected 21 days later still: in 63.
    assert arrivals == {3: aud("5000.00"), 9: aud("20000.00")}


def test_an_overdue_invoice_is_expected_in_the_first_week(world, contract):
    invoices.add_invoice(
        world.civic_lead,
        contract,
        number="INV-1",
        amount=Decimal("700.00"),
        currency="AUD",
        issued_on=days_ago(60),
    )
    [flow], _lateness = cash_flow(world.civic, timezone.localdate())
    assert flow.weeks[0].money_in == aud("700.00")
    assert flow.prefinancing is None


def test_the_page_says_how_long_in_words(world, contract, client_for):
    cost(world, contract, "8000.00", 0)
    page = client_for(world.fellow).get(reverse("procurement:cash_flow", args=[world.civic.pk]))
    content = page.content.decode()
    assert "pays out more than it receives for 6 weeks in a row" in content
    assert "up to 8,000.00 AUD of its own money" in content


def test_the_page_is_the_suppliers_own(world, contract, client_for):
    address = reverse("procurement:cash_flow", args=[world.civic.pk])
    assert client_for(world.official).get(address).status_code == 403
    assert client_for(world.admin).get(address).status_code == 200


def test_with_nothing_ahead_the_page_says_so(world, client_for):
    page = client_for(world.civic_lead).get(reverse("procurement:cash_flow", args=[world.civic.pk]))
    assert "Nothing expected in the next 90 days" in page.content.decode()


def test_the_page_reads_a_fixed_number_of_queries(world, contract, client_for):
    client = client_for(world.civic_lead)
    address = reverse("procurement:cash_flow", args=[world.civic.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    def add(start: int, rows: int) -> None:
        for number in range(start, start + rows):
            invoice = invoices.add_invoice(
                world.civic_lead,
                contract,
                number=f"INV-{number}",
                amount=Decimal("100.00"),
                currency="AUD",
                issued_on=days_ago(number + 40),
            )
            invoices.record_payment(
                world.official,
                invoice,
                amount=Decimal("50.00"),
                currency="AUD",
                paid_on=days_ago(number),
            )
            cost(world, contract, "10.00", number)

    add(0, 1)
    once = count()
    add(1, 9)
    assert count() == once
