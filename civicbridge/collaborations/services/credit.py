"""Credit statements (F8) and the reforms ledger (G5).

A credit statement is public only when both sides approve it. Either side drafts and
edits it; drafting approves nothing. Each side's approval is given by an admin of that
side, as a signature is: it speaks for the organisation in public. Any change to the
text or the contribution withdraws both approvals.

A reform moves forward only: asked → agreed → achieved, or is dropped before it is
achieved. Reaching a stage dates it today; a reform achieved straight from “asked” was
agreed the same day, so both dates are filled. Achieved and dropped are final.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import audit
from civicbridge.core.choices import Visibility
from civicbridge.core.permissions import require
from civicbridge.core.services import Stale, update_record
from civicbridge.partners.choices import Access
from civicbridge.partners.models import Person

from .. import permissions
from ..choices import ReformStatus
from ..models import Collaboration, CreditStatement, Reform
from ..tabs import tab_url
from . import (
    actor_name,
    is_current_member,
    party_name,
    record_activity,
    require_side,
    tell_both_sides,
)


def approval_fields(collaboration: Collaboration, side: int) -> tuple[str, str]:
    """The fields that hold who approved for `side`, and when."""
    if side == collaboration.civic_organisation_id:
        return "civic_approved_by", "civic_approved_at"
    return "institution_approved_by", "institution_approved_at"


@transaction.atomic
def draft_credit(
    actor, collaboration: Collaboration, *, text: str, government_contribution: str
) -> CreditStatement:
    """Draft a credit statement for the actor's side; nobody has approved it yet."""
    side = require_side(actor, collaboration)
    credit = CreditStatement(
        collaboration=collaboration,
        text=text,
        government_contribution=government_contribution,
        drafted_by_id=side,
    )
    credit.full_clean()
    credit.save()
    audit.log_created(actor, credit)
    record_activity(
        actor,
        collaboration,
        _("%(name)s drafted a credit statement: both sides must approve it before it is public.")
        % {"name": actor_name(actor)},
        side=side,
        url=tab_url(collaboration, "credit"),
    )
    return credit


@transaction.atomic
def edit_credit(
    actor, credit: CreditStatement, *, text: str, government_contribution: str
) -> CreditStatement:
    """Change a statement; a change withdraws both sides' approvals."""
    collaboration = credit.collaboration
    side = require_side(actor, collaboration)
    current = CreditStatement.objects.select_for_update().get(pk=credit.pk)
    if (current.text, current.government_contribution) == (text, government_contribution):
        return credit
    was_approved = bool(current.civic_approved_at or current.institution_approved_at)
    was_published = current.published
    update_record(
        actor,
        credit,
        text=text,
        government_contribution=government_contribution,
        civic_approved_by=None,
        civic_approved_at=None,
        institution_approved_by=None,
        institution_approved_at=None,
    )
    if was_published:
        message = _(
            "%(name)s changed a published credit statement: it is no longer public until "
            "both sides approve it again."
        )
    elif was_approved:
        message = _(
            "%(name)s changed a credit statement: the approvals given were withdrawn and "
            "both sides must approve it again."
        )
    else:
        message = _("%(name)s changed a credit statement.")
    record_activity(
        actor,
        collaboration,
        message % {"name": actor_name(actor)},
        side=side,
        url=tab_url(collaboration, "credit"),
    )
    return credit


@transaction.atomic
def approve_credit(actor, credit: CreditStatement, *, seen: str | None = None) -> CreditStatement:
    """Approve the statement for the actor's side (admins only); approving twice changes nothing.

    `seen` is the digest of the words the approver read: if they changed since, nothing is
    approved.
    """
    collaboration = credit.collaboration
    side = require_side(actor, collaboration, Access.ADMIN)
    current = CreditStatement.objects.select_for_update().get(pk=credit.pk)
    if seen is not None and seen != current.digest:
        raise Stale(
            _("The statement changed while you were reading it. Read it again, then approve.")
        )
    by, at = approval_fields(collaboration, side)
    now = timezone.now()
    before = audit.snapshot(CreditStatement.objects.get(pk=credit.pk))
    claimed = CreditStatement.objects.filter(pk=credit.pk, **{f"{at}__isnull": True}).update(
        **{by: actor, at: now, "updated_at": now}
    )
    credit.refresh_from_db()
    if not claimed:
        return credit
    audit.log_updated(actor, credit, before)
    if credit.published:
        message = _("%(name)s approved a credit statement for %(side)s: it is now public.")
        tell_both_sides(
            collaboration,
            _("Credit statement published: %(title)s") % {"title": collaboration.title},
            _("Both sides approved this credit statement:\n\n%(text)s") % {"text": credit.text},
        )
    else:
        message = _(
            "%(name)s approved a credit statement for %(side)s; it waits for the other side."
        )
    record_activity(
        actor,
        collaboration,
        message % {"name": actor_name(actor), "side": party_name(collaboration, side)},
        side=side,
        url=tab_url(collaboration, "credit"),
    )
    return credit


@transaction.atomic
def withdraw_credit_approval(actor, credit: CreditStatement) -> CreditStatement:
    """Withdraw the actor's side's approval; a published statement stops being public."""
    collaboration = credit.collaboration
    side = require_side(actor, collaboration, Access.ADMIN)
    by, at = approval_fields(collaboration, side)
    current = CreditStatement.objects.select_for_update().get(pk=credit.pk)
    if getattr(current, at) is None:
        credit.refresh_from_db()
        return credit
    was_published = current.published
    before = audit.snapshot(current)
    setattr(current, by, None)
    setattr(current, at, None)
    current.save(update_fields=[by, at, "updated_at"])
    audit.log_updated(actor, current, before)
    credit.refresh_from_db()
    message = (
        _("%(name)s withdrew their side's approval: the credit statement is no longer public.")
        if was_published
        else _("%(name)s withdrew their side's approval of a credit statement.")
    )
    record_activity(
        actor,
        collaboration,
        message % {"name": actor_name(actor)},
        side=side,
        url=tab_url(collaboration, "credit"),
    )
    return credit


def _validate_champions(collaboration: Collaboration, champions) -> None:
    """Every champion is a current official of the institution."""
    strays = [
        person.name
        for person in champions
        if not is_current_member(person, [collaboration.institution_id])
    ]
    if strays:
        raise ValidationError(
            {
                "champions": _("%(names)s is not an official of %(institution)s now.")
                % {"names": ", ".join(strays), "institution": collaboration.institution.name}
            }
        )


@transaction.atomic
def ask_reform(
    actor,
    collaboration: Collaboration,
    *,
    title: str,
    description: str = "",
    visibility: str = Visibility.BOTH_SIDES,
    champions: list[Person] | tuple = (),
) -> Reform:
    """Record a reform asked for, on the actor's side, with the officials who champion it."""
    side = require_side(actor, collaboration)
    _validate_champions(collaboration, champions)
    reform = Reform(
        collaboration=collaboration,
        owner_organisation_id=side,
        visibility=visibility,
        title=title,
        description=description,
        status=ReformStatus.ASKED,
        asked_on=timezone.localdate(),
    )
    reform.full_clean()
    reform.save()
    reform.champions.set(champions)
    audit.log_created(actor, reform)
    record_activity(
        actor,
        collaboration,
        _("%(name)s recorded the reform “%(title)s” as asked for.")
        % {"name": actor_name(actor), "title": title},
        side=side,
        visibility=visibility,
        url=tab_url(collaboration, "credit"),
    )
    return reform


# Where a reform may go from each status.
NEXT_STATUSES = {
    ReformStatus.ASKED: {ReformStatus.AGREED, ReformStatus.ACHIEVED, ReformStatus.DROPPED},
    ReformStatus.AGREED: {ReformStatus.ACHIEVED, ReformStatus.DROPPED},
    ReformStatus.ACHIEVED: set(),
    ReformStatus.DROPPED: set(),
}


def allowed_statuses(status: str) -> list[str]:
    """The statuses a reform at `status` may take, itself included, in ledger order."""
    reachable = NEXT_STATUSES[ReformStatus(status)] | {status}
    return [value for value in ReformStatus.values if value in reachable]


@transaction.atomic
def update_reform(actor, reform: Reform, *, champions=None, **fields) -> Reform:
    """Change a reform of the actor's side; its status only moves forward."""
    collaboration = reform.collaboration
    require(permissions.can_change_record(actor, reform))
    side = reform.owner_organisation_id
    # Locked, so that two edits at once cannot both move the status on from the same place.
    previous = Reform.objects.select_for_update().get(pk=reform.pk).status
    status = fields.get("status", previous)
    if status != previous and status not in NEXT_STATUSES[ReformStatus(previous)]:
        raise ValidationError(
            {
                "status": _("A reform that is “%(old)s” cannot become “%(new)s”.")
                % {"old": ReformStatus(previous).label, "new": ReformStatus(status).label}
            }
        )
    today = timezone.localdate()
    if status in (ReformStatus.AGREED, ReformStatus.ACHIEVED) and reform.agreed_on is None:
        fields["agreed_on"] = today
    if status == ReformStatus.ACHIEVED and reform.achieved_on is None:
        fields["achieved_on"] = today
    if champions is not None:
        _validate_champions(collaboration, champions)
    update_record(actor, reform, **fields)
    if champions is not None:
        reform.champions.set(champions)
    message = (
        _("%(name)s marked the reform “%(title)s” as “%(status)s”.")
        if status != previous
        else _("%(name)s changed the reform “%(title)s”.")
    )
    record_activity(
        actor,
        collaboration,
        message
        % {"name": actor_name(actor), "title": reform.title, "status": reform.get_status_display()},
        side=side,
        visibility=reform.visibility,
        url=tab_url(collaboration, "credit"),
    )
    return reform
