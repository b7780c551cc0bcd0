"""The MOU (F6): its terms, each side's obligations, versions and both sides' signatures.

A change of terms (purpose, terms text, an obligation's side, description, owner or due
date) makes a new version and voids every signature still standing, telling both sides.
Changing an obligation's status is tracking the work, not a change of terms: it voids
nothing. Changes stay allowed at every stage, because an MOU can be amended; the price is
that both sides sign again.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import audit
from civicbridge.partners.choices import Access
from civicbridge.partners.models import Organisation, Person

from .. import signing
from ..choices import ObligationStatus, Stage
from ..models import Agreement, AgreementVersion, Collaboration, Obligation, Signature
from . import (
    actor_name,
    is_current_member,
    party_name,
    record_activity,
    require_side,
    tell_both_sides,
)


def _locked_agreement(collaboration: Collaboration) -> Agreement | None:
    """The collaboration's agreement, locked against a concurrent change or signature.

    A closed collaboration's MOU is kept as it stood: nobody changes or signs it any more.
    """
    if collaboration.stage == Stage.CLOSED:
        raise ValidationError(_("The collaboration is closed: its MOU is kept as it stood."))
    return Agreement.objects.select_for_update().filter(collaboration=collaboration).first()


def _agreement_to_write(actor, collaboration: Collaboration) -> Agreement:
    """The agreement, created at version 0 the first time anyone writes it.

    The write that creates it makes version 1 at once, so no page shows a version 0.
    """
    agreement = _locked_agreement(collaboration)
    if agreement is None:
        agreement = Agreement.objects.create(collaboration=collaboration, version=0)
        audit.log_created(actor, agreement)
    return agreement


def content_of(agreement: Agreement) -> dict:
    """What a version freezes: the terms and each obligation's terms, with the names the
    page shows (a past version keeps the names it was signed with)."""
    obligations = sorted(
        agreement.obligations.select_related("party", "owner"),
        key=lambda o: (
            o.party_id != agreement.collaboration.civic_organisation_id,
            o.due_date or date.max,
            o.pk,
        ),
    )
    return {
        "purpose": agreement.purpose,
        "terms": agreement.terms,
        "obligations": [
            {
                "id": obligation.pk,
                **obligation.terms(),
                "party_name": obligation.party.name,
                "owner_name": obligation.owner.name if obligation.owner else "",
            }
            for obligation in obligations
        ],
    }


def _new_version(actor, agreement: Agreement, side: int, change: str) -> AgreementVersion:
    """Freeze the agreement as a new version and void the signatures of the old one."""
    collaboration = agreement.collaboration
    before = audit.snapshot(Agreement.objects.get(pk=agreement.pk))
    agreement.version += 1
    agreement.save(update_fields=["version", "purpose", "terms", "updated_at"])
    audit.log_updated(actor, agreement, before)
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=agreement.version,
        content=content_of(agreement),
        made_by=actor,
        change=change[:300],
    )
    record_activity(
        actor,
        collaboration,
        _("%(name)s changed the MOU (now version %(version)d): %(change)s.")
        % {"name": actor_name(actor), "version": agreement.version, "change": change},
        side=side,
    )
    _void_signatures(actor, agreement, side, change)
    return version


def _void_signatures(actor, agreement: Agreement, side: int, change: str) -> None:
    """Void the signatures still standing after `change`, and tell both sides to sign again."""
    reason = _("Version %(version)d changed the MOU: %(change)s.") % {
        "version": agreement.version,
        "change": change,
    }
    standing = signing.void_standing(actor, agreement.signatures.all(), reason)
    if not standing:
        return
    collaboration = agreement.collaboration
    signed = _(" and ").join(sorted({signature.party.name for signature in standing}))
    message = _(
        "The signatures of %(sides)s on version %(old)d of the MOU are void, because "
        "%(name)s changed it (%(change)s). Both sides must read version %(new)d and sign again."
    ) % {
        "sides": signed,
        "old": agreement.version - 1,
        "name": actor_name(actor),
        "change": change,
        "new": agreement.version,
    }
    record_activity(actor, collaboration, message, side=side)
    tell_both_sides(
        collaboration,
        _("The MOU of “%(title)s” changed: sign it again") % {"title": collaboration.title},
        message,
    )


def _validate_obligation(collaboration: Collaboration, obligation: Obligation) -> None:
    """Each obligation is one party's, with an owner of that party and a due date."""
    errors: dict[str, str] = {}
    parties = collaboration.party_ids
    if obligation.party_id not in parties:
        errors["party"] = _("An obligation belongs to %(sides)s.") % {
            "sides": _(" or ").join(party_name(collaboration, party) for party in parties)
        }
    if obligation.owner is None:
        errors["owner"] = _("Name the person who answers for this obligation.")
    elif obligation.party_id in parties and not is_current_member(
        obligation.owner, [obligation.party_id]
    ):
        errors["owner"] = _("%(person)s is not a current member of %(side)s.") % {
            "person": obligation.owner,
            "side": party_name(collaboration, obligation.party_id),
        }
    if obligation.due_date is None:
        errors["due_date"] = _("Give the date this obligation is due.")
    if errors:
        raise ValidationError(errors)
    obligation.full_clean(exclude=["agreement"])


@transaction.atomic
def update_terms(actor, collaboration: Collaboration, *, purpose: str, terms: str) -> Agreement:
    """Change the purpose and terms; a new version only when something changed."""
    side = require_side(actor, collaboration)
    purpose, terms = purpose.strip(), terms.strip()
    agreement = _locked_agreement(collaboration)
    if agreement is not None and (agreement.purpose, agreement.terms) == (purpose, terms):
        return agreement
    if agreement is None and not (purpose or terms):
        raise ValidationError(_("Write the purpose or the terms of the MOU."))
    agreement = agreement or _agreement_to_write(actor, collaboration)
    changed = [
        label
        for label, old, new in (
            (_("the purpose"), agreement.purpose, purpose),
            (_("the terms"), agreement.terms, terms),
        )
        if old != new
    ]
    agreement.purpose, agreement.terms = purpose, terms
    agreement.full_clean()
    _new_version(
        actor,
        agreement,
        side,
        _("changed %(what)s") % {"what": _(" and ").join(changed)},
    )
    return agreement


@transaction.atomic
def add_obligation(
    actor,
    collaboration: Collaboration,
    *,
    party: Organisation,
    description: str,
    owner: Person | None,
    due_date: date | None,
) -> Obligation:
    """Add one side's obligation to the MOU: a change of terms."""
    side = require_side(actor, collaboration)
    obligation = Obligation(
        party=party, description=description.strip(), owner=owner, due_date=due_date
    )
    _validate_obligation(collaboration, obligation)
    agreement = _agreement_to_write(actor, collaboration)
    obligation.agreement = agreement
    obligation.save()
    audit.log_created(actor, obligation)
    _new_version(
        actor,
        agreement,
        side,
        _("added an obligation of %(side)s: “%(obligation)s”")
        % {"side": party.name, "obligation": obligation},
    )
    return obligation


@transaction.atomic
def change_obligation(
    actor,
    obligation: Obligation,
    *,
    party: Organisation,
    description: str,
    owner: Person | None,
    due_date: date | None,
) -> Obligation:
    """Change an obligation's terms; a new version only when a term changed."""
    collaboration = obligation.agreement.collaboration
    side = require_side(actor, collaboration)
    agreement = _locked_agreement(collaboration)
    assert agreement is not None  # the obligation belongs to it
    stored = Obligation.objects.get(pk=obligation.pk)
    before, terms_before = audit.snapshot(stored), stored.terms()
    obligation.party, obligation.description = party, description.strip()
    obligation.owner, obligation.due_date = owner, due_date
    if obligation.terms() == terms_before:
        return obligation
    _validate_obligation(collaboration, obligation)
    obligation.save()
    audit.log_updated(actor, obligation, before)
    labels = {
        "party": _("side"),
        "description": _("wording"),
        "owner": _("owner"),
        "due_date": _("due date"),
    }
    what = [labels[key] for key, value in obligation.terms().items() if terms_before[key] != value]
    _new_version(
        actor,
        agreement,
        side,
        _("changed the %(what)s of the obligation “%(obligation)s”")
        % {"what": _(", ").join(what), "obligation": obligation},
    )
    return obligation


@transaction.atomic
def remove_obligation(actor, obligation: Obligation) -> None:
    """Take an obligation out of the MOU: a change of terms."""
    collaboration = obligation.agreement.collaboration
    side = require_side(actor, collaboration)
    agreement = _locked_agreement(collaboration)
    assert agreement is not None  # the obligation belongs to it
    pk = obligation.pk
    obligation.delete()
    audit.log_deleted(actor, obligation, pk)
    _new_version(
        actor,
        agreement,
        side,
        _("removed the obligation “%(obligation)s”") % {"obligation": obligation},
    )


@transaction.atomic
def set_obligation_status(actor, obligation: Obligation, *, status: str) -> Obligation:
    """Track an obligation to done: not a change of terms, so no signature is voided."""
    collaboration = obligation.agreement.collaboration
    side = require_side(actor, collaboration)
    stored = Obligation.objects.select_for_update().get(pk=obligation.pk)
    if stored.status == status:
        return stored
    before = audit.snapshot(stored)
    stored.status = status
    stored.done_on = timezone.localdate() if status == ObligationStatus.DONE else None
    stored.full_clean()
    stored.save(update_fields=["status", "done_on", "updated_at"])
    audit.log_updated(actor, stored, before)
    record_activity(
        actor,
        collaboration,
        _("%(name)s marked the obligation “%(obligation)s” as “%(status)s”.")
        % {"name": actor_name(actor), "obligation": stored, "status": stored.get_status_display()},
        side=side,
    )
    return stored


@transaction.atomic
def sign_agreement(
    actor,
    collaboration: Collaboration,
    *,
    version: int,
    password: str | signing.ConfirmedPassword,
) -> Signature:
    """Sign the MOU's current version for the actor's side, after re-entering a password.

    Only an admin of a party signs for it; each side signs each version once.
    """
    side = require_side(actor, collaboration, Access.ADMIN)
    signing.require_password(actor, password)
    agreement = _locked_agreement(collaboration)
    if agreement is None or not agreement.obligations.exists():
        raise ValidationError(
            _("There is nothing to sign yet: list each side's obligations in the MOU first.")
        )
    signing.refuse_stale(
        version,
        agreement.version,
        _(
            "The MOU changed while you were reading it: it is now version %(version)d. "
            "Read the new version before you sign."
        )
        % {"version": agreement.version},
    )
    side_name = party_name(collaboration, side)
    signing.refuse_second_signature(
        agreement.signatures.all(),
        side,
        _("%(side)s signed version %(version)d already.") % {"side": side_name, "version": version},
    )
    signature = signing.add_signature(
        actor, Signature(agreement=agreement, version=version, party_id=side)
    )
    record_activity(
        actor,
        collaboration,
        _("%(name)s signed version %(version)d of the MOU for %(side)s.")
        % {"name": actor_name(actor), "version": version, "side": side_name},
        side=side,
    )
    if Agreement.objects.filter(pk=agreement.pk).fully_signed().exists():
        message = _("Both sides signed version %(version)d of the MOU.") % {"version": version}
        record_activity(actor, collaboration, message, side=side)
        tell_both_sides(
            collaboration,
            _("The MOU of “%(title)s” is signed") % {"title": collaboration.title},
            message,
        )
    return signature
