"""Invoices, payments and credit notes (S4).

An invoice bills the buyer in the contract's currency, under a number the supplier uses
once; its due date follows from the contract's payment terms unless it is given. Payments,
in part or in full, and credit notes reduce what is owed, never below zero: paying or
crediting more than is owed is refused. The service sets `settled_on` to the day they first
covered the amount, and clears it when a payment is removed and they no longer do.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicbridge.collaborations.services import actor_name, record_activity
from civicbridge.core import audit, formats
from civicbridge.core.permissions import require

from .. import permissions
from ..choices import MilestoneKind, MilestoneStatus
from ..models import Contract, CreditNote, Invoice, Milestone, Payment
from ..money import Money, settled_on
from . import locked_contract, writer_side
from .validation import (
    checked_currency,
    invoiced_net,
    not_in_future,
    out_of_range_message,
    refuse_unless_active,
    same_currency,
    within_reason,
)


def _number_taken(contract: Contract, number: str) -> bool:
    return Invoice.objects.filter(supplier=contract.supplier, number=number).exists()


def _duplicate(contract: Contract, number: str) -> ValidationError:
    return ValidationError(
        {
            "number": _(
                "%(supplier)s already has an invoice numbered %(number)s: give each "
                "invoice its own number."
            )
            % {"supplier": contract.supplier.name, "number": number}
        }
    )


def _check_milestone(contract: Contract, milestone: Milestone | None) -> None:
    if milestone is None:
        return
    if milestone.contract_id != contract.pk or milestone.kind != MilestoneKind.PAYMENT:
        raise ValidationError({"milestone": _("Choose one of this contract's payment milestones.")})
    billed = milestone.invoices.first()
    if billed is not None:
        raise ValidationError(
            {
                "milestone": _("Invoice %(number)s bills this milestone already.")
                % {"number": billed.number}
            }
        )


@transaction.atomic
def add_invoice(
    actor,
    contract: Contract,
    *,
    number: str,
    amount: Decimal,
    currency: str,
    issued_on: date,
    due_on: date | None = None,
    note: str = "",
    milestone: Milestone | None = None,
) -> Invoice:
    """Bill the buyer; the due date is the issue date plus the contract's payment terms
    unless given. The contract's invoices, less credit notes, stay within its value."""
    require(permissions.can_act_for_supplier(actor, contract))
    stored = locked_contract(contract)  # one invoice at a time against the contract's value
    refuse_unless_active(stored)
    same_currency(stored, currency)
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("Give the invoice's number.")})
    not_in_future(issued_on, "issued_on")
    due_on = due_on or issued_on + timedelta(days=stored.payment_terms_days)
    if not within_reason(due_on):
        raise ValidationError({"due_on": out_of_range_message()})
    if due_on < issued_on:
        raise ValidationError({"due_on": _("The due date must be on or after the issue date.")})
    _check_milestone(stored, milestone)
    invoiced = invoiced_net(stored)
    if amount > 0 and invoiced + amount > stored.value:
        raise ValidationError(
            {
                "amount": _(
                    "%(invoiced)s is invoiced already: with %(amount)s the invoices would "
                    "come to more than the contract's value of %(value)s."
                )
                % {
                    "invoiced": formats.money(invoiced, stored.currency),
                    "amount": formats.money(amount, currency),
                    "value": formats.money(stored.value, stored.currency),
                }
            }
        )
    if _number_taken(stored, number):
        raise _duplicate(stored, number)
    invoice = Invoice(
        contract=stored,
        supplier=stored.supplier,
        number=number,
        milestone=milestone,
        amount=amount,
        currency=currency,
        issued_on=issued_on,
        due_on=due_on,
        note=note.strip(),
        created_by=actor,
    )
    # The constraints are checked above in words; the database keeps the last word.
    invoice.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            invoice.save()
    except IntegrityError:
        # Another request saved the same number between the check and this save.
        raise _duplicate(stored, number) from None
    audit.log_created(actor, invoice)
    record_activity(
        actor,
        stored.collaboration,
        _("%(name)s sent invoice %(number)s for %(amount)s, due %(due)s.")
        % {
            "name": actor_name(actor),
            "number": number,
            "amount": formats.money(amount, currency),
            "due": formats.day(due_on),
        },
        side=stored.supplier_id,
    )
    return invoice


def _locked_invoice(invoice: Invoice) -> Invoice:
    """The invoice as stored now, locked while money is added to it or taken from it."""
    stored = Invoice.objects.select_for_update().get(pk=invoice.pk)
    stored.contract = invoice.contract
    return stored


def _settle(actor, invoice: Invoice) -> None:
    """Set or clear `settled_on` from the payments and credits the invoice has now; a
    payment milestone the invoice bills is met while it is settled."""
    reductions = [(p.paid_on, Money(p.amount, p.currency)) for p in invoice.payments.all()]
    reductions += [(c.issued_on, Money(c.amount, c.currency)) for c in invoice.creditnotes.all()]
    settled = settled_on(Money(invoice.amount, invoice.currency), reductions)
    if settled == invoice.settled_on:
        return
    before = audit.snapshot(invoice)
    invoice.settled_on = settled
    invoice.save(update_fields=["settled_on", "updated_at"])
    audit.log_updated(actor, invoice, before)
    if invoice.milestone_id:
        Milestone.objects.filter(pk=invoice.milestone_id).update(
            status=MilestoneStatus.MET if settled else MilestoneStatus.SCHEDULED
        )


def _check_reduction(invoice: Invoice, amount: Decimal, currency: str, what: str) -> None:
    """Money taken off an invoice is in its currency and no more than is still owed."""
    checked_currency(currency)
    if currency != invoice.currency:
        raise ValidationError(
            {
                "currency": _("Invoice %(number)s is in %(invoice)s, not %(given)s.")
                % {"number": invoice.number, "invoice": invoice.currency, "given": currency}
            }
        )
    owed = invoice.owed()
    if owed.amount <= 0:
        raise ValidationError(
            _("Invoice %(number)s is settled: nothing is owed on it.") % {"number": invoice.number}
        )
    if amount > owed.amount:
        raise ValidationError(
            {
                "amount": _(
                    "Only %(owed)s is still owed on invoice %(number)s: %(what)s of %(amount)s "
                    "would be too much."
                )
                % {
                    "owed": owed,
                    "number": invoice.number,
                    "what": what,
                    "amount": formats.money(amount, currency),
                }
            }
        )


def _check_day(invoice: Invoice, day: date, field: str) -> None:
    not_in_future(day, field)
    if day < invoice.issued_on:
        raise ValidationError(
            {
                field: _("Invoice %(number)s was issued on %(issued)s: give that day or later.")
                % {"number": invoice.number, "issued": formats.day(invoice.issued_on)}
            }
        )


@transaction.atomic
def record_payment(
    actor, invoice: Invoice, *, amount: Decimal, currency: str, paid_on: date, reference: str = ""
) -> Payment:
    """Record money paid toward an invoice, in part or in full; an overpayment is refused."""
    require(permissions.can_record_payment(actor, invoice.contract))
    stored = _locked_invoice(invoice)
    _check_reduction(stored, amount, currency, _("a payment"))
    _check_day(stored, paid_on, "paid_on")
    payment = Payment(
        invoice=stored,
        amount=amount,
        currency=currency,
        paid_on=paid_on,
        reference=reference.strip(),
        recorded_by=actor,
    )
    payment.full_clean()
    payment.save()
    audit.log_created(actor, payment)
    _settle(actor, stored)
    contract = stored.contract
    record_activity(
        actor,
        contract.collaboration,
        _("%(name)s recorded a payment of %(amount)s on invoice %(number)s, paid %(day)s.")
        % {
            "name": actor_name(actor),
            "amount": formats.money(amount, currency),
            "number": stored.number,
            "day": formats.day(paid_on),
        },
        side=writer_side(actor, contract),
    )
    return payment


@transaction.atomic
def remove_payment(actor, payment: Payment) -> None:
    """Take out a payment recorded by mistake; the invoice is open again if it no longer
    is covered."""
    contract = payment.invoice.contract
    require(permissions.can_record_payment(actor, contract))
    stored = _locked_invoice(payment.invoice)
    pk = payment.pk
    payment.delete()
    audit.log_deleted(actor, payment, pk)
    _settle(actor, stored)
    record_activity(
        actor,
        contract.collaboration,
        _("%(name)s removed the payment of %(amount)s from invoice %(number)s.")
        % {
            "name": actor_name(actor),
            "amount": formats.money(payment.amount, payment.currency),
            "number": stored.number,
        },
        side=writer_side(actor, contract),
    )


@transaction.atomic
def add_credit_note(
    actor,
    invoice: Invoice,
    *,
    number: str,
    amount: Decimal,
    currency: str,
    issued_on: date,
    reason: str,
) -> CreditNote:
    """The supplier takes an amount off an invoice, never more than is still owed."""
    require(permissions.can_act_for_supplier(actor, invoice.contract))
    stored = _locked_invoice(invoice)
    number, reason = number.strip(), reason.strip()
    if not number:
        raise ValidationError({"number": _("Give the credit note's number.")})
    if not reason:
        raise ValidationError({"reason": _("Say why the amount is taken off.")})
    _check_reduction(stored, amount, currency, _("a credit note"))
    _check_day(stored, issued_on, "issued_on")
    if stored.creditnotes.filter(number=number).exists():
        raise ValidationError(
            {
                "number": _("This invoice has a credit note numbered %(number)s already.")
                % {"number": number}
            }
        )
    credit_note = CreditNote(
        invoice=stored,
        number=number,
        amount=amount,
        currency=currency,
        issued_on=issued_on,
        reason=reason,
        recorded_by=actor,
    )
    credit_note.full_clean()
    credit_note.save()
    audit.log_created(actor, credit_note)
    _settle(actor, stored)
    record_activity(
        actor,
        stored.contract.collaboration,
        _("%(name)s took %(amount)s off invoice %(number)s with credit note %(note)s: %(reason)s")
        % {
            "name": actor_name(actor),
            "amount": formats.money(amount, currency),
            "number": stored.number,
            "note": number,
            "reason": reason,
        },
        side=stored.contract.supplier_id,
    )
    return credit_note
