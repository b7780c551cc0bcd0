"""Contracts (S4): drafting, variations after signing, and the supplier's planned costs.

The terms (the contract's fields and its milestones) change only until both sides have
signed, and a change voids a signature already given, as with the MOU. Once both have
signed, the value and the end date change only through a numbered variation that keeps
the old and new values and the reason.

Signing lives in `signing` and the milestones in `milestones`; this module names their
writes too, so a caller finds every write to a contract here.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from civicbridge.collaborations.choices import Model, Stage
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import actor_name, record_activity, tell_both_sides
from civicbridge.core import audit, formats
from civicbridge.core.choices import Visibility
from civicbridge.core.permissions import require
from civicbridge.partners.models import Organisation

from .. import permissions
from ..choices import MilestoneKind
from ..models import Contract, PlannedCost, Variation
from ..money import Money
from . import locked_contract, writer_side
from .milestones import (
    MILESTONE_TERMS,
    accept_milestone,
    add_milestone,
    change_milestone,
    deliver_milestone,
    record_step,
    remove_milestone,
)
from .signing import sign_contract, terms_changed, terms_digest
from .validation import (
    check_milestone_dates,
    check_payments_fit,
    checked_currency,
    invoiced_net,
    not_in_future,
    out_of_range_message,
    refuse_unless_active,
    refuse_when_signed,
    same_currency,
    within_reason,
)

__all__ = [
    "MILESTONE_TERMS",
    "accept_milestone",
    "add_milestone",
    "add_planned_cost",
    "change_milestone",
    "create_contract",
    "deliver_milestone",
    "record_step",
    "record_variation",
    "remove_milestone",
    "remove_planned_cost",
    "sign_contract",
    "terms_digest",
    "update_contract",
]


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
    refuse_when_signed(stored)
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
    check_milestone_dates(stored)
    check_payments_fit(stored, stored.value)
    stored.save()
    audit.log_updated(actor, stored, before)
    labels = {
        name: str(getattr(Contract._meta.get_field(name), "verbose_name", name)) for name in changes
    }
    terms_changed(actor, stored, _("changed the %(what)s") % {"what": ", ".join(labels.values())})
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
                    % {"invoiced": formats.money(invoiced, stored.currency)}
                }
            )
        check_payments_fit(stored, value)
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
                % {"milestone": late, "due": formats.day(late.due_on)}
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
        "old_value": formats.money(variation.old_value, stored.currency),
        "new_value": formats.money(value, stored.currency),
        "old_end": formats.day(variation.old_end_date),
        "new_end": formats.day(end),
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
            "amount": formats.money(amount, currency),
            "due": formats.day(due_on),
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
