"""What contracts, milestones, invoices and imports check alike: dates within reason,
real currency codes and the contract's own, whether the contract takes the change, and
what the supplier has invoiced so far."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import formats

from ..choices import ContractStatus, MilestoneKind
from ..models import Contract, CreditNote, Invoice, Milestone
from ..money import Money, currency_code

# Dates outside these years are typing mistakes, not contracts.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


def within_reason(day: date | None) -> bool:
    return day is not None and EARLIEST <= day <= LATEST


def out_of_range_message() -> str:
    return _("Give a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST.year,
        "latest": LATEST.year,
    }


def not_in_future(day: date, what: str) -> None:
    """Refuse a day that has not come yet for something that has already happened."""
    if day > timezone.localdate():
        raise ValidationError({what: _("This date is in the future: record it once it happens.")})
    if day < EARLIEST:
        raise ValidationError({what: out_of_range_message()})


def checked_currency(code: str, field: str = "currency") -> str:
    """`code` if it is an ISO 4217 code in upper case, else a ValidationError on `field`."""
    try:
        return currency_code(code)
    except ValueError:
        raise ValidationError(
            {field: _("Give the currency as its three-letter ISO 4217 code, such as AUD or EUR.")}
        ) from None


def same_currency(contract: Contract, currency: str, field: str = "currency") -> str:
    """Refuse money in another currency than the contract's: nothing here converts it."""
    checked_currency(currency, field)
    if currency != contract.currency:
        raise ValidationError(
            {
                field: _(
                    "The contract is in %(contract)s, not %(given)s: give the amount in "
                    "%(contract)s."
                )
                % {"contract": contract.currency, "given": currency}
            }
        )
    return currency


def refuse_when_signed(contract: Contract) -> None:
    if contract.status != ContractStatus.PENDING:
        raise ValidationError(
            _(
                "The contract is signed by both sides and its terms are fixed: record a "
                "variation to change its value or end date."
            )
        )


def refuse_unless_active(contract: Contract) -> None:
    if contract.status != ContractStatus.ACTIVE:
        raise ValidationError(
            _("The contract is not in force: both sides must sign it first.")
            if contract.status == ContractStatus.PENDING
            else _("The contract is %(status)s.") % {"status": contract.get_status_display()}
        )


def invoiced_net(contract: Contract) -> Decimal:
    """What the supplier has invoiced on the contract so far, less its credit notes."""
    invoices = Invoice.objects.filter(contract=contract)
    billed = invoices.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    credited = CreditNote.objects.filter(invoice__in=invoices).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal(0)
    return billed - credited


def check_milestone_dates(contract: Contract) -> None:
    """Every milestone of the contract's own falls within its dates; a step of the
    procurement may come before it starts."""
    outside = (
        contract.milestones.exclude(kind__in=MilestoneKind.procurement())
        .exclude(due_on__gte=contract.start_date, due_on__lte=contract.end_date)
        .first()
    )
    if outside is not None:
        raise ValidationError(
            _(
                "The milestone “%(milestone)s” is due on %(due)s, outside the contract's "
                "dates: change the milestone first."
            )
            % {"milestone": outside, "due": formats.day(outside.due_on)}
        )


def check_payments_fit(
    contract: Contract,
    value: Decimal,
    *,
    adding: Milestone | None = None,
) -> None:
    """The payment milestones, with `adding` new or changed, come to no more than `value`."""
    payments = contract.milestones.filter(kind=MilestoneKind.PAYMENT)
    extra = Decimal(0)
    if adding is not None:
        payments = payments.exclude(pk=adding.pk)
        if adding.kind == MilestoneKind.PAYMENT:
            extra = adding.amount or Decimal(0)
    scheduled = (payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)) + extra
    if scheduled > value:
        currency = contract.currency
        raise ValidationError(
            _(
                "The payment milestones would come to %(scheduled)s, more than the "
                "contract's value of %(value)s."
            )
            % {
                "scheduled": Money(scheduled, currency),
                "value": Money(value, currency),
            }
        )
