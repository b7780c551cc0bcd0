"""Contracts (S4): drafting, both sides' signatures, milestones and their acceptance, the
outcome of the steps of the procurement, variations after signing, and the supplier's
planned costs.

The terms (the contract's fields and its milestones) change only until both sides have
signed, and a change voids a signature already given, as with the MOU. Once both have
signed, the value and the end date change only through a numbered variation that keeps
the old and new values and the reason. A side signs after re-entering its password, and
nobody signs while the supplier has an undisclosed conflict of interest with the buyer.
"""

import hashlib
import json
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.accounts.signing import WRONG_PASSWORD
from civicbridge.collaborations import permissions as collaboration_permissions
from civicbridge.collaborations.choices import Model, Stage
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import actor_name, record_activity, tell_both_sides
from civicbridge.core import audit
from civicbridge.core.choices import Visibility
from civicbridge.core.permissions import require
from civicbridge.partners.models import Organisation

from .. import permissions
from ..choices import ContractStatus, MilestoneKind, MilestoneStatus
from ..models import Contract, CreditNote, Invoice, Milestone, PlannedCost, Variation
from ..money import Money, currency_code
from .conflicts import undisclosed_conflict

# Dates outside these years are typing mistakes, not contracts.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
ACCEPTANCE_OUTCOMES = (MilestoneStatus.MET, MilestoneStatus.PARTIALLY_MET, MilestoneStatus.NOT_MET)


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


def writer_side(actor, contract: Contract) -> int:
    """The party the actor writes for, for the activity feed."""
    side = collaboration_permissions.side_of(actor, contract.collaboration)
    assert side is not None, "the caller checked the actor acts for a party"
    return side


def locked_contract(contract: Contract) -> Contract:
    """The contract as stored now, locked against a concurrent change or signature."""
    stored = Contract.objects.select_for_update().get(pk=contract.pk)
    stored.collaboration = contract.collaboration
    stored.supplier, stored.buyer = contract.supplier, contract.buyer
    return stored


def _refuse_when_signed(contract: Contract) -> None:
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


# Drafting the contract


def terms_digest(contract: Contract) -> str:
    """A fingerprint of what a signature covers: the contract's terms and its milestones.

    The signing form carries it, so a signature is refused when the terms changed while
    the signer was reading them.
    """

    def cents(amount: Decimal | None) -> str:
        # 48000, 48000.0 and 48000.00 are one amount, however it was last written.
        return "" if amount is None else f"{amount:.2f}"

    milestones = [
        [m.kind, m.title, m.description, str(m.due_on), cents(m.amount), m.currency]
        for m in Milestone.objects.filter(contract_id=contract.pk).order_by("pk")
    ]
    terms = [
        contract.supplier_id,
        contract.buyer_id,
        contract.title,
        contract.description,
        contract.reference,
        cents(contract.value),
        contract.currency,
        str(contract.start_date),
        str(contract.end_date),
        contract.payment_terms_days,
        milestones,
    ]
    return hashlib.sha256(json.dumps(terms).encode()).hexdigest()


def _validate_contract(contract: Contract) -> None:
    """Dates within reason and in order, and a real currency code; then the model's rules."""
    errors: dict[str, str] = {}
    try:
        checked_currency(contract.currency)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    for name in ("start_date", "end_date"):
        if not within_reason(getattr(contract, name)):
            errors[name] = out_of_range_message()
    if not errors and contract.end_date < contract.start_date:
        errors["end_date"] = _("The end date must be on or after the start date.")
    if errors:
        raise ValidationError(errors)
    contract.full_clean()


@transaction.atomic
def create_contract(
    actor,
    collaboration: Collaboration,
    *,
    supplier: Organisation | None = None,
    buyer: Organisation | None = None,
    **fields,
) -> Contract:
    """Draft a contract between the collaboration's two parties; the civic organisation
    supplies and the institution buys, unless said otherwise."""
    if collaboration.model != Model.SERVICE_DELIVERY:
        raise ValidationError(_("Only a service-delivery collaboration has contracts."))
    if collaboration.stage == Stage.CLOSED:
        raise ValidationError(_("The collaboration is closed: it takes no new contract."))
    supplier = supplier or collaboration.civic_organisation
    buyer = buyer or collaboration.institution
    if {supplier.pk, buyer.pk} != set(collaboration.party_ids):
        raise ValidationError(
            _("The supplier and the buyer are the collaboration's two parties, one each.")
        )
    contract = Contract(
        collaboration=collaboration, supplier=supplier, buyer=buyer, created_by=actor, **fields
    )
    require(permissions.can_write_contract(actor, contract))
    _validate_contract(contract)
    contract.save()
    audit.log_created(actor, contract)
    record_activity(
        actor,
        collaboration,
        _("%(name)s drafted the contract “%(title)s” for %(value)s.")
        % {"name": actor_name(actor), "title": contract, "value": _value(contract)},
        side=writer_side(actor, contract),
    )
    return contract


def _value(contract: Contract) -> Money:
    return Money(contract.value, contract.currency)


def _terms_changed(actor, contract: Contract, change: str) -> None:
    """After a change of terms: void a signature already given, and say so."""
    side = writer_side(actor, contract)
    record_activity(
        actor,
        contract.collaboration,
        _("%(name)s changed the contract “%(title)s”: %(change)s.")
        % {"name": actor_name(actor), "title": contract, "change": change},
        side=side,
    )
    signed = [
        party.name
        for party, at in (
            (contract.supplier, contract.supplier_signed_at),
            (contract.buyer, contract.buyer_signed_at),
        )
        if at
    ]
    if not signed:
        return
    before = audit.snapshot(contract)
    contract.supplier_signed_at = contract.supplier_signed_by = None
    contract.buyer_signed_at = contract.buyer_signed_by = None
    contract.save()
    audit.log_updated(actor, contract, before)
    message = _(
        "The signature of %(sides)s on the contract “%(title)s” is void, because %(name)s "
        "changed it (%(change)s). Both sides must read it again and sign."
    ) % {
        "sides": _(" and ").join(signed),
        "title": contract,
        "name": actor_name(actor),
        "change": change,
    }
    record_activity(actor, contract.collaboration, message, side=side)
    tell_both_sides(
        contract.collaboration,
        _("The contract “%(title)s” changed: sign it again") % {"title": contract},
        message,
    )


CONTRACT_TERMS = (
    "title",
    "description",
    "reference",
    "value",
    "currency",
    "start_date",
    "end_date",
    "payment_terms_days",
)


@transaction.atomic
def update_contract(actor, contract: Contract, **fields) -> Contract:
    """Change the terms before both sides have signed; a signature given is voided."""
    require(permissions.can_write_contract(actor, contract))
    stored = locked_contract(contract)
    _refuse_when_signed(stored)
    before = audit.snapshot(stored)
    for name, value in fields.items():
        if name not in CONTRACT_TERMS:
            raise TypeError(f"{name} is not a term of the contract")
        setattr(stored, name, value)
    _validate_contract(stored)
    changes = audit.changed_fields(before, audit.snapshot(stored))
    if not changes:
        return stored
    if "currency" in changes and stored.milestones.exclude(currency="").exists():
        raise ValidationError(
            {
                "currency": _("Milestones are priced in %(old)s: change or remove them first.")
                % {"old": before["currency"]}
            }
        )
    _check_milestone_dates(stored)
    _check_payments_fit(stored, stored.value)
    stored.save()
    audit.log_updated(actor, stored, before)
    labels = {
        name: str(getattr(Contract._meta.get_field(name), "verbose_name", name)) for name in changes
    }
    _terms_changed(actor, stored, _("changed the %(what)s") % {"what": ", ".join(labels.values())})
    return stored


# Signing


@transaction.atomic
def sign_contract(actor, contract: Contract, *, terms: str, password: str) -> Contract:
    """Sign the contract for the actor's side, as it stood when they read it.

    Refused while the supplier has a conflict of interest with the buyer that it has not
    disclosed. Once both sides have signed, the contract is active.
    """
    require(permissions.can_sign_contract(actor, contract))
    side = permissions.signing_side(actor, contract)
    assert side is not None  # can_sign_contract made sure
    stored = locked_contract(contract)
    _refuse_when_signed(stored)
    if terms != terms_digest(stored):
        raise ValidationError(
            _("The contract changed while you were reading it. Read it again before you sign.")
        )
    prefix = "supplier" if side == stored.supplier_id else "buyer"
    side_name = (stored.supplier if prefix == "supplier" else stored.buyer).name
    if getattr(stored, f"{prefix}_signed_at"):
        raise ValidationError(_("%(side)s signed this contract already.") % {"side": side_name})
    conflict = undisclosed_conflict(stored.supplier, stored.buyer)
    if conflict:
        raise ValidationError(conflict)
    if not actor.check_password(password):
        raise ValidationError({"password": WRONG_PASSWORD})
    before = audit.snapshot(stored)
    setattr(stored, f"{prefix}_signed_at", timezone.now())
    setattr(stored, f"{prefix}_signed_by", actor)
    if stored.signed:
        stored.status = ContractStatus.ACTIVE
    stored.save()
    audit.log_updated(actor, stored, before)
    record_activity(
        actor,
        stored.collaboration,
        _("%(name)s signed the contract “%(title)s” for %(side)s.")
        % {"name": actor_name(actor), "title": stored, "side": side_name},
        side=side,
    )
    if stored.signed:
        message = _("Both sides signed the contract “%(title)s”: it is in force.") % {
            "title": stored
        }
        record_activity(actor, stored.collaboration, message, side=side)
        tell_both_sides(
            stored.collaboration,
            _("The contract “%(title)s” is signed") % {"title": stored},
            message,
        )
    return stored


# Milestones


def _check_milestone_dates(contract: Contract) -> None:
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
            % {"milestone": outside, "due": outside.due_on}
        )


def _check_payments_fit(
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


def _validate_milestone(contract: Contract, milestone: Milestone) -> None:
    """A milestone of the contract's own falls within its dates; a step of the procurement
    (a consultation, an approval) may come before the contract starts."""
    errors: dict[str, str] = {}
    if not within_reason(milestone.due_on):
        errors["due_on"] = out_of_range_message()
    elif (
        not milestone.procurement_step
        and not contract.start_date <= milestone.due_on <= contract.end_date
    ):
        errors["due_on"] = _("Give a date within the contract, from %(start)s to %(end)s.") % {
            "start": contract.start_date,
            "end": contract.end_date,
        }
    if milestone.kind == MilestoneKind.PAYMENT and milestone.amount is None:
        errors["amount"] = _("A payment milestone says how much is due.")
    if milestone.amount is None:
        milestone.currency = ""
    else:
        milestone.currency = milestone.currency or contract.currency
        try:
            same_currency(contract, milestone.currency)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    milestone.full_clean(exclude=["contract"])


MILESTONE_TERMS = ("kind", "title", "description", "due_on", "amount", "currency")


@transaction.atomic
def add_milestone(actor, contract: Contract, **fields) -> Milestone:
    """Add a deliverable, a payment, a report, a financing event or a step of the
    procurement to the contract: a change of terms."""
    require(permissions.can_write_contract(actor, contract))
    stored = locked_contract(contract)
    _refuse_when_signed(stored)
    milestone = Milestone(contract=stored, **fields)
    _validate_milestone(stored, milestone)
    _check_payments_fit(stored, stored.value, adding=milestone)
    milestone.save()
    audit.log_created(actor, milestone)
    _terms_changed(
        actor,
        stored,
        _("added the milestone “%(milestone)s”, due %(due)s")
        % {"milestone": milestone, "due": milestone.due_on},
    )
    return milestone


@transaction.atomic
def change_milestone(actor, milestone: Milestone, **fields) -> Milestone:
    """Change a milestone's terms before both sides have signed."""
    require(permissions.can_write_contract(actor, milestone.contract))
    stored = locked_contract(milestone.contract)
    _refuse_when_signed(stored)
    current = Milestone.objects.get(pk=milestone.pk)
    before = audit.snapshot(current)
    for name, value in fields.items():
        if name not in MILESTONE_TERMS:
            raise TypeError(f"{name} is not a term of a milestone")
        setattr(current, name, value)
    _validate_milestone(stored, current)
    if not audit.changed_fields(before, audit.snapshot(current)):
        return current
    _check_payments_fit(stored, stored.value, adding=current)
    current.save()
    audit.log_updated(actor, current, before)
    _terms_changed(
        actor, stored, _("changed the milestone “%(milestone)s”") % {"milestone": current}
    )
    return current


@transaction.atomic
def remove_milestone(actor, milestone: Milestone) -> None:
    """Take a milestone out of the contract before both sides have signed."""
    require(permissions.can_write_contract(actor, milestone.contract))
    stored = locked_contract(milestone.contract)
    _refuse_when_signed(stored)
    pk = milestone.pk
    milestone.delete()
    audit.log_deleted(actor, milestone, pk)
    _terms_changed(
        actor, stored, _("removed the milestone “%(milestone)s”") % {"milestone": milestone}
    )


def _acted_on(on: date | None, field: str) -> date:
    """The day something happened: today unless given, never ahead of today."""
    on = on or timezone.localdate()
    not_in_future(on, field)
    return on


@transaction.atomic
def deliver_milestone(actor, milestone: Milestone, *, on: date | None = None) -> Milestone:
    """The supplier hands over a deliverable or a report for the buyer to accept."""
    require(permissions.can_act_for_supplier(actor, milestone.contract))
    contract = locked_contract(milestone.contract)
    refuse_unless_active(contract)
    stored = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if stored.kind == MilestoneKind.PAYMENT:
        raise ValidationError(
            _("A payment milestone is met by an invoice paid, not by a delivery.")
        )
    if not stored.needs_acceptance:
        raise ValidationError(
            _("Only a deliverable or a report is delivered and accepted, not a %(kind)s milestone.")
            % {"kind": stored.get_kind_display().lower()}
        )
    if stored.status == MilestoneStatus.MET:
        raise ValidationError(_("%(buyer)s accepted this already.") % {"buyer": contract.buyer})
    if stored.awaiting_acceptance:
        raise ValidationError(
            _("It was delivered on %(day)s and waits for %(buyer)s to accept it.")
            % {"day": stored.submitted_on, "buyer": contract.buyer}
        )
    on = _acted_on(on, "submitted_on")
    before = audit.snapshot(stored)
    stored.submitted_on, stored.status = on, MilestoneStatus.SCHEDULED
    stored.accepted_on, stored.accepted_by, stored.acceptance_note = None, None, ""
    stored.save()
    audit.log_updated(actor, stored, before)
    record_activity(
        actor,
        contract.collaboration,
        _("%(name)s delivered “%(milestone)s” for %(buyer)s to accept.")
        % {"name": actor_name(actor), "milestone": stored, "buyer": contract.buyer},
        side=contract.supplier_id,
    )
    stored.contract = contract
    return stored


@transaction.atomic
def accept_milestone(
    actor, milestone: Milestone, *, outcome: str, note: str = "", on: date | None = None
) -> Milestone:
    """The buyer says whether what was delivered meets the contract, with a note."""
    require(permissions.can_accept(actor, milestone.contract))
    contract = locked_contract(milestone.contract)
    refuse_unless_active(contract)
    stored = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if outcome not in ACCEPTANCE_OUTCOMES:
        raise ValidationError({"outcome": _("Say whether it meets the contract.")})
    if not stored.awaiting_acceptance:
        raise ValidationError(
            _("There is nothing to accept: %(supplier)s has not delivered it yet.")
            % {"supplier": contract.supplier}
            if stored.submitted_on is None
            else _("It was judged already: “%(status)s”.") % {"status": stored.get_status_display()}
        )
    note = note.strip()
    if outcome != MilestoneStatus.MET and not note:
        raise ValidationError({"note": _("Say what is missing, so the supplier can put it right.")})
    on = _acted_on(on, "accepted_on")
    assert stored.submitted_on is not None  # awaiting acceptance
    if on < stored.submitted_on:
        raise ValidationError({"accepted_on": _("It cannot be judged before it was delivered.")})
    before = audit.snapshot(stored)
    stored.status, stored.accepted_on, stored.accepted_by = outcome, on, actor
    stored.acceptance_note = note
    stored.save()
    audit.log_updated(actor, stored, before)
    record_activity(
        actor,
        contract.collaboration,
        _("%(name)s judged “%(milestone)s” for %(buyer)s: %(outcome)s.")
        % {
            "name": actor_name(actor),
            "milestone": stored,
            "buyer": contract.buyer,
            "outcome": stored.get_status_display(),
        },
        side=contract.buyer_id,
    )
    stored.contract = contract
    return stored


# Steps of the procurement

STEP_OUTCOMES = (MilestoneStatus.MET, MilestoneStatus.PARTIALLY_MET, MilestoneStatus.NOT_MET)


def _step_message(actor, step: Milestone) -> str:
    values = {"name": actor_name(actor), "milestone": step, "day": step.met_on}
    if step.status == MilestoneStatus.MET:
        return _("%(name)s recorded that “%(milestone)s” was met on %(day)s.") % values
    if step.status == MilestoneStatus.PARTIALLY_MET:
        return _("%(name)s recorded that “%(milestone)s” was partly met on %(day)s.") % values
    return _("%(name)s recorded that “%(milestone)s” was not met.") % values


@transaction.atomic
def record_step(actor, milestone: Milestone, *, status: str, met_on: date | None) -> Milestone:
    """Say whether a step of the procurement (a consultation, an approval) happened, and on
    which day; OCDS publishes it as the step's status and dateMet.

    The outcome is not a term of the contract (`terms_digest` leaves it out), so either
    side records it before or after signing, and no signature is voided. A deliverable is
    met by acceptance and a payment by its invoice paid, not here.
    """
    require(permissions.can_record_step(actor, milestone.contract))
    stored = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if not stored.procurement_step:
        raise ValidationError(
            _(
                "Only a step of the procurement has its outcome recorded, not a %(kind)s "
                "milestone: a deliverable or a report is delivered and accepted, and a "
                "payment is met when its invoice is paid."
            )
            % {"kind": stored.get_kind_display().lower()}
        )
    if status not in STEP_OUTCOMES:
        raise ValidationError({"status": _("Say whether it was met, partly met or not met.")})
    if status == MilestoneStatus.NOT_MET and met_on is not None:
        raise ValidationError(
            {"met_on": _("Leave the date empty: a step that was not met has no day it was met.")}
        )
    if status != MilestoneStatus.NOT_MET:
        if met_on is None:
            raise ValidationError({"met_on": _("Give the day it happened.")})
        not_in_future(met_on, "met_on")
    before = audit.snapshot(stored)
    stored.status, stored.met_on = status, met_on
    stored.contract = milestone.contract
    if not audit.changed_fields(before, audit.snapshot(stored)):
        return stored
    stored.save()
    audit.log_updated(actor, stored, before)
    record_activity(
        actor,
        stored.contract.collaboration,
        _step_message(actor, stored),
        side=writer_side(actor, stored.contract),
    )
    return stored


# Variations


@transaction.atomic
def record_variation(
    actor,
    contract: Contract,
    *,
    reason: str,
    agreed_on: date,
    new_value: Decimal | None = None,
    currency: str = "",
    new_end_date: date | None = None,
) -> Variation:
    """Record an agreed change of the signed contract's value, end date or both."""
    require(permissions.can_write_contract(actor, contract))
    stored = locked_contract(contract)
    refuse_unless_active(stored)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the contract changes.")})
    not_in_future(agreed_on, "agreed_on")
    value = stored.value if new_value is None else new_value
    end = stored.end_date if new_end_date is None else new_end_date
    if new_value is not None:
        same_currency(stored, currency or stored.currency)
        invoiced = invoiced_net(stored)
        if value < invoiced:
            raise ValidationError(
                {
                    "new_value": _(
                        "%(invoiced)s is invoiced already: the value cannot fall below it."
                    )
                    % {"invoiced": Money(invoiced, stored.currency)}
                }
            )
        _check_payments_fit(stored, value)
    if not within_reason(end):
        raise ValidationError({"new_end_date": out_of_range_message()})
    if end < stored.start_date:
        raise ValidationError({"new_end_date": _("The end date must be on or after the start.")})
    late = (
        stored.milestones.exclude(kind__in=MilestoneKind.procurement())
        .filter(due_on__gt=end)
        .first()
    )
    if late is not None:
        raise ValidationError(
            {
                "new_end_date": _("The milestone “%(milestone)s” is due on %(due)s, after it.")
                % {"milestone": late, "due": late.due_on}
            }
        )
    if (value, end) == (stored.value, stored.end_date):
        raise ValidationError(_("Nothing changes: give a new value, a new end date or both."))
    number = (stored.variations.aggregate(last=Max("number"))["last"] or 0) + 1
    variation = Variation(
        contract=stored,
        number=number,
        reason=reason,
        old_value=stored.value,
        new_value=value,
        old_end_date=stored.end_date,
        new_end_date=end,
        agreed_on=agreed_on,
        recorded_by=actor,
    )
    variation.full_clean()
    variation.save()
    audit.log_created(actor, variation)
    before = audit.snapshot(stored)
    stored.value, stored.end_date = value, end
    stored.save(update_fields=["value", "end_date", "updated_at"])
    audit.log_updated(actor, stored, before)
    message = _(
        "%(name)s recorded variation %(number)d of the contract “%(title)s”: value "
        "%(old_value)s → %(new_value)s, end %(old_end)s → %(new_end)s. Why: %(reason)s"
    ) % {
        "name": actor_name(actor),
        "number": number,
        "title": stored,
        "old_value": Money(variation.old_value, stored.currency),
        "new_value": Money(value, stored.currency),
        "old_end": variation.old_end_date,
        "new_end": end,
        "reason": reason,
    }
    record_activity(actor, stored.collaboration, message, side=writer_side(actor, stored))
    tell_both_sides(
        stored.collaboration,
        _("The contract “%(title)s” was varied") % {"title": stored},
        message,
    )
    return variation


# The supplier's planned costs


@transaction.atomic
def add_planned_cost(
    actor, contract: Contract, *, description: str, amount: Decimal, currency: str, due_on: date
) -> PlannedCost:
    """Plan a cost the supplier pays while it delivers; only its own side sees it."""
    require(permissions.can_act_for_supplier(actor, contract))
    same_currency(contract, currency)
    if not within_reason(due_on):
        raise ValidationError({"due_on": out_of_range_message()})
    cost = PlannedCost(
        contract=contract,
        description=description.strip(),
        amount=amount,
        currency=currency,
        due_on=due_on,
    )
    cost.full_clean()
    cost.save()
    audit.log_created(actor, cost)
    record_activity(
        actor,
        contract.collaboration,
        _("%(name)s planned a cost of %(amount)s on %(due)s: %(what)s.")
        % {
            "name": actor_name(actor),
            "amount": Money(amount, currency),
            "due": due_on,
            "what": cost,
        },
        side=contract.supplier_id,
        visibility=Visibility.OWN_SIDE,
    )
    return cost


@transaction.atomic
def remove_planned_cost(actor, cost: PlannedCost) -> None:
    """Take a planned cost out of the supplier's cash-flow plan."""
    require(permissions.can_act_for_supplier(actor, cost.contract))
    pk = cost.pk
    cost.delete()
    audit.log_deleted(actor, cost, pk)
