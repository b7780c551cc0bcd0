"""The Invoices tab and an institution's payment record: forms, permissions, query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.procurement.models import Invoice, Payment
from civicbridge.procurement.services import invoices
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

from .contract_helpers import days_ago, draft, service_delivery, sign_both


@pytest.fixture
def contract(world):
    return sign_both(world, draft(world, service_delivery(world)))


def bill(world, contract, number, amount="1000.00", issued=60):
    return invoices.add_invoice(
        world.civic_lead,
        contract,
        number=number,
        amount=Decimal(amount),
        currency="AUD",
        issued_on=days_ago(issued),
    )


def pay(world, invoice, amount, days):
    return invoices.record_payment(
        world.official, invoice, amount=Decimal(amount), currency="AUD", paid_on=days_ago(days)
    )


def url(name, *args):
    return reverse(f"procurement:{name}", args=args)


def test_the_tab_without_a_contract_points_to_it(world, client_for):
    collaboration = service_delivery(world)
    page = client_for(world.official).get(url("invoices", collaboration.pk)).content.decode()
    assert "No contract, so no invoices yet" in page


def test_the_tab_shows_paid_owed_days_to_pay_and_days_overdue(world, contract, client_for):
    paid = bill(world, contract, "INV-1", issued=90)
    pay(world, paid, "1000.00", days=45)  # 45 days to pay, 15 late
    late = bill(world, contract, "INV-2", "500.00", issued=40)  # due 10 days ago
    pay(world, late, "200.00", days=5)
    bill(world, contract, "INV-3", "300.00", issued=1)
    page = client_for(world.official).get(url("invoices", contract.collaboration_id))
    content = page.content.decode()
    assert "Paid in 45 days, 15 days late" in content
    assert "10 days overdue" in content
    assert "Not due yet" in content
    line = page.context["totals"]["AUD"]
    assert line["owed"].amount == Decimal("600.00")
    assert line["overdue"].amount == Decimal("300.00")


def test_adding_an_invoice_through_the_form(world, contract, client_for):
    response = client_for(world.civic_lead).post(
        url("invoice_create", contract.collaboration_id, contract.pk),
        {"number": "INV-9", "amount": "2500.00", "currency": "aud", "issued_on": days_ago(3)},
    )
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.due_on == days_ago(3) + timedelta(days=30)


def test_a_duplicate_number_is_a_form_error(world, contract, client_for):
    bill(world, contract, "INV-1")
    response = client_for(world.civic_lead).post(
        url("invoice_create", contract.collaboration_id, contract.pk),
        {"number": "INV-1", "amount": "1.00", "currency": "AUD", "issued_on": days_ago(3)},
    )
    assert response.status_code == 200
    assert "already has an invoice numbered INV-1" in str(response.context["form"].errors["number"])
    assert Invoice.objects.count() == 1


def test_a_payment_of_more_than_is_owed_is_a_form_error(world, contract, client_for):
    invoice = bill(world, contract, "INV-1")
    response = client_for(world.official).post(
        url("payment_create", contract.collaboration_id, invoice.pk),
        {"amount": "1000.01", "currency": "AUD", "paid_on": days_ago(1)},
    )
    assert response.status_code == 200 and "amount" in response.context["form"].errors
    assert not Payment.objects.exists()


def test_removing_a_payment_through_the_page_reopens_the_invoice(world, contract, client_for):
    invoice = bill(world, contract, "INV-1")
    payment = pay(world, invoice, "1000.00", days=2)
    address = url("payment_delete", contract.collaboration_id, invoice.pk, payment.pk)
    client = client_for(world.official)
    assert "Remove this payment?" in client.get(address).content.decode()
    assert client.post(address).status_code == 302
    invoice.refresh_from_db()
    assert invoice.settled_on is None and not Payment.objects.exists()


def test_the_buyer_cannot_invoice_or_credit(world, contract, client_for):
    invoice = bill(world, contract, "INV-1")
    client = client_for(world.official)
    assert (
        client.get(url("invoice_create", contract.collaboration_id, contract.pk)).status_code == 403
    )
    forged = client.post(
        url("credit_note_create", contract.collaboration_id, invoice.pk),
        {
            "number": "CN",
            "amount": "1.00",
            "currency": "AUD",
            "issued_on": days_ago(1),
            "reason": "x",
        },
    )
    assert forged.status_code == 403
    assert not invoice.creditnotes.exists()


def test_an_outsider_finds_no_invoice(world, contract, client_for):
    invoice = bill(world, contract, "INV-1")
    client = client_for(world.outsider)
    assert client.get(url("invoices", contract.collaboration_id)).status_code == 404
    forged = client.post(
        url("payment_create", contract.collaboration_id, invoice.pk),
        {"amount": "1.00", "currency": "AUD", "paid_on": days_ago(1)},
    )
    assert forged.status_code == 404 and not Payment.objects.exists()


def test_an_invoice_is_not_found_through_another_collaboration(world, contract, client_for):
    invoice = bill(world, contract, "INV-1")
    other = service_delivery(world, title="Other")
    response = client_for(world.official).get(url("payment_create", other.pk, invoice.pk))
    assert response.status_code == 404


def _count(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def _more(world, contract, start, rows):
    for number in range(start, start + rows):
        invoice = bill(world, contract, f"INV-{number}", "100.00", issued=number % 50 + 40)
        pay(world, invoice, "60.00", days=number % 30 + 1)
        if number % 2:
            pay(world, invoice, "40.00", days=number % 30)


def test_the_invoice_list_reads_a_fixed_number_of_queries(world, contract, client_for):
    client = client_for(world.official)
    address = url("invoices", contract.collaboration_id)
    _more(world, contract, 0, 1)
    once = _count(client, address)
    _more(world, contract, 1, 9)
    assert _count(client, address) == once


def test_the_payment_record_reads_a_fixed_number_of_queries(world, contract, client_for):
    client = client_for(world.official)
    address = url("payment_record", world.institution.pk)
    _more(world, contract, 0, 1)
    once = _count(client, address)
    _more(world, contract, 1, 9)
    assert _count(client, address) == once
    assert _count(client, url("payment_chart", world.institution.pk)) > 0


def test_the_payment_record_shows_a_supplier_only_its_own_invoices(world, contract, client_for):
    paid = bill(world, contract, "INV-1", issued=90)
    pay(world, paid, "1000.00", days=30)  # 60 days to pay
    other_civic = OrganisationFactory(name="Other Civic", kind=OrganisationKind.CIVIC)
    other_lead = UserFactory()
    MembershipFactory(person=other_lead.person, organisation=other_civic, access=Access.ADMIN)
    record = client_for(world.official).get(url("payment_record", world.institution.pk))
    assert record.context["record"].overall.days == (60,)
    theirs = client_for(other_lead).get(url("payment_record", world.institution.pk))
    assert theirs.context["record"].overall is None
    assert "No invoices to show" in theirs.content.decode()


def test_the_chart_is_an_svg_without_script(world, contract, client_for):
    paid = bill(world, contract, "INV-1", issued=90)
    pay(world, paid, "1000.00", days=30)
    response = client_for(world.civic_lead).get(url("payment_chart", world.institution.pk))
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<svg" in svg and "<script" not in svg
    data = client_for(world.civic_lead).get(url("payment_csv", world.institution.pk))
    lines = data.content.decode().splitlines()
    quarter = f"{days_ago(30).year} Q{(days_ago(30).month - 1) // 3 + 1}"
    assert lines[1].split(",")[:3] == [quarter, "1", "60.0"]


def test_money_owed_is_for_the_suppliers_members(world, contract, client_for):
    late = bill(world, contract, "INV-1", "700.00", issued=50)  # 20 days overdue
    pay(world, late, "100.00", days=1)
    bill(world, contract, "INV-2", "300.00", issued=5)
    page = client_for(world.fellow).get(url("money_owed", world.civic.pk))
    [exposure] = page.context["exposures"]
    assert exposure.buyer == world.institution
    assert exposure.owed.amount == Decimal("900.00")
    assert exposure.overdue.amount == Decimal("600.00")
    assert (exposure.open_count, exposure.overdue_count, exposure.oldest_days_overdue) == (2, 1, 20)
    assert client_for(world.official).get(url("money_owed", world.civic.pk)).status_code == 403
    assert client_for(world.outsider).get(url("money_owed", world.civic.pk)).status_code == 403


def test_money_owed_has_an_empty_state(world, client_for):
    page = client_for(world.civic_lead).get(url("money_owed", world.civic.pk))
    assert "Nothing is owed" in page.content.decode()


def test_today_is_counted_in_the_days_overdue(world, contract, client_for):
    invoice = bill(world, contract, "INV-1", issued=31)  # due yesterday
    assert invoice.due_on == timezone.localdate() - timedelta(days=1)
    page = client_for(world.civic_lead).get(url("money_owed", world.civic.pk))
    assert page.context["exposures"][0].oldest_days_overdue == 1


def test_money_owed_reads_a_fixed_number_of_queries(world, contract, client_for):
    client = client_for(world.civic_lead)
    address = url("money_owed", world.civic.pk)
    bill(world, contract, "INV-0", "10.00")
    once = _count(client, address)
    for number in range(1, 10):
        invoice = bill(world, contract, f"INV-{number}", "10.00", issued=number + 20)
        pay(world, invoice, "5.00", days=number)
    assert _count(client, address) == once
