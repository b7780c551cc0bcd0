"""What procurement adds to the home page's portfolio: each figure equals the page it
links to, in a fixed number of queries however many invoices there are."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.procurement import portfolio
from civicbridge.procurement.models import Invoice, Jurisdiction
from civicbridge.procurement.queries import money_owed, payment_record
from civicbridge.procurement.services import invoices

from .contract_helpers import days_ago, draft, service_delivery, sign_both


@pytest.fixture
def contract(world):
    return sign_both(world, draft(world, service_delivery(world), payment_terms_days=30))


def bill(world, contract, number, amount, issued_days_ago, paid_days_ago=None):
    invoice = invoices.add_invoice(
        world.civic_lead,
        contract,
        number=number,
        amount=Decimal(amount),
        currency="AUD",
        issued_on=days_ago(issued_days_ago),
    )
    if paid_days_ago is not None:
        invoices.record_payment(
            world.official,
            invoice,
            amount=Decimal(amount),
            currency="AUD",
            paid_on=days_ago(paid_days_ago),
        )
    return invoice


def bills(world, contract, start: int, how_many: int) -> None:
    for i in range(start, start + how_many):
        bill(world, contract, f"INV-{i}-A", "1000.00", 60)  # overdue
        bill(world, contract, f"INV-{i}-B", "500.00", 10)  # not due yet
        bill(world, contract, f"INV-{i}-C", "250.00", 90, paid_days_ago=45 + i % 3)


def figures_by_label(user, organisations) -> dict[str, portfolio.Figure]:
    found = portfolio.figures(user, {o.pk for o in organisations}, timezone.localdate())
    return {str(figure.label): figure for figure in found}


def test_money_owed_is_what_the_money_owed_page_adds_up(world, contract, client_for):
    bills(world, contract, 0, 2)
    overdue = Invoice.objects.get(number="INV-0-A")
    invoices.record_payment(
        world.official, overdue, amount=Decimal(400), currency="AUD", paid_on=days_ago(1)
    )
    owed = figures_by_label(world.civic_lead, [world.civic])["Owed to Code for Testing"]
    assert owed.value == "2,600.00 AUD"
    assert owed.detail == "1,600.00 AUD overdue, in 2 invoices"
    assert owed.url == reverse("procurement:money_owed", args=[world.civic.pk])
    [exposure] = money_owed(world.civic, timezone.localdate())
    assert str(exposure.owed) == owed.value
    assert client_for(world.civic_lead).get(owed.url).status_code == 200


def test_an_institution_sees_its_unpaid_invoices_and_days_to_pay_as_its_record(
    world, contract, client_for
):
    bills(world, contract, 0, 3)
    found = figures_by_label(world.official, [world.institution])
    unpaid = found["Unpaid invoices to Testshire Council"]
    days = found["Days Testshire Council takes to pay, on average"]
    record = payment_record(
        Invoice.objects.filter(contract__buyer=world.institution), timezone.localdate()
    )
    assert unpaid.value == len(record.open_rows) == 6
    assert unpaid.detail == f"{len(record.overdue_rows)} of them overdue" == "3 of them overdue"
    assert record.overall is not None
    assert days.value == str(record.overall.average) == "44.0"
    assert days.url == reverse("procurement:payment_record", args=[world.institution.pk])


def test_an_organisation_without_invoices_has_no_money_figure(world):
    assert portfolio.figures(world.civic_lead, {world.civic.pk}, timezone.localdate()) == []


def test_money_figures_ask_the_same_queries_at_ten_times_the_invoices(world, contract):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            portfolio.figures(
                world.civic_lead, {world.civic.pk, world.institution.pk}, timezone.localdate()
            )
        return len(queries)

    bills(world, contract, 0, 1)
    few = count()
    bills(world, contract, 1, 10)
    assert count() == few


def test_the_platform_admin_sees_the_jurisdictions(world):
    Jurisdiction.objects.create(name="Ruritania", code="ruritania")
    [figure] = portfolio.platform_figures(world.admin, timezone.localdate())
    assert figure.value == 1 and figure.detail == "1 without a procurement rule yet"
