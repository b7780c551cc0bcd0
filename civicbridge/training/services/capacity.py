"""Capacity before and after (T1): each participant rates each learning objective on a
scale of 1 to 5 before the first session, after the last, and again three and six months
on, through a signed link that needs no account. The answers are the participant's: pages
show only groups of five or more (`queries.capacity_change`)."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.collaborations.models import Activity, Collaboration
from civicbridge.collaborations.services import record_activity
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core import audit, formats
from civicbridge.core.choices import AuditAction
from civicbridge.core.dates import add_months

from ..choices import FOLLOW_UP_MONTHS, Moment, SeatStatus
from ..models import SCALE, Objective, Participant, Rating, SelfAssessment, Session
from . import require_runner

LINK_SALT = "civicbridge.training.self-assessment"
LINK_LIFETIME = timedelta(days=60)


class LinkRefused(Exception):
    """A self-assessment link that cannot be used; `status` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


def answer_token(assessment: SelfAssessment) -> str:
    """The signed key of one self-assessment's link: its id and moment, and when it was made."""
    return signing.dumps({"id": assessment.pk, "moment": assessment.moment}, salt=LINK_SALT)


def answer_path(assessment: SelfAssessment) -> str:
    return reverse("training:answer", args=[assessment.pk, answer_token(assessment)])


def answer_url(assessment: SelfAssessment) -> str:
    return settings.SITE_URL.rstrip("/") + answer_path(assessment)


def last_session_start(collaboration: Collaboration) -> datetime | None:
    return Session.objects.filter(collaboration=collaboration).aggregate(last=Max("starts_at"))[
        "last"
    ]


def opens_at(assessment: SelfAssessment) -> datetime | date | None:
    """When the self-assessment can be answered: before at once; after once the last
    session starts; a follow-up on its day. None: not yet known (no session planned)."""
    if assessment.moment == Moment.BEFORE:
        return assessment.created_at
    if assessment.moment == Moment.AFTER:
        return last_session_start(assessment.participant.collaboration)
    return assessment.due_on


def is_open(assessment: SelfAssessment, now: datetime) -> bool:
    opening = opens_at(assessment)
    if opening is None:
        return False
    if isinstance(opening, datetime):
        return opening <= now
    return opening <= timezone.localdate(now)


def assessment_for_link(pk: int, token: str, now: datetime | None = None) -> SelfAssessment:
    """The self-assessment a link answers, or LinkRefused saying why not: a wrong or expired
    signature, a link made for another one, one answered already, one not open yet."""
    found = (
        SelfAssessment.objects.select_related(
            "participant__person",
            "participant__collaboration__civic_organisation",
            "participant__collaboration__institution",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise LinkRefused(404, _("There is no such self-assessment."))
    try:
        key = signing.loads(token, salt=LINK_SALT, max_age=LINK_LIFETIME)
    except signing.SignatureExpired:
        raise LinkRefused(
            410, _("This link has expired. Ask the people running the programme for a new one.")
        ) from None
    except signing.BadSignature:
        raise LinkRefused(
            400, _("This link is not valid: copy the whole link from the e-mail.")
        ) from None
    if key.get("id") != found.pk or key.get("moment") != found.moment:
        raise LinkRefused(400, _("This link belongs to another self-assessment."))
    if found.answered_at is not None:
        raise LinkRefused(410, _("This self-assessment was answered already: a link works once."))
    if not is_open(found, now or timezone.now()):
        opening = opens_at(found)
        message = (
            _("This self-assessment opens on %(day)s.") % {"day": formats.day(opening)}
            if opening is not None
            else _("This self-assessment opens with the last session, which is not planned yet.")
        )
        raise LinkRefused(403, message)
    return found


def objectives_of(collaboration: Collaboration):
    """The objectives a self-assessment of the programme asks about, in curriculum order."""
    return Objective.objects.filter(module__collaboration=collaboration).order_by(
        "module__position", "module_id", "position", "id"
    )


@transaction.atomic
def answer_self_assessment(
    assessment: SelfAssessment, scores: dict[int, int], *, answered_at: datetime | None = None
) -> SelfAssessment | None:
    """Record a participant's ratings, once: one score from 1 to 5 for every objective.

    Returns None, and changes nothing, when it was answered already (also a moment ago: the
    row is claimed with a conditional update). `answered_at` dates an answer given earlier,
    for the demo."""
    collaboration = assessment.participant.collaboration
    objectives = list(objectives_of(collaboration).values_list("pk", flat=True))
    if not objectives:
        raise ValidationError(_("The curriculum has no learning objectives to rate yet."))
    missing = [pk for pk in objectives if pk not in scores]
    wrong = [pk for pk, score in scores.items() if not SCALE[0] <= score <= SCALE[1]]
    if missing or wrong or set(scores) - set(objectives):
        raise ValidationError(
            _("Rate every learning objective from %(low)d to %(high)d.")
            % {"low": SCALE[0], "high": SCALE[1]}
        )
    answered_at = answered_at or timezone.now()
    claimed = SelfAssessment.objects.filter(pk=assessment.pk, answered_at__isnull=True).update(
        answered_at=answered_at, updated_at=timezone.now()
    )
    if not claimed:
        return None
    before = audit.snapshot(assessment)
    assessment.answered_at = answered_at
    audit.log_updated(None, assessment, before)
    Rating.objects.bulk_create(
        Rating(assessment=assessment, objective_id=pk, score=scores[pk]) for pk in objectives
    )
    activity = record_activity(
        None,
        collaboration,
        _("A participant answered the self-assessment “%(moment)s”.")
        % {"moment": assessment.get_moment_display()},
        side=collaboration.civic_organisation_id,
        url=tab_url(collaboration, "capacity"),
    )
    if activity.at != answered_at:
        Activity.objects.filter(pk=activity.pk).update(at=answered_at)
    return assessment


def last_session_day(collaboration: Collaboration) -> date | None:
    last = last_session_start(collaboration)
    return timezone.localdate(last) if last else None


def _plan(actor, collaboration: Collaboration) -> int:
    """Plan the three- and six-month follow-ups of every participant who attended a session,
    counted from the last session's day; planning again adds only what is missing."""
    since = last_session_day(collaboration)
    if since is None:
        return 0
    alumni = Participant.objects.filter(
        collaboration=collaboration, seats__status=SeatStatus.ATTENDED
    ).distinct()
    existing = set(
        SelfAssessment.objects.filter(
            participant__in=alumni, moment__in=list(FOLLOW_UP_MONTHS)
        ).values_list("participant_id", "moment")
    )
    created = SelfAssessment.objects.bulk_create(
        SelfAssessment(participant=participant, moment=moment, due_on=add_months(since, months))
        for participant in alumni
        for moment, months in FOLLOW_UP_MONTHS.items()
        if (participant.pk, moment) not in existing
    )
    audit.log_many(actor, [(assessment, AuditAction.CREATE, None) for assessment in created])
    if created:
        record_activity(
            actor,
            collaboration,
            ngettext(
                "%(count)d follow-up self-assessment was planned.",
                "%(count)d follow-up self-assessments were planned.",
                len(created),
            )
            % {"count": len(created)},
            side=collaboration.civic_organisation_id,
            url=tab_url(collaboration, "capacity"),
        )
    return len(created)


@transaction.atomic
def plan_follow_ups(actor, collaboration: Collaboration) -> int:
    """The runners plan the follow-ups at three and six months; says how many were added."""
    require_runner(actor, collaboration)
    if last_session_day(collaboration) is None:
        raise ValidationError(_("Plan the sessions first: follow-ups count from the last one."))
    return _plan(actor, collaboration)


def plan_follow_ups_on_close(actor, collaboration: Collaboration) -> None:
    """Plan what is missing as the programme closes (the lifecycle calls it)."""
    _plan(actor, collaboration)
