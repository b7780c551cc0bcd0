"""The contract room's rules, checked on what an OCDS process says before anything is
written, each failure named by release and JSON path.

They are the rules the contract services hold a contract to, through the same checks:
the currency and dates of the contract, its own milestones within its dates (a step of the
procurement may come before it starts), milestones in its currency, payments in its
currency, never in the future, under a number the supplier has not used, and within its
value.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from civicbridge.core import formats
from civicbridge.partners.models import Organisation

from ..choices import MilestoneKind
from ..models import Contract, Invoice, Milestone, Payment
from ..money import Money
from ..services.validation import (
    checked_currency,
    not_in_future,
    out_of_range_message,
    within_reason,
)
from .reading import Process, Step
from .terms import ContractTerms, MilestoneTerms, PaymentTerms


def field_problems(
    process: Process, row: models.Model, where: dict[str, list[Step]], exclude: list[str]
) -> list[str]:
    """The model's own rules (lengths, digits, choices), each named where it comes from."""
    try:
        row.full_clean(
            exclude=[*exclude, "created_by", "recorded_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        return [
            process.problem(where.get(name, where["__all__"]), " ".join(messages))
            for name, messages in error.message_dict.items()
        ]
    return []


def contract_problems(process: Process, terms: ContractTerms) -> list[str]:
    problems = []
    try:
        checked_currency(terms.currency)
    except ValidationError as error:
        problems.append(process.problem([*terms.value_steps, "currency"], " ".join(error.messages)))
    for day, key in ((terms.start_date, "startDate"), (terms.end_date, "endDate")):
        if not within_reason(day):
            problems.append(process.problem([*terms.period_steps, key], out_of_range_message()))
    if terms.end_date < terms.start_date:
        problems.append(
            process.problem(
                [*terms.period_steps, "endDate"], _("the contract ends before it starts.")
            )
        )
    draft = Contract(
        title=terms.title, value=terms.value, currency=terms.currency, status=terms.status
    )
    return problems + field_problems(
        process,
        draft,
        {"value": [*terms.value_steps, "amount"], "__all__": terms.steps},
        exclude=["collaboration", "supplier", "buyer", "start_date", "end_date"],
    )


def milestone_problems(
    process: Process, terms: ContractTerms, milestones: list[MilestoneTerms]
) -> list[str]:
    """Each of the contract's own milestones falls within its dates, as in the contract
    room; every milestone is in its currency; payments come within its value."""
    problems = []
    for milestone in milestones:
        step = milestone.kind in MilestoneKind.procurement()
        if not step and not terms.start_date <= milestone.due_on <= terms.end_date:
            problems.append(
                process.problem(
                    [*milestone.steps, "dueDate"],
                    _(
                        "the milestone is due on %(due)s, outside the contract, from %(start)s to %(end)s."
                    )
                    % {
                        "due": formats.day(milestone.due_on),
                        "start": formats.day(terms.start_date),
                        "end": formats.day(terms.end_date),
                    },
                )
            )
        if milestone.amount is not None and milestone.currency != terms.currency:
            problems.append(currency_problem(process, terms, milestone.steps, milestone.currency))
        draft = Milestone(
            kind=milestone.kind,
            title=milestone.title,
            amount=milestone.amount,
            currency=milestone.currency,
        )
        problems += field_problems(
            process,
            draft,
            {"amount": [*milestone.steps, "value", "amount"], "__all__": milestone.steps},
            exclude=["contract", "due_on"],
        )
    scheduled = sum(
        (m.amount or Decimal(0) for m in milestones if m.kind == MilestoneKind.PAYMENT), Decimal(0)
    )
    if scheduled > terms.value:
        problems.append(
            process.problem(
                [*terms.value_steps, "amount"],
                _(
                    "the payment milestones come to %(scheduled)s, more than the contract's value of %(value)s."
                )
                % {
                    "scheduled": Money(scheduled, terms.currency),
                    "value": Money(terms.value, terms.currency),
                },
            )
        )
    return problems


def currency_problem(process: Process, terms: ContractTerms, steps: list[Step], given: str) -> str:
    return process.problem(
        [*steps, "value", "currency"],
        _("the contract is in %(contract)s, not %(given)s: nothing here converts currencies.")
        % {"contract": terms.currency, "given": given},
    )


def payment_problems(
    process: Process,
    terms: ContractTerms,
    payments: list[PaymentTerms],
    supplier: Organisation | None,
    *,
    invoiced: Decimal,
) -> list[str]:
    """Each payment is in the contract's currency, more than nothing, not in the future and
    under a number the supplier has not used; together they stay within the value."""
    problems = []
    numbers = set()
    if supplier is not None and payments:
        numbers = set(
            Invoice.objects.filter(
                supplier=supplier, number__in=[p.ocds_id for p in payments]
            ).values_list("number", flat=True)
        )
    for payment in payments:
        if payment.currency != terms.currency:
            problems.append(currency_problem(process, terms, payment.steps, payment.currency))
        if payment.amount <= 0:
            problems.append(
                process.problem(
                    [*payment.steps, "value", "amount"],
                    _("a payment is more than nothing: a refund cannot be recorded as one."),
                )
            )
            continue
        try:
            not_in_future(payment.paid_on, "date")
        except ValidationError as error:
            problems.append(process.problem([*payment.steps, "date"], " ".join(error.messages)))
        if payment.ocds_id in numbers:
            problems.append(
                process.problem(
                    [*payment.steps, "id"],
                    _(
                        "%(supplier)s already has an invoice numbered %(number)s, which this "
                        "payment's invoice would repeat."
                    )
                    % {"supplier": supplier, "number": payment.ocds_id},
                )
            )
        draft = Payment(amount=payment.amount, currency=payment.currency, paid_on=payment.paid_on)
        problems += field_problems(
            process,
            draft,
            {"amount": [*payment.steps, "value", "amount"], "__all__": payment.steps},
            exclude=["invoice"],
        )
    paid = invoiced + sum((p.amount for p in payments), Decimal(0))
    if paid > terms.value:
        problems.append(
            process.problem(
                [*terms.value_steps, "amount"],
                _("the payments come to %(paid)s, more than the contract's value of %(value)s.")
                % {
                    "paid": Money(paid, terms.currency),
                    "value": Money(terms.value, terms.currency),
                },
            )
        )
    return problems
