"""Both sides' signatures on a contract, through the signing component every document
shares: a row per signature, voided by any change of the draft, and the password checked
once, before the contract is locked.

A side signs the terms as it read them (their fingerprint), and nobody signs while the
supplier has an undisclosed conflict of interest with the buyer. Once both sides have
signed, the contract is in force.
"""

import hashlib
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.collaborations import signing
from civicbridge.collaborations.services import actor_name, record_activity, tell_both_sides
from civicbridge.core import audit
from civicbridge.core.permissions import require

from .. import permissions
from ..choices import ContractStatus
from ..models import Contract, ContractSignature, Milestone
from . import locked_contract, writer_side
from .conflicts import undisclosed_conflict
from .validation import refuse_when_signed


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


def terms_changed(actor, contract: Contract, change: str) -> None:
    """After a change of terms: say so, void the signatures standing, and tell both sides."""
    side = writer_side(actor, contract)
    record_activity(
        actor,
        contract.collaboration,
        _("%(name)s changed the contract “%(title)s”: %(change)s.")
        % {"name": actor_name(actor), "title": contract, "change": change},
        side=side,
    )
    reason = _("The contract changed: %(change)s.") % {"change": change}
    voided = {s.party_id for s in signing.void_standing(actor, contract.signatures.all(), reason)}
    if not voided:
        return
    signed = [party.name for party in (contract.supplier, contract.buyer) if party.pk in voided]
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


@transaction.atomic
def sign_contract(
    actor, contract: Contract, *, terms: str, password: str | signing.ConfirmedPassword
) -> Contract:
    """Sign the contract for the actor's side, as it stood when they read it.

    Refused while the supplier has a conflict of interest with the buyer that it has not
    disclosed. Once both sides have signed, the contract is active.
    """
    require(permissions.can_sign_contract(actor, contract))
    side = permissions.signing_side(actor, contract)
    assert side is not None  # can_sign_contract made sure
    signing.require_password(actor, password)
    stored = locked_contract(contract)
    refuse_when_signed(stored)
    signing.refuse_stale(
        terms,
        terms_digest(stored),
        _("The contract changed while you were reading it. Read it again before you sign."),
    )
    side_name = (stored.supplier if side == stored.supplier_id else stored.buyer).name
    signing.refuse_second_signature(
        stored.signatures.all(),
        side,
        _("%(side)s signed this contract already.") % {"side": side_name},
    )
    conflict = undisclosed_conflict(stored.supplier, stored.buyer)
    if conflict:
        raise ValidationError(conflict)
    signing.add_signature(actor, ContractSignature(contract=stored, party_id=side, terms=terms))
    record_activity(
        actor,
        stored.collaboration,
        _("%(name)s signed the contract “%(title)s” for %(side)s.")
        % {"name": actor_name(actor), "title": stored, "side": side_name},
        side=side,
    )
    if Contract.objects.filter(pk=stored.pk).fully_signed().exists():
        before = audit.snapshot(stored)
        stored.status = ContractStatus.ACTIVE
        stored.save(update_fields=["status", "updated_at"])
        audit.log_updated(actor, stored, before)
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


def follow_party_change(actor, collaboration, change) -> None:
    """A party of the collaboration was replaced: its contracts name the successor in the
    replaced party's place, and every signature standing on them is void."""
    reason = _("%(successor)s replaced %(replaced)s as a party: %(reason)s") % {
        "successor": change.successor.name,
        "replaced": change.replaced.name,
        "reason": change.reason,
    }
    for contract in Contract.objects.select_for_update().filter(collaboration=collaboration):
        before = audit.snapshot(contract)
        for role in ("supplier", "buyer"):
            if getattr(contract, f"{role}_id") == change.replaced_id:
                setattr(contract, role, change.successor)
        contract.save(update_fields=["supplier", "buyer", "updated_at"])
        audit.log_updated(actor, contract, before)
        signing.void_standing(actor, contract.signatures.all(), reason)
