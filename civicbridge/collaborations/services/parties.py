"""Replacing a party of a collaboration: proposed by one side, approved by both sides' admins.

The parties are fixed once a collaboration is proposed (`update_collaboration` refuses a
change). When a party must change — a department merger, a successor organisation — an
admin of either side proposes it, an admin of each side approves it, and only then is the
party replaced: every standing signature is voided with the reason, because the
organisation that signed is no longer a party. A closed collaboration keeps its parties.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import audit
from civicbridge.core.permissions import require
from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.partners.permissions import acting_organisation_ids

from .. import permissions, signing
from ..choices import PartyChangeStatus, PartySide, Stage
from ..models import Collaboration, PartyChange, Signature
from . import actor_name, record_activity, require_side, tell_both_sides
from .checkins import refresh_owed_checkins

# What a room does when a party is replaced, inside the same transaction (procurement
# moves its contracts to the successor and voids their signatures).
_on_party_change: list[Callable[[Any, Collaboration, PartyChange], None]] = []


def on_party_change(callback: Callable[[Any, Collaboration, PartyChange], None]) -> None:
    """Call `callback(actor, collaboration, change)` as a party is replaced."""
    if callback not in _on_party_change:
        _on_party_change.append(callback)


def _refuse_when_closed(collaboration: Collaboration) -> None:
    if collaboration.stage == Stage.CLOSED:
        raise ValidationError(_("The collaboration is closed: its parties stay as they were."))


def _validate_successor(collaboration: Collaboration, side: str, successor) -> None:
    replaced_id = getattr(collaboration, f"{side}_id")
    other_id = (set(collaboration.party_ids) - {replaced_id}).pop()
    if successor.pk == replaced_id:
        raise ValidationError({"successor": _("The successor must be another organisation.")})
    if successor.pk == other_id:
        raise ValidationError(
            {"successor": _("The successor cannot be the other party: a collaboration has two.")}
        )
    government = successor.kind == OrganisationKind.GOVERNMENT
    if side == PartySide.INSTITUTION and not government:
        raise ValidationError({"successor": _("The institution must be a government body.")})
    if side == PartySide.CIVIC_ORGANISATION and government:
        raise ValidationError(
            {"successor": _("The civic organisation cannot be a government body.")}
        )


def _admin_sides(actor, collaboration: Collaboration) -> list[str]:
    """The sides (PartySide values) for which `actor` is an admin."""
    admin_of = acting_organisation_ids(actor, Access.ADMIN)
    return [
        side
        for side, party_id in zip(PartySide.values, collaboration.party_ids, strict=True)
        if party_id in admin_of
    ]


def _approve(change: PartyChange, side: str, actor, now) -> None:
    prefix = "civic" if side == PartySide.CIVIC_ORGANISATION else "institution"
    setattr(change, f"{prefix}_approved_by", actor)
    setattr(change, f"{prefix}_approved_at", now)


@transaction.atomic
def propose_party_change(
    actor, collaboration: Collaboration, *, side: str, successor, reason: str
) -> PartyChange:
    """Propose that `successor` replaces the party on `side`; it counts as the approval of
    the proposer's side. An admin of the other side must approve it too."""
    require(permissions.can_sign(actor, collaboration))
    locked = Collaboration.objects.select_for_update().get(pk=collaboration.pk)
    _refuse_when_closed(locked)
    if side not in PartySide.values:
        raise ValidationError({"side": _("Say which side is replaced.")})
    _validate_successor(locked, side, successor)
    if PartyChange.objects.open().filter(collaboration=locked).exists():
        raise ValidationError(
            _("A change of party is already waiting for approval: decide it first.")
        )
    change = PartyChange(
        collaboration=collaboration,
        side=side,
        replaced_id=getattr(locked, f"{side}_id"),
        successor=successor,
        reason=reason,
        proposed_by=actor,
    )
    _approve(change, _admin_sides(actor, locked)[0], actor, timezone.now())
    change.full_clean()
    change.save()
    audit.log_created(actor, change)
    message = _(
        "%(name)s proposed that %(successor)s replaces %(replaced)s as a party: %(reason)s"
    ) % {
        "name": actor_name(actor),
        "successor": successor.name,
        "replaced": change.replaced.name,
        "reason": reason,
    }
    record_activity(actor, collaboration, message, side=require_side(actor, collaboration))
    tell_both_sides(
        collaboration,
        _("A change of party of “%(title)s” waits for your approval")
        % {"title": collaboration.title},
        message,
    )
    return change


def _locked_open(change: PartyChange) -> PartyChange:
    locked = PartyChange.objects.select_for_update().select_related("replaced", "successor")
    stored = locked.get(pk=change.pk)
    if stored.status != PartyChangeStatus.OPEN:
        raise ValidationError(
            _("This change of party was decided already: %(status)s.")
            % {"status": stored.get_status_display()}
        )
    return stored


@transaction.atomic
def approve_party_change(actor, change: PartyChange) -> PartyChange:
    """Approve for the actor's side; once both sides approved, replace the party.

    One person approves for one side only: someone who is an admin of both sides cannot
    approve a change alone.
    """
    collaboration = Collaboration.objects.select_for_update().get(pk=change.collaboration_id)
    stored = _locked_open(change)
    _refuse_when_closed(collaboration)
    if actor.pk in (stored.civic_approved_by_id, stored.institution_approved_by_id):
        raise ValidationError(
            _("You approved this change already: an admin of the other side approves it.")
        )
    pending = [side for side in _admin_sides(actor, collaboration) if not _approved(stored, side)]
    if not pending:
        raise PermissionDenied(
            _("Only an admin of a side that has not approved yet can approve this change.")
        )
    before = audit.snapshot(stored)
    now = timezone.now()
    _approve(stored, pending[0], actor, now)
    both = _approved(stored, PartySide.CIVIC_ORGANISATION) and _approved(
        stored, PartySide.INSTITUTION
    )
    if both:
        stored.status, stored.decided_at = PartyChangeStatus.APPROVED, now
    stored.save()
    audit.log_updated(actor, stored, before)
    side_id = getattr(collaboration, f"{pending[0]}_id")
    if both:
        _replace_party(actor, collaboration, stored, side_id)
    else:
        record_activity(
            actor,
            collaboration,
            _("%(name)s approved that %(successor)s replaces %(replaced)s.")
            % {
                "name": actor_name(actor),
                "successor": stored.successor.name,
                "replaced": stored.replaced.name,
            },
            side=side_id,
        )
    return stored


def _approved(change: PartyChange, side: str) -> bool:
    if side == PartySide.CIVIC_ORGANISATION:
        return change.civic_approved_at is not None
    return change.institution_approved_at is not None


def _replace_party(actor, collaboration: Collaboration, change: PartyChange, side_id: int) -> None:
    """Put the successor in the replaced party's place and void every standing signature."""
    before = audit.snapshot(collaboration)
    setattr(collaboration, change.side, change.successor)
    collaboration.save(update_fields=[change.side, "updated_at"])
    if change.side == PartySide.INSTITUTION:
        # The departments were the old institution's offices.
        collaboration.departments.clear()
    refresh_owed_checkins(collaboration)  # the successor owes what the replaced side owed
    audit.log_updated(actor, collaboration, before)
    reason = _("%(successor)s replaced %(replaced)s as a party: %(reason)s") % {
        "successor": change.successor.name,
        "replaced": change.replaced.name,
        "reason": change.reason,
    }
    signing.void_standing(
        actor, Signature.objects.filter(agreement__collaboration=collaboration), reason
    )
    for callback in _on_party_change:
        callback(actor, collaboration, change)
    message = _(
        "%(name)s approved the change of party: %(reason)s. Every signature given before is "
        "void: both sides sign again."
    ) % {"name": actor_name(actor), "reason": reason}
    record_activity(actor, collaboration, message, side=side_id)
    tell_both_sides(
        collaboration,
        _("%(successor)s is now a party of “%(title)s”")
        % {"successor": change.successor.name, "title": collaboration.title},
        message,
    )


@transaction.atomic
def withdraw_party_change(actor, change: PartyChange) -> PartyChange:
    """Withdraw (or, for the other side, decline) a change of party still open."""
    collaboration = change.collaboration
    side_id = require_side(actor, collaboration, Access.ADMIN)
    stored = _locked_open(change)
    before = audit.snapshot(stored)
    stored.status, stored.decided_at = PartyChangeStatus.WITHDRAWN, timezone.now()
    stored.save(update_fields=["status", "decided_at", "updated_at"])
    audit.log_updated(actor, stored, before)
    record_activity(
        actor,
        collaboration,
        _("%(name)s withdrew the proposal that %(successor)s replaces %(replaced)s.")
        % {
            "name": actor_name(actor),
            "successor": stored.successor.name,
            "replaced": stored.replaced.name,
        },
        side=side_id,
    )
    return stored
