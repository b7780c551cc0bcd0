"""The "invoice overdue" reminder: the supplier's members hear of an unpaid invoice the
day after it falls due, and again every 30 days while it stays unpaid."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import time_machine

from civicbridge.notifications.models import Reminder
from civicbridge.notifications.services import enqueue_due
from civicbridge.procurement.reminders import INVOICE_OVERDUE
from civicbridge.procurement.services import invoices

from .contract_helpers import days_ago, draft, service_delivery, sign_both


def run_on(day: date) -> None:
    with time_machine.travel(datetime(day.year, day.month, day.day, 6, tzinfo=UTC)):
        enqueue_due()


def overdue() -> list[tuple[str, str]]:
    return sorted(
        Reminder.objects.filter(kind=INVOICE_OVERDUE).values_list("recipient__email", "key")
    )


def test_the_suppliers_members_are_reminded_once_per_30_days_overdue(world):
    contract = sign_both(world, draft(world, service_delivery(world), payment_terms_days=30))
    invoice = invoices.add_invoice(
        world.civic_lead,
        contract,
        number="INV-7",
        amount=Decimal("1000.00"),
        currency="AUD",
        issued_on=days_ago(10),
    )
    due = invoice.due_on
    run_on(due)
    assert overdue() == []
    run_on(due + timedelta(days=1))
    # The civic side's member and admin; not the institution, not the fellow's viewer seat.
    assert [email for email, _key in overdue()] == ["fellow@example.org", "lead@example.org"]
    run_on(due + timedelta(days=30))
    assert len(overdue()) == 2
    run_on(due + timedelta(days=31))
    assert len(overdue()) == 4
    latest = Reminder.objects.filter(kind=INVOICE_OVERDUE).latest("pk")
    assert "Testshire Council still owes 1,000.00 AUD on invoice INV-7" in latest.body
    assert "31 days overdue" in latest.body


def test_a_settled_invoice_is_not_chased(world):
    contract = sign_both(world, draft(world, service_delivery(world), payment_terms_days=0))
    invoice = invoices.add_invoice(
        world.civic_lead,
        contract,
        number="INV-8",
        amount=Decimal("1000.00"),
        currency="AUD",
        issued_on=days_ago(5),
    )
    invoices.record_payment(
        world.official, invoice, amount=Decimal("1000.00"), currency="AUD", paid_on=days_ago(1)
    )
    run_on(days_ago(0))
    assert overdue() == []
