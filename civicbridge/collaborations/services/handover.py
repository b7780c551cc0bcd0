"""The handover plan (F3): successor officials, handover tasks, and the follow-ups after closing.

Both sides keep the plan. Once the collaboration is closed the plan is the record of what
was handed over, so it no longer changes. The follow-ups are answered by the institution
through a secret link, without an account.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import audit, formats
from civicbridge.core.choices import Visibility
from civicbridge.core.services import update_record
from civicbridge.partners.models import Person

from ..choices import Stage, StillRunning, TrainingStatus
from ..models import Collaboration, FollowUp, HandoverTask, Successor
from ..models.health import health_changed
from ..tabs import tab_url
from . import actor_name, is_current_member, record_activity, require_side, tell_both_sides


def _require_not_closed(collaboration: Collaboration) -> None:
    """Refuse a change to the plan of a closed collaboration."""
    if collaboration.stage == Stage.CLOSED:
        raise ValidationError(
            _("The collaboration is closed: its handover plan is kept as it was handed over.")
        )


@transaction.atomic
def add_successor(
    actor,
    collaboration: Collaboration,
    *,
    person: Person,
    takes_over: str = "",
    training_status: str = TrainingStatus.NOT_STARTED,
) -> Successor:
    """Name an official of the institution who will carry the work on."""
    side = require_side(actor, collaboration)
    _require_not_closed(collaboration)
    if not is_current_member(person, [collaboration.institution_id]):
        raise ValidationError(
            {
                "person": _("%(name)s is not an official of %(institution)s now.")
                % {"name": person.name, "institution": collaboration.institution.name}
            }
        )
    if collaboration.successors.filter(person=person).exists():
        raise ValidationError({"person": _("%(name)s is a successor already.") % {"name": person}})
    successor = Successor(
        collaboration=collaboration,
        person=person,
        takes_over=takes_over,
        training_status=training_status,
    )
    successor.full_clean()
    successor.save()
    audit.log_created(actor, successor)
    record_activity(
        actor,
        collaboration,
        _("%(name)s named %(successor)s as a successor official.")
        % {"name": actor_name(actor), "successor": person.name},
        side=side,
        url=tab_url(collaboration, "handover"),
    )
    return successor


@transaction.atomic
def update_successor(actor, successor: Successor, **fields) -> Successor:
    """Change what a successor takes over, or how far their training has come."""
    collaboration = successor.collaboration
    side = require_side(actor, collaboration)
    _require_not_closed(collaboration)
    fields.pop("person", None)  # a different person is a different successor
    before = Successor.objects.get(pk=successor.pk).training_status
    update_record(actor, successor, **fields)
    if successor.training_status != before:
        record_activity(
            actor,
            collaboration,
            _("%(name)s set the training of %(successor)s to “%(status)s”.")
            % {
                "name": actor_name(actor),
                "successor": successor.person.name,
                "status": successor.get_training_status_display(),
            },
            side=side,
            url=tab_url(collaboration, "handover"),
        )
    return successor


@transaction.atomic
def remove_successor(actor, successor: Successor) -> None:
    """Take a successor off the plan."""
    collaboration = successor.collaboration
    side = require_side(actor, collaboration)
    _require_not_closed(collaboration)
    pk = successor.pk
    successor.delete()
    audit.log_deleted(actor, successor, pk)
    record_activity(
        actor,
        collaboration,
        _("%(name)s removed %(successor)s from the successor officials.")
        % {"name": actor_name(actor), "successor": successor.person.name},
        side=side,
        url=tab_url(collaboration, "handover"),
    )


@transaction.atomic
def add_task(
    actor,
    collaboration: Collaboration,
    *,
    title: str,
    owner: Person | None = None,
    due_date: date | None = None,
) -> HandoverTask:
    """Add a task to the handover plan; its owner is a person of either side."""
    side = require_side(actor, collaboration)
    _require_not_closed(collaboration)
    if owner is not None and not is_current_member(owner, collaboration.party_ids):
        raise ValidationError(
            {
                "owner": _("%(name)s is not a member of %(civic)s or %(institution)s now.")
                % {
                    "name": owner.name,
                    "civic": collaboration.civic_organisation.name,
                    "institution": collaboration.institution.name,
                }
            }
        )
    task = HandoverTask(collaboration=collaboration, title=title, owner=owner, due_date=due_date)
    task.full_clean()
    task.save()
    audit.log_created(actor, task)
    record_activity(
        actor,
        collaboration,
        _("%(name)s added the handover task “%(task)s”.")
        % {"name": actor_name(actor), "task": title},
        side=side,
        url=tab_url(collaboration, "handover"),
    )
    return task


def _set_done(actor, task: HandoverTask, done_on: date | None, message: str) -> HandoverTask:
    """Mark `task` done on `done_on`, or open (None); `message` goes to the feed."""
    collaboration = task.collaboration
    side = require_side(actor, collaboration)
    _require_not_closed(collaboration)
    if (task.done_on is None) == (done_on is None):
        return task  # done twice, or reopened twice: nothing changes
    before = audit.snapshot(task)
    task.done_on = done_on
    task.save(update_fields=["done_on", "updated_at"])
    audit.log_updated(actor, task, before)
    record_activity(
        actor,
        collaboration,
        message % {"name": actor_name(actor), "task": task.title},
        side=side,
        url=tab_url(collaboration, "handover"),
    )
    return task


@transaction.atomic
def complete_task(actor, task: HandoverTask) -> HandoverTask:
    """Mark a handover task done today; a task done already stays as it was."""
    return _set_done(
        actor, task, timezone.localdate(), _("%(name)s marked the handover task “%(task)s” done.")
    )


@transaction.atomic
def reopen_task(actor, task: HandoverTask) -> HandoverTask:
    """Open a task marked done again; an open task stays as it was."""
    return _set_done(actor, task, None, _("%(name)s reopened the handover task “%(task)s”."))


@transaction.atomic
def answer_follow_up(
    token: str, *, answer: str, evidence: str = "", answered_by: str
) -> FollowUp | None:
    """Record the institution's answer to a follow-up, once.

    Returns None, and changes nothing, when the follow-up was answered already (also by a
    submission a moment earlier: the row is claimed with a conditional update).
    Raises FollowUp.DoesNotExist for an unknown token, ValidationError before the due date.
    """
    follow_up = FollowUp.objects.select_related(
        "collaboration__civic_organisation", "collaboration__institution"
    ).get(token=token)
    if timezone.localdate() < follow_up.due_on:
        raise ValidationError(
            _("This follow-up opens on %(date)s.") % {"date": formats.day(follow_up.due_on)}
        )
    if follow_up.answered_at is not None:
        return None
    before = audit.snapshot(follow_up)
    follow_up.answer = answer
    follow_up.evidence = evidence.strip()
    follow_up.answered_by = answered_by.strip()
    follow_up.answered_at = timezone.now()
    follow_up.full_clean(validate_unique=False, validate_constraints=False)
    if not follow_up.answered_by:
        raise ValidationError({"answered_by": _("Say who answers, so both sides know.")})
    claimed = FollowUp.objects.filter(pk=follow_up.pk, answered_at__isnull=True).update(
        answer=follow_up.answer,
        evidence=follow_up.evidence,
        answered_by=follow_up.answered_by,
        answered_at=follow_up.answered_at,
        updated_at=follow_up.answered_at,
    )
    if not claimed:
        return None
    health_changed([follow_up.collaboration_id])
    collaboration = follow_up.collaboration
    audit.log_updated(None, follow_up, before)
    summary = _("%(name)s answered the %(months)d-month follow-up: “%(answer)s”.") % {
        "name": follow_up.answered_by,
        "months": follow_up.months_after,
        "answer": StillRunning(follow_up.answer).label,
    }
    record_activity(
        None,
        collaboration,
        summary,
        side=collaboration.institution_id,
        visibility=Visibility.BOTH_SIDES,
        url=tab_url(collaboration, "handover"),
    )
    tell_both_sides(
        collaboration,
        _("Follow-up answered: %(title)s") % {"title": collaboration.title},
        "\n\n".join(part for part in (summary, follow_up.evidence) if part),
    )
    return follow_up
