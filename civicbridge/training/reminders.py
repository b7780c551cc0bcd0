"""The training programme's reminders: each participant's self-assessment (T1), asked by
e-mail with a signed link once it opens (before: when the participant is named and the first
session is still ahead; after: once the last session has started; three and six months on:
on their day), and asked once more a fortnight later. Participants need no account."""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.db.models import Max, Min, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicbridge.collaborations.choices import Stage
from civicbridge.collaborations.reminders import (
    Due,
    object_id,
    on_sent,
    register,
    settled,
    settled_by_object,
)

from .choices import FOLLOW_UP_MONTHS, Moment
from .models import SelfAssessment, Session
from .services.capacity import LINK_LIFETIME, answer_url

ASK = "training_rating"
ASK_AGAIN = "training_rating_more"
REMIND_AFTER = timedelta(days=14)


def unanswered():
    """Self-assessments nobody answered, with their programme's first and last session start."""
    sessions = Session.objects.filter(collaboration=OuterRef("participant__collaboration"))
    return (
        SelfAssessment.objects.filter(answered_at__isnull=True)
        .annotate(
            first_start=Subquery(
                sessions.values("collaboration").annotate(first=Min("starts_at")).values("first")
            ),
            last_start=Subquery(
                sessions.values("collaboration").annotate(last=Max("starts_at")).values("last")
            ),
        )
        .select_related(
            "participant__person",
            "participant__collaboration__civic_organisation",
            "participant__collaboration__institution",
        )
    )


def open_on(today: date, now: datetime):
    """Those unanswered whose moment has come: before while the first session is ahead (and
    the programme is not closed), after once the last has started, a follow-up on its day."""
    return unanswered().filter(
        (
            Q(moment=Moment.BEFORE, first_start__gt=now)
            & ~Q(participant__collaboration__stage=Stage.CLOSED)
        )
        | Q(moment=Moment.AFTER, last_start__lte=now)
        | Q(moment__in=list(FOLLOW_UP_MONTHS), due_on__lte=today)
    )


def message(assessment: SelfAssessment, *, reminder: bool, link: str) -> tuple[str, str]:
    collaboration = assessment.participant.collaboration
    subject = (
        _("Reminder: rate your capacity, “%(title)s”")
        if reminder
        else _("Rate your capacity: “%(title)s”")
    ) % {"title": collaboration.title}
    body = render_to_string(
        "training/self_assessment_email.txt",
        {
            "person": assessment.participant.person,
            "collaboration": collaboration,
            "moment": assessment.get_moment_display().lower(),
            "reminder": reminder,
            "link": link,
            "expires_on": timezone.localdate() + LINK_LIFETIME,
        },
    )
    return subject, body


def _due(kind: str, assessment: SelfAssessment, *, again: bool) -> Due:
    link = answer_url(assessment)  # a fresh link each time: it expires counting from now
    subject, body = message(assessment, reminder=again, link=link)
    return Due(
        kind,
        f"{kind}:{assessment.pk}:{assessment.moment}",
        None,
        assessment.participant.collaboration_id,
        subject,
        body,
        link,
        assessment.due_on,
        email=assessment.participant.person.email,
    )


@register(ASK, gettext_lazy("Self-assessment of a training participant"), order=920, chosen=False)
def ask(today: date) -> Iterator[Due]:
    """Each self-assessment whose moment has come, with its link."""
    asked = open_on(today, timezone.now()).exclude(participant__person__email="")
    for assessment in asked.filter(sent_at__isnull=True).order_by("pk"):
        yield _due(ASK, assessment, again=False)


@register(
    ASK_AGAIN,
    gettext_lazy("Self-assessment of a training participant, asked once more"),
    order=930,
    chosen=False,
)
def ask_again(today: date) -> Iterator[Due]:
    """Once more, with a fresh link, each one unanswered `REMIND_AFTER` after it went."""
    late = open_on(today, timezone.now()).filter(
        sent_at__date__lte=today - REMIND_AFTER, reminded_at__isnull=True
    )  # only those sent, so only to an address
    for assessment in late.order_by("pk"):
        yield _due(ASK_AGAIN, assessment, again=True)


@on_sent(ASK)
def record_asked(reminder) -> None:
    SelfAssessment.objects.filter(pk=object_id(reminder.key), sent_at__isnull=True).update(
        sent_at=reminder.sent_at
    )


@on_sent(ASK_AGAIN)
def record_asked_again(reminder) -> None:
    SelfAssessment.objects.filter(pk=object_id(reminder.key), reminded_at__isnull=True).update(
        reminded_at=reminder.sent_at
    )


def _unanswered(ids: set[int]) -> Iterable[int]:
    return SelfAssessment.objects.filter(pk__in=ids, answered_at__isnull=True).values_list(
        "pk", flat=True
    )


@settled(ASK)
def asked_and_answered(reminders) -> Iterable[int]:
    return settled_by_object(reminders, _unanswered)


@settled(ASK_AGAIN)
def asked_again_and_answered(reminders) -> Iterable[int]:
    return settled_by_object(reminders, _unanswered)
