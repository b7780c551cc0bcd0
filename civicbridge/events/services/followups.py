"""Following each project for a year (E5): who is asked, when, by which link, and the answers.

When an event closes, each of its projects gets one follow-up per period of the playbook
(`project_follow_up_months`, counted from the event's last day) and per person who can say
what became of it: the team's contact and each official who committed to a next step.

Each follow-up is e-mailed once its day comes with a signed link that needs no account,
answers that follow-up only, once, and expires. Nobody answering hears once more, with a
fresh link; after a grace period the follow-up is marked unknown. Both messages are
reminders of the one pipeline (`events/reminders.py` registers them): each is claimed with
a conditional update before it is sent, so two schedulers never send the same message.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Activity, Collaboration
from civicbridge.collaborations.services import (
    actor_name,
    parameter,
    playbook_model,
    record_activity,
)
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core import audit
from civicbridge.core.choices import Visibility
from civicbridge.core.dates import add_months
from civicbridge.core.permissions import require

from ..choices import ProjectStatus, Respondent
from ..models import EngagementPlan, Event, Project, ProjectFollowUp
from ..permissions import can_organise

LINK_SALT = "civicbridge.events.follow-up-answer"
REMIND_AFTER = timedelta(days=14)  # after the first message, one reminder
UNKNOWN_AFTER = timedelta(days=30)  # after the reminder, the follow-up is marked unknown
ANSWERS = [status for status in ProjectStatus if status != ProjectStatus.UNKNOWN]


@dataclass(frozen=True)
class Person:
    """Someone to ask about a project: the kind of respondent, a name and an address."""

    respondent: str
    name: str
    email: str


def project_follow_up_months(collaboration: Collaboration) -> list[int]:
    """The months after the event at which the playbook asks about each project."""
    model = playbook_model(collaboration)
    return sorted(parameter(model, "project_follow_up_months", []))


def event_day(collaboration: Collaboration) -> date | None:
    """The day follow-ups count from: the event's last day, else its first, else its closing."""
    return collaboration.end_date or collaboration.start_date or collaboration.closed_on


def people_to_ask(project: Project) -> list[Person]:
    """The team's contact and each committed official with an e-mail address, once each."""
    found: dict[str, Person] = {}
    contact = project.team.contact if project.team else None
    if contact is not None and contact.email:
        found[contact.email.lower()] = Person(Respondent.TEAM, contact.name, contact.email)
    try:
        plan = project.engagement_plan
    except EngagementPlan.DoesNotExist:
        plan = None
    if plan is not None:
        for commitment in plan.commitments.all():
            official = commitment.official
            if official.email and official.email.lower() not in found:
                found[official.email.lower()] = Person(
                    Respondent.OFFICIAL, official.name, official.email
                )
    return list(found.values())


def schedule_project(
    actor, project: Project, people: list[Person], months: list[int], since: date, today: date
) -> list[ProjectFollowUp]:
    """Plan the project's follow-ups; of the periods already past on `today`, only the
    latest is asked: a late close asks once about the latest period, not about every one."""
    due = {period: add_months(since, period) for period in months}
    past = [period for period in months if due[period] < today]
    asked = [period for period in months if period not in past or period == max(past)]
    created = []
    for period in asked:
        for person in people:
            follow_up, new = ProjectFollowUp.objects.get_or_create(
                project=project,
                months=period,
                email=person.email,
                defaults={
                    "due_on": due[period],
                    "respondent": person.respondent,
                    "name": person.name[:200],
                },
            )
            if new:
                audit.log_created(actor, follow_up)
                created.append(follow_up)
    return created


@transaction.atomic
def schedule_follow_ups(actor, event: Event, *, today: date | None = None) -> int:
    """Plan every project's follow-ups when the event closes; planning again adds only what
    is missing (a project or a committed official added since)."""
    collaboration = event.collaboration
    since = event_day(collaboration)
    months = project_follow_up_months(collaboration)
    if since is None or not months:
        return 0
    today = today or timezone.localdate()
    projects = event.projects.select_related("team__contact", "engagement_plan").prefetch_related(
        "engagement_plan__commitments__official"
    )
    created = sum(
        len(schedule_project(actor, project, people_to_ask(project), months, since, today))
        for project in projects
    )
    if created:
        record_activity(
            actor,
            collaboration,
            ngettext(
                "%(count)d follow-up of the projects was planned.",
                "%(count)d follow-ups of the projects were planned.",
                created,
            )
            % {"count": created},
            side=collaboration.civic_organisation_id,
            url=tab_url(collaboration, "follow-ups"),
        )
    return created


def schedule_on_close(actor, collaboration: Collaboration) -> None:
    """Plan the follow-ups as an event closes (the lifecycle calls it, in its transaction)."""
    event = Event.objects.select_related("collaboration").filter(collaboration=collaboration)
    found = event.first()
    if found is not None:  # an event closed before its facts were recorded has no projects
        schedule_follow_ups(actor, found)


# The link ------------------------------------------------------------------------------


class LinkRefused(Exception):
    """A follow-up link that cannot be used; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


def answer_token(follow_up: ProjectFollowUp) -> str:
    """The signed key of one follow-up's link: its id and period, and when it was made."""
    return signing.dumps({"id": follow_up.pk, "months": follow_up.months}, salt=LINK_SALT)


def answer_url(follow_up: ProjectFollowUp) -> str:
    path = reverse("events:follow_up_answer", args=[follow_up.pk, answer_token(follow_up)])
    return settings.SITE_URL.rstrip("/") + path


def link_lifetime() -> timedelta:
    return timedelta(days=settings.EVENT_FOLLOW_UP_LINK_DAYS)


def follow_up_for_link(pk: int, token: str) -> ProjectFollowUp:
    """The follow-up a link answers, or LinkRefused saying why not.

    Refused: a link whose signature is wrong (forged or mangled), that has expired, that
    was made for another follow-up (another period, or another person's), or whose
    follow-up is answered already. A follow-up that does not exist is a 404.
    """
    follow_up = ProjectFollowUp.objects.select_related(
        "project__event__collaboration__civic_organisation",
        "project__event__collaboration__institution",
    ).filter(pk=pk)
    found = follow_up.first()
    if found is None:
        raise LinkRefused(404, _("There is no such follow-up."))
    try:
        key = signing.loads(token, salt=LINK_SALT, max_age=link_lifetime())
    except signing.SignatureExpired:
        raise LinkRefused(
            410,
            _(
                "This link has expired. Ask the organisers for a new one, or answer the "
                "next follow-up when it comes."
            ),
        ) from None
    except signing.BadSignature:
        raise LinkRefused(
            400, _("This link is not valid: copy the whole link from the e-mail.")
        ) from None
    if key.get("months") != found.months:
        raise LinkRefused(
            400,
            _("This link is for the %(theirs)s-month follow-up, not this %(this)d-month one.")
            % {"theirs": key.get("months"), "this": found.months},
        )
    if key.get("id") != found.pk:
        raise LinkRefused(400, _("This link belongs to another person's follow-up."))
    if found.answered_at is not None:
        raise LinkRefused(410, _("This follow-up was answered already: a link works once."))
    return found


# Answers -------------------------------------------------------------------------------


@transaction.atomic
def answer_follow_up(
    follow_up: ProjectFollowUp,
    *,
    status: str,
    evidence_url: str = "",
    note: str = "",
    answered_at: datetime | None = None,
) -> ProjectFollowUp | None:
    """Record what became of the project, once; the project's status follows the answer.

    Returns None, and changes nothing, when the follow-up was answered already (also by a
    submission a moment earlier: the row is claimed with a conditional update). A follow-up
    marked unknown may still be answered while its link works. `answered_at` dates an
    answer given earlier, for imports and the demo.
    """
    if status not in ANSWERS:
        raise ValidationError({"status": _("Choose what became of the project.")})
    answered_at = answered_at or timezone.now()
    before = audit.snapshot(follow_up)
    follow_up.status = status
    follow_up.evidence_url = evidence_url.strip()
    follow_up.note = note.strip()
    follow_up.answered_at = answered_at
    follow_up.full_clean(validate_unique=False, validate_constraints=False)
    claimed = ProjectFollowUp.objects.filter(pk=follow_up.pk, answered_at__isnull=True).update(
        status=follow_up.status,
        evidence_url=follow_up.evidence_url,
        note=follow_up.note,
        answered_at=answered_at,
        updated_at=timezone.now(),
    )
    if not claimed:
        return None
    audit.log_updated(None, follow_up, before)
    project = follow_up.project
    _settle_project(project, follow_up.months, status, timezone.localdate(answered_at))
    collaboration = project.event.collaboration
    activity = record_activity(
        None,
        collaboration,
        _("%(name)s answered the %(months)d-month follow-up of “%(project)s”: %(status)s.")
        % {
            "name": follow_up.name,
            "months": follow_up.months,
            "project": project.title,
            "status": ProjectStatus(status).label,
        },
        side=collaboration.civic_organisation_id,
        visibility=Visibility.BOTH_SIDES,
        url=tab_url(collaboration, "follow-ups"),
    )
    if activity.at != answered_at:
        Activity.objects.filter(pk=activity.pk).update(at=answered_at)
    return follow_up


def _settle_project(project: Project, months: int, status: str, on: date) -> None:
    """Give the project the status a follow-up of period `months` found, unless a later
    period was answered already, or the period's answers say it lives and this one not:
    a project lives while anyone runs it."""
    answered = project.follow_ups.filter(answered_at__isnull=False)
    if answered.filter(months__gt=months).exists():
        return
    alive = ProjectStatus.alive()
    if status not in alive and answered.filter(months=months, status__in=alive).exists():
        return
    before = audit.snapshot(project)
    project.status, project.status_on = status, on
    project.save(update_fields=["status", "status_on", "updated_at"])
    audit.log_updated(None, project, before)


# The scheduler's pass ------------------------------------------------------------------
# The first ask and the once-more are reminders like any other (`events/reminders.py`):
# the notifications app claims each before it sends it. What stays here is what they say,
# and marking unknown what nobody answered, which sends nothing.


def waiting():
    """Follow-ups nobody has answered, nor been marked unknown."""
    return ProjectFollowUp.objects.filter(answered_at__isnull=True, status="").select_related(
        "project__event__collaboration__civic_organisation",
        "project__event__collaboration__institution",
    )


def follow_up_message(
    follow_up: ProjectFollowUp, *, reminder: bool, link: str, now: datetime
) -> tuple[str, str]:
    """The subject and text of the e-mail that asks (or, with `reminder`, asks once more)
    what became of the project, with its `link`."""
    project = follow_up.project
    collaboration = project.event.collaboration
    context = {"project": project.title, "event": collaboration.title, "months": follow_up.months}
    subject = (
        _("Reminder: what became of “%(project)s”?")
        if reminder
        else _("%(months)d months on: what became of “%(project)s”?")
    ) % context
    body = render_to_string(
        "events/followups/email.txt",
        {
            "follow_up": follow_up,
            "project": project,
            "collaboration": collaboration,
            "reminder": reminder,
            "link": link,
            "expires_on": timezone.localdate(now + link_lifetime()),
        },
    )
    return subject, body


def mark_unknown(now: datetime) -> int:
    """Mark unknown the follow-ups still unanswered `UNKNOWN_AFTER` after their reminder;
    a project none of whose people answered a period becomes unknown too."""
    stale = list(waiting().filter(reminded_at__lte=now - UNKNOWN_AFTER).order_by("pk"))
    marked: dict[int, list[ProjectFollowUp]] = {}
    for follow_up in stale:
        before = audit.snapshot(follow_up)
        unanswered = ProjectFollowUp.objects.filter(
            pk=follow_up.pk, answered_at__isnull=True, status=""
        )
        if not unanswered.update(status=ProjectStatus.UNKNOWN, updated_at=now):
            continue
        follow_up.status = ProjectStatus.UNKNOWN
        audit.log_updated(None, follow_up, before)
        marked.setdefault(follow_up.project.event.collaboration_id, []).append(follow_up)
        if not follow_up.project.follow_ups.filter(
            months__gte=follow_up.months, answered_at__isnull=False
        ).exists():
            _settle_project(
                follow_up.project, follow_up.months, ProjectStatus.UNKNOWN, timezone.localdate(now)
            )
    for follow_ups in marked.values():
        collaboration = follow_ups[0].project.event.collaboration
        record_activity(
            None,
            collaboration,
            ngettext(
                "%(count)d follow-up got no answer after a reminder: it is marked unknown.",
                "%(count)d follow-ups got no answer after a reminder: they are marked unknown.",
                len(follow_ups),
            )
            % {"count": len(follow_ups)},
            side=collaboration.civic_organisation_id,
            url=tab_url(collaboration, "follow-ups"),
        )
    return sum(len(follow_ups) for follow_ups in marked.values())


# What the project led to ---------------------------------------------------------------


def led_to_choices(collaboration: Collaboration):
    """The collaborations a project of this event may have led to: the organisers' own
    fellowships, contracts and other work, not events."""
    return (
        Collaboration.objects.filter(civic_organisation_id=collaboration.civic_organisation_id)
        .exclude(model=Model.EVENT)
        .select_related("institution")
        .order_by("title", "pk")
    )


@transaction.atomic
def set_led_to(actor, project: Project, led_to: Collaboration | None) -> Project:
    """Link the project to the fellowship or contract it led to, or clear the link."""
    event = project.event.collaboration
    require(can_organise(actor, event))
    if led_to is not None and not led_to_choices(event).filter(pk=led_to.pk).exists():
        raise ValidationError(
            {
                "led_to": _("Choose a collaboration of %(civic)s that is not an event.")
                % {"civic": event.civic_organisation.name}
            }
        )
    if project.led_to_id == (led_to.pk if led_to else None):
        return project
    before = audit.snapshot(project)
    project.led_to = led_to
    project.save(update_fields=["led_to", "updated_at"])
    audit.log_updated(actor, project, before)
    context = {"name": actor_name(actor), "project": project.title}
    if led_to is None:
        message = _("%(name)s removed what “%(project)s” led to.") % context
    else:
        message = _("%(name)s linked “%(project)s” to “%(collaboration)s”, which it led to.") % {
            **context,
            "collaboration": led_to.title,
        }
        record_activity(
            actor,
            led_to,
            _("%(name)s noted that this collaboration grew out of “%(project)s” at “%(event)s”.")
            % {**context, "event": event.title},
            side=event.civic_organisation_id,
        )
    record_activity(
        actor,
        event,
        message,
        side=event.civic_organisation_id,
        url=tab_url(event, "follow-ups"),
    )
    return project
