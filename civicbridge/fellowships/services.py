"""Every write of the fellowship room: placement, statements (F2), brief and countdown (F4)."""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.choices import Model, StakeholderRole
from civicbridge.collaborations.models import Collaboration, Stakeholder
from civicbridge.collaborations.services import (
    actor_name,
    is_current_member,
    parameter,
    playbook_model,
    record_activity,
    require_side,
)
from civicbridge.core import audit, formats
from civicbridge.core.choices import AuditAction
from civicbridge.core.permissions import require
from civicbridge.partners.models import Department, Person
from civicbridge.playbook.models import PlaybookVersion
from civicbridge.playbook.templatetags.playbook import tr

from .choices import Signatory
from .models import Placement, PreparationBrief, PreparationTask
from .permissions import can_record_statement, can_write_brief
from .queries import signatory_of

BRIEF_DAYS_DEFAULT = 30


def brief_days_before_start(collaboration) -> int:
    """How many days before the start the fellow must have the brief (from the playbook)."""
    return parameter(playbook_model(collaboration), "brief_days_before_start", BRIEF_DAYS_DEFAULT)


def _validate_placement(placement: Placement) -> None:
    """The fellow is the civic side's, the supervisor and the office the institution's, and
    the placement falls within the collaboration's dates."""
    collaboration = placement.collaboration
    errors: dict[str, str] = {}
    fellow, supervisor = placement.fellow, placement.supervisor
    if not is_current_member(fellow, [collaboration.civic_organisation_id]):
        errors["fellow"] = _("%(person)s is not a current member of %(civic)s.") % {
            "person": fellow,
            "civic": collaboration.civic_organisation.name,
        }
    if not is_current_member(supervisor, [collaboration.institution_id]):
        errors["supervisor"] = _("%(person)s is not a current member of %(institution)s.") % {
            "person": supervisor,
            "institution": collaboration.institution.name,
        }
    department = placement.host_department
    if department is not None and department.organisation_id != collaboration.institution_id:
        errors["host_department"] = _("%(department)s is not a department of %(institution)s.") % {
            "department": department.name,
            "institution": collaboration.institution.name,
        }
    start, end = placement.start_date, placement.end_date
    if start and end and end < start:
        errors["end_date"] = _("The last day must be on or after the first day.")
    if start and collaboration.start_date and start < collaboration.start_date:
        errors["start_date"] = _(
            "The fellow cannot start before the collaboration starts (%(date)s)."
        ) % {"date": formats.day(collaboration.start_date)}
    if end and collaboration.end_date and end > collaboration.end_date:
        errors["end_date"] = _(
            "The fellow cannot stay after the collaboration ends (%(date)s)."
        ) % {"date": formats.day(collaboration.end_date)}
    if start and collaboration.end_date and start > collaboration.end_date:
        errors["start_date"] = _(
            "The fellow cannot start after the collaboration ends (%(date)s)."
        ) % {"date": formats.day(collaboration.end_date)}
    if errors:
        raise ValidationError(errors)


def _seed_tasks(actor, placement: Placement) -> None:
    """The countdown checklist starts from the playbook's preparation tasks."""
    playbook = PlaybookVersion.objects.current_playbook()
    language = playbook.language if playbook else "en"
    seeds = parameter(playbook_model(placement.collaboration), "preparation_tasks", [])
    tasks = PreparationTask.objects.bulk_create(
        PreparationTask(
            placement=placement,
            title=tr(seed["title"], language)[:300],
            days_before_start=seed["days_before_start"],
        )
        for seed in seeds
    )
    audit.log_many(actor, [(task, AuditAction.CREATE, None) for task in tasks])


def _add_stakeholders(actor, placement: Placement) -> None:
    """Put the fellow and the supervisor on the stakeholder map (F7), once."""
    collaboration = placement.collaboration
    wanted = (
        (placement.fellow, StakeholderRole.FELLOW, collaboration.civic_organisation_id, None),
        (
            placement.supervisor,
            StakeholderRole.SUPERVISOR,
            collaboration.institution_id,
            placement.host_department,
        ),
    )
    for person, role, side, department in wanted:
        stakeholder, created = Stakeholder.objects.get_or_create(
            collaboration=collaboration,
            person=person,
            role=role,
            defaults={"organisation_id": side, "department": department},
        )
        if created:
            audit.log_created(actor, stakeholder)


@transaction.atomic
def create_or_update_placement(
    actor,
    collaboration: Collaboration,
    *,
    fellow: Person,
    supervisor: Person,
    host_department: Department | None,
    start_date: date,
    end_date: date,
) -> Placement:
    """Name the fellow, the supervisor, the host department and the dates.

    The first time, the countdown is seeded from the playbook. A statement belongs to its
    person: naming another fellow or supervisor clears theirs.
    """
    side = require_side(actor, collaboration)
    if collaboration.model != Model.FELLOWSHIP:
        raise ValidationError(_("Only a fellowship has a placement."))
    placement = Placement.objects.filter(collaboration=collaboration).first()
    before = audit.snapshot(placement) if placement else None
    if placement is None:
        placement = Placement(collaboration=collaboration)
    else:
        placement.collaboration = collaboration
        if placement.fellow_id != fellow.pk:
            placement.fellow_statement = ""
            placement.fellow_statement_by = placement.fellow_statement_at = None
        if placement.supervisor_id != supervisor.pk:
            placement.supervisor_statement = ""
            placement.supervisor_statement_by = placement.supervisor_statement_at = None
    placement.fellow = fellow
    placement.supervisor = supervisor
    placement.host_department = host_department
    placement.start_date = start_date
    placement.end_date = end_date
    _validate_placement(placement)
    placement.full_clean(exclude=["collaboration"])
    placement.save()
    if before is None:
        audit.log_created(actor, placement)
        _seed_tasks(actor, placement)
        message = _("%(name)s recorded the placement of %(fellow)s with %(supervisor)s.")
    else:
        audit.log_updated(actor, placement, before)
        message = _("%(name)s changed the placement of %(fellow)s with %(supervisor)s.")
    _add_stakeholders(actor, placement)
    record_activity(
        actor,
        collaboration,
        message % {"name": actor_name(actor), "fellow": fellow, "supervisor": supervisor},
        side=side,
    )
    return placement


@transaction.atomic
def record_statement(actor, placement: Placement, *, who: str, text: str) -> Placement:
    """Record the fellow's or the supervisor's willingness and openness, in their words."""
    who = Signatory(who)
    require(can_record_statement(actor, placement, who))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the statement: a few sentences are enough.")})
    before = audit.snapshot(placement)
    setattr(placement, f"{who}_statement", text)
    setattr(placement, f"{who}_statement_by", actor)
    setattr(placement, f"{who}_statement_at", timezone.now())
    placement.save(
        update_fields=[
            f"{who}_statement",
            f"{who}_statement_by",
            f"{who}_statement_at",
            "updated_at",
        ]
    )
    audit.log_updated(actor, placement, before)
    person, side = signatory_of(placement, who)
    record_activity(
        actor,
        placement.collaboration,
        _("%(name)s recorded the willingness and openness of %(person)s, %(whose)s.")
        % {"name": actor_name(actor), "person": person, "whose": who.label},
        side=side.pk,
    )
    return placement


@transaction.atomic
def save_brief(
    actor, placement: Placement, *, possibilities: str, priorities: str, challenges: str
) -> PreparationBrief:
    """Write or change the brief; a change after delivery may be sent again."""
    collaboration = placement.collaboration
    require(can_write_brief(actor, collaboration))
    brief = PreparationBrief.objects.filter(placement=placement).first()
    fields = {"possibilities": possibilities, "priorities": priorities, "challenges": challenges}
    if brief is None:
        brief = PreparationBrief(placement=placement, **fields)
        brief.full_clean()
        brief.save()
        audit.log_created(actor, brief)
    elif all(getattr(brief, name) == value for name, value in fields.items()):
        return brief  # nothing changed: nothing to record
    else:
        before = audit.snapshot(brief)
        for name, value in fields.items():
            setattr(brief, name, value)
        brief.full_clean()
        brief.save()
        audit.log_updated(actor, brief, before)
    record_activity(
        actor,
        collaboration,
        _("%(name)s worked on the preparation brief for %(fellow)s.")
        % {"name": actor_name(actor), "fellow": placement.fellow},
        side=collaboration.institution_id,
    )
    return brief


def fellow_email(placement: Placement) -> str:
    """Where the brief goes: the fellow's e-mail address, else their account's."""
    if placement.fellow.email:
        return placement.fellow.email
    account = (
        get_user_model()
        .objects.filter(person_id=placement.fellow_id, is_active=True)
        .values_list("email", flat=True)
        .first()
    )
    return account or ""


def changed_since_delivery(brief: PreparationBrief) -> bool:
    """Delivery leaves `updated_at` alone, so a later `updated_at` means an edit since."""
    return brief.delivered_at is not None and brief.updated_at > brief.delivered_at


@transaction.atomic
def deliver_brief(actor, placement: Placement) -> PreparationBrief:
    """E-mail the brief to the fellow.

    The first delivery's date stays: it is what the in-time check measures. After an edit
    the host may send the brief again; that changes who sent it, not when it first arrived.
    """
    collaboration = placement.collaboration
    require(can_write_brief(actor, collaboration))
    brief = PreparationBrief.objects.select_for_update().filter(placement=placement).first()
    if brief is None or not brief.complete:
        raise ValidationError(
            _(
                "The brief is not complete: write the possibilities, the priorities and the "
                "challenges before you send it."
            )
        )
    if brief.delivered_at is not None and not changed_since_delivery(brief):
        raise ValidationError(
            _("The fellow already has this brief: change it first if there is more to tell.")
        )
    recipient = fellow_email(placement)
    if not recipient:
        raise ValidationError(
            _(
                "We have no e-mail address for %(fellow)s: add one to their record in the "
                "directory, then send the brief."
            )
            % {"fellow": placement.fellow}
        )
    first = brief.delivered_at is None
    before = audit.snapshot(brief)
    if first:
        brief.delivered_at = timezone.now()
    brief.delivered_by = actor
    # Not `updated_at`: it tells whether the brief changed since it was sent.
    brief.save(update_fields=["delivered_at", "delivered_by"])
    audit.log_updated(actor, brief, before)
    context = {
        "placement": placement,
        "collaboration": collaboration,
        "brief": brief,
        "again": not first,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    subject = _("Before your fellowship starts: %(title)s") % {"title": collaboration.title}
    body = render_to_string("fellowships/brief_email.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))
    record_activity(
        actor,
        collaboration,
        (
            _("%(name)s sent the preparation brief to %(fellow)s.")
            if first
            else _("%(name)s sent the changed preparation brief to %(fellow)s again.")
        )
        % {"name": actor_name(actor), "fellow": placement.fellow},
        side=collaboration.institution_id,
    )
    return brief


@transaction.atomic
def add_task(actor, placement: Placement, *, title: str, days_before_start: int) -> PreparationTask:
    """Add a step to the countdown; members of either side may."""
    collaboration = placement.collaboration
    side = require_side(actor, collaboration)
    task = PreparationTask(placement=placement, title=title, days_before_start=days_before_start)
    task.full_clean()
    task.save()
    audit.log_created(actor, task)
    record_activity(
        actor,
        collaboration,
        _("%(name)s added “%(task)s” to the preparation countdown.")
        % {"name": actor_name(actor), "task": title},
        side=side,
    )
    return task


@transaction.atomic
def set_task_done(actor, task: PreparationTask, *, done: bool) -> PreparationTask:
    """Tick a preparation task off, or open it again."""
    collaboration = task.placement.collaboration
    side = require_side(actor, collaboration)
    if (task.done_on is not None) == done:
        return task  # ticked off or reopened already: keep the first date and say nothing
    before = audit.snapshot(task)
    task.done_on = timezone.localdate() if done else None
    task.save(update_fields=["done_on", "updated_at"])
    audit.log_updated(actor, task, before)
    record_activity(
        actor,
        collaboration,
        (_("%(name)s ticked off “%(task)s”.") if done else _("%(name)s reopened “%(task)s”."))
        % {"name": actor_name(actor), "task": task.title},
        side=side,
    )
    return task
