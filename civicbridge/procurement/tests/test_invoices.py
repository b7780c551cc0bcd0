"""Invoices, payments and credit notes (S4): numbers, currencies, due dates, settlement."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.procurement.choices import MilestoneStatus
from civicbridge.procurement.models import Invoice, Payment
from civicbridge.procurement.services import contracts, invoices
from tests.factories import MembershipFactory, OrganisationFactory

from .contract_helpers import days_ago, draft, service_delivery, sign_both


@pytest.fixture
def contract(world):
    contract = draft(world, service_delivery(world), payment_terms_days=30)
    return sign_both(world, contract)


def invoice(world, contract, number="INV-001", amount="1000.00", **changes):
    fields = {
        "number": number,
        "amount": Decimal(amount),
        "currency": "AUD",
        "issued_on": days_ago(60),
        **changes,
    }
    return invoices.add_invoice(world.civic_lead, contract, **fields)


def pay(world, bill, amount, days=0, user=None):
    return invoices.record_payment(
        user or world.official,
        bill,
        amount=Decimal(amount),
        currency="AUD",
        paid_on=days_ago(days),
    )


def test_the_due_date_follows_the_payment_terms_unless_given(world, contract):
    bill = invoice(world, contract)
    assert bill.due_on == bill.issued_on + timedelta(days=30)
    given = invoice(world, contract, number="INV-002", due_on=days_ago(10))
    assert given.due_on == days_ago(10)
    assert bill.supplier == world.civic


def test_an_invoice_is_in_the_contracts_currency(world, contract):
    with pytest.raises(ValidationError, match="not EUR"):
        invoice(world, contract, currency="EUR")
    with pytest.raises(ValidationError) as refused:
        invoice(world, contract, currency="eur")
    assert "currency" in refused.value.message_dict
    assert not Invoice.objects.exists()


def test_a_supplier_uses_an_invoice_number_once(world, contract):
    invoice(world, contract)
    with pytest.raises(ValidationError) as refused:
        invoice(world, contract, number=" INV-001 ")
    assert "already has an invoice numbered INV-001" in refused.value.message_dict["number"][0]
    assert Invoice.objects.count() == 1


def test_another_supplier_may_use_the_same_number(world, contract):
    invoice(world, contract)
    other_civic = OrganisationFactory(name="Civic Two", kind=OrganisationKind.CIVIC)
    MembershipFactory(person=world.civic_lead.person, organisation=other_civic, access=Access.ADMIN)
    # A fresh user: the old one remembers the organisations it acted for so far.
    world.civic_lead = type(world.civic_lead).objects.get(pk=world.civic_lead.pk)
    second = service_delivery(world, title="Second", civic_organisation=other_civic)
    other = sign_both(world, draft(world, second))
    assert other.supplier == other_civic
    assert invoice(world, other).number == "INV-001"


def test_a_duplicate_number_saved_in_a_race_is_a_form_error_not_a_crash(
    world, contract, monkeypatch
):
    invoice(world, contract)
    # Another request saved the number after this one checked it.
    monkeypatch.setattr(invoices, "_number_taken", lambda contract, number: False)
    with pytest.raises(ValidationError) as refused:
        invoice(world, contract)
    assert "number" in refused.value.message_dict
    assert Invoice.objects.count() == 1


def test_invoices_stay_within_the_contracts_value(world, contract):
    invoice(world, contract, amount="99000.00")
    with pytest.raises(ValidationError, match="more than the contract's value"):
        invoice(world, contract, number="INV-002", amount="1000.01")
    invoice(world, contract, number="INV-002", amount="1000.00")


def test_an_invoice_needs_a_signed_contract(world):
    unsigned = draft(world, service_delivery(world))
    with pytest.raises(ValidationError, match="both sides must sign"):
        invoice(world, unsigned)


def test_only_the_supplier_invoices(world, contract):
    with pytest.raises(PermissionDenied, match="supplier"):
        invoices.add_invoice(
            world.official,
            contract,
            number="X",
            amount=Decimal("1.00"),
            currency="AUD",
            issued_on=days_ago(1),
        )


def test_an_invoice_is_not_issued_in_the_future(world, contract):
    with pytest.raises(ValidationError, match="future"):
        invoice(world, contract, issued_on=timezone.localdate() + timedelta(days=1))


def test_partial_payments_settle_the_invoice_on_the_day_they_cover_it(world, contract):
    bill = invoice(world, contract)
    pay(world, bill, "400.00", days=20)
    bill.refresh_from_db()
    assert bill.settled_on is None
    pay(world, bill, "600.00", days=5, user=world.civic_lead)  # the supplier records it
    bill.refresh_from_db()
    assert bill.settled_on == days_ago(5)


def test_overpayment_is_refused(world, contract):
    bill = invoice(world, contract)
    pay(world, bill, "999.99")
    with pytest.raises(ValidationError, match=re.escape("Only 0.01 AUD is still owed")):
        pay(world, bill, "0.02")
    pay(world, bill, "0.01")
    with pytest.raises(ValidationError, match="settled"):
        pay(world, bill, "0.01")
    assert Payment.objects.count() == 2


def test_a_payment_in_another_currency_is_refused(world, contract):
    bill = invoice(world, contract)
    with pytest.raises(ValidationError, match="not NZD"):
        invoices.record_payment(
            world.official, bill, amount=Decimal("1.00"), currency="NZD", paid_on=days_ago(1)
        )


def test_a_payment_is_not_dated_before_the_invoice(world, contract):
    bill = invoice(world, contract)
    with pytest.raises(ValidationError) as refused:
        pay(world, bill, "1.00", days=61)
    assert "paid_on" in refused.value.message_dict


def test_removing_a_payment_clears_the_settlement(world, contract):
    bill = invoice(world, contract)
    pay(world, bill, "500.00", days=30)
    last = pay(world, bill, "500.00", days=10)
    bill.refresh_from_db()
    assert bill.settled_on == days_ago(10)
    invoices.remove_payment(world.official, last)
    bill.refresh_from_db()
    assert bill.settled_on is None


def test_credit_notes_reduce_what_is_owed_and_can_settle_it(world, contract):
    bill = invoice(world, contract)
    pay(world, bill, "900.00", days=30)
    with pytest.raises(ValidationError, match="too much"):
        invoices.add_credit_note(
            world.civic_lead,
            bill,
            number="CN-1",
            amount=Decimal("100.01"),
            currency="AUD",
            issued_on=days_ago(3),
            reason="Fewer hours.",
        )
    invoices.add_credit_note(
        world.civic_lead,
        bill,
        number="CN-1",
        amount=Decimal("100.00"),
        currency="AUD",
        issued_on=days_ago(3),
        reason="Fewer hours.",
    )
    bill.refresh_from_db()
    assert bill.settled_on == days_ago(3)


def test_only_the_supplier_credits(world, contract):
    bill = invoice(world, contract)
    with pytest.raises(PermissionDenied):
        invoices.add_credit_note(
            world.official,
            bill,
            number="CN-1",
            amount=Decimal("1.00"),
            currency="AUD",
            issued_on=days_ago(3),
            reason="x",
        )


def test_a_credited_amount_may_be_invoiced_again(world, contract):
    bill = invoice(world, contract, amount="100000.00")
    invoices.add_credit_note(
        world.civic_lead,
        bill,
        number="CN-1",
        amount=Decimal("5000.00"),
        currency="AUD",
        issued_on=days_ago(3),
        reason="Out of scope.",
    )
    assert invoice(world, contract, number="INV-002", amount="5000.00").amount == Decimal("5000.00")


def test_settling_an_invoice_meets_the_payment_milestone_it_bills(world):
    contract = draft(world, service_delivery(world))
    due = contract.start_date + timedelta(days=30)
    stage = contracts.add_milestone(
        world.civic_lead,
        contract,
        kind="payment",
        title="First payment",
        due_on=due,
        amount=Decimal("40000.00"),
    )
    sign_both(world, contract)
    contract.refresh_from_db()
    bill = invoice(world, contract, amount="40000.00", milestone=stage)
    with pytest.raises(ValidationError, match="bills this milestone already"):
        invoice(world, contract, number="INV-002", amount="1.00", milestone=stage)
    payment = pay(world, bill, "40000.00")
    stage.refresh_from_db()
    assert stage.status == MilestoneStatus.MET
    invoices.remove_payment(world.official, payment)
    stage.refresh_from_db()
    assert stage.status == MilestoneStatus.SCHEDULED
