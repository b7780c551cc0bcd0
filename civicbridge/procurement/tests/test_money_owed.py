"""Money owed at scale: sums in the database agree with the invoice's own, and the page reads
the same queries and shows a bounded page however many institutions owe."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.procurement.models import Contract, CreditNote, Invoice, Payment
from civicbridge.procurement.queries import money_owed, with_money
from civicbridge.procurement.views import money as money_views
from tests.factories import CollaborationFactory, OrganisationFactory

TODAY = timezone.localdate()


def owing(world, institutions: int, *, first: int = 0, currency: str = "AUD") -> list[Invoice]:
    """One contract with each of `institutions` new institutions, each with an unpaid invoice
    due `n` days ago (the n-th institution), part-paid and part-credited."""
    made = []
    for n in range(first, first + institutions):
        buyer = OrganisationFactory.create(name=f"Council {n:03d}", kind="government")
        collaboration = CollaborationFactory.create(
            model="service_delivery", civic_organisation=world.civic, institution=buyer
        )
        contract = Contract.objects.create(
            collaboration=collaboration,
            supplier=world.civic,
            buyer=buyer,
            title="Service",
            value=Decimal("5000.00"),
            currency=currency,
            start_date=TODAY - timedelta(days=400),
            end_date=TODAY + timedelta(days=400),
            status="active",
        )
        invoice = Invoice.objects.create(
            contract=contract,
            supplier=world.civic,
            number=f"INV-{n}",
            amount=Decimal("1000.00"),
            currency=currency,
            issued_on=TODAY - timedelta(days=30 + n),
            due_on=TODAY - timedelta(days=n),
        )
        Payment.objects.create(
            invoice=invoice, amount=Decimal("100.00"), currency=currency, paid_on=TODAY
        )
        CreditNote.objects.create(
            invoice=invoice,
            amount=Decimal("50.00"),
            currency=currency,
            number="C-1",
            issued_on=TODAY,
            reason="A day short.",
        )
        made.append(invoice)
    return made


def test_the_database_sums_agree_with_the_invoices_own(world):
    [invoice] = owing(world, 1)
    Payment.objects.create(invoice=invoice, amount=Decimal("0.01"), currency="AUD", paid_on=TODAY)
    summed = Invoice.objects.with_sums().get(pk=invoice.pk)
    loaded = with_money(Invoice.objects.filter(pk=invoice.pk)).get()
    assert summed.paid() == loaded.paid() and summed.paid().amount == Decimal("100.01")
    assert summed.credited() == loaded.credited() and summed.credited().amount == Decimal("50")
    assert summed.owed() == loaded.owed() and summed.owed().amount == Decimal("849.99")
    fresh = Invoice.objects.create(
        contract=invoice.contract,
        supplier=world.civic,
        number="INV-NONE",
        amount=Decimal("10.00"),
        currency="AUD",
        issued_on=TODAY,
        due_on=TODAY,
    )
    assert Invoice.objects.with_sums().get(pk=fresh.pk).owed().amount == Decimal("10.00")


def test_money_owed_adds_up_per_institution_and_currency_most_overdue_first(world):
    owing(world, 3, first=1)
    owing(world, 1, first=10, currency="EUR")
    found = money_owed(world.civic, TODAY)
    assert [(e.buyer_name, e.currency) for e in found] == [
        ("Council 010", "EUR"),
        ("Council 003", "AUD"),
        ("Council 002", "AUD"),
        ("Council 001", "AUD"),
    ]
    assert found[0].owed.amount == found[0].overdue.amount == Decimal("850.00")
    assert (found[0].open_count, found[0].overdue_count, found[0].oldest_days_overdue) == (
        1,
        1,
        10,
    )


def _count(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries), response


def test_money_owed_reads_the_same_queries_and_one_page_for_ten_times_the_institutions(
    world, client_for, monkeypatch
):
    institutions = 2
    monkeypatch.setattr(money_views, "PAGE_SIZE", 5)
    client = client_for(world.civic_lead)
    address = reverse("procurement:money_owed", args=[world.civic.pk])
    owing(world, institutions)
    few, _response = _count(client, address)
    owing(world, 10 * institutions, first=institutions)
    many, response = _count(client, address)
    assert many == few
    assert len(response.context["exposures"]) == 5
    assert response.context["page"].paginator.num_pages == 5
    assert "page=2" in response.content.decode()
    # The most overdue first: the institution whose invoice fell due 21 days ago.
    assert response.context["exposures"][0].oldest_days_overdue == 10 * institutions + 1
