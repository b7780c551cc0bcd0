"""A contract's milestones: deliverables, payments, reports, financing events and the
steps of the procurement; changing them before signing, delivering and accepting what is
delivered, and recording the outcome of a step."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.services import actor_name, record_activity
from civicbridge.core import audit, formats
from civicbridge.core.permissions import require

from .. import permissions
from ..choices import MilestoneKind, MilestoneStatus
from ..models import Contract, Milestone
from . import locked_contract, writer_side
from .signing import terms_changed
from .validation import (
    check_payments_fit,
    not_in_future,
    out_of_range_message,
    refuse_unless_active,
    refuse_when_signed,
    same_currency,
    within_reason,
)

ACCEPTANCE_OUTCOMES = (MilestoneStatus.MET, MilestoneStatus.PARTIALLY_MET, MilestoneStatus.NOT_MET)


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
            "start": formats.day(contract.start_date),
            "end": formats.day(contract.end_date),
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
    refuse_when_signed(stored)
    milestone = Milestone(contract=stored, **fields)
    _validate_milestone(stored, milestone)
    check_payments_fit(stored, stored.value, adding=milestone)
    milestone.save()
    audit.log_created(actor, milestone)
    terms_changed(
        actor,
        stored,
        _("added the milestone “%(milestone)s”, due %(due)s")
        % {"milestone": milestone, "due": formats.day(milestone.due_on)},
    )
    return milestone


@transaction.atomic
def change_milestone(actor, milestone: Milestone, **fields) -> Milestone:
    """Change a milestone's terms before both sides have signed."""
    require(permissions.can_write_contract(actor, milestone.contract))
    stored = locked_contract(milestone.contract)
    refuse_when_signed(stored)
    current = Milestone.objects.get(pk=milestone.pk)
    before = audit.snapshot(current)
    for name, value in fields.items():
        if name not in MILESTONE_TERMS:
            raise TypeError(f"{name} is not a term of a milestone")
        setattr(current, name, value)
    _validate_milestone(stored, current)
    if not audit.changed_fields(before, audit.snapshot(current)):
        return current
    check_payments_fit(stored, stored.value, adding=current)
    current.save()
    audit.log_updated(actor, current, before)
    terms_changed(
        actor, stored, _("changed the milestone “%(milestone)s”") % {"milestone": current}
    )
    return current


@transaction.atomic
def remove_milestone(actor, milestone: Milestone) -> None:
    """Take a milestone out of the contract before both sides have signed."""
    require(permissions.can_write_contract(actor, milestone.contract))
    stored = locked_contract(milestone.contract)
    refuse_when_signed(stored)
    pk = milestone.pk
    milestone.delete()
    audit.log_deleted(actor, milestone, pk)
    terms_changed(
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
            % {"day": formats.day(stored.submitted_on), "buyer": contract.buyer}
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
    values = {"name": actor_name(actor), "milestone": step, "day": formats.day(step.met_on)}
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
