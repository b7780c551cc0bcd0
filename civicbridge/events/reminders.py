"""The events' reminders: each project's follow-up (E5), asked by e-mail when its day comes,
asked once more 14 days on, then marked unknown 30 days after that.

The people asked are a team's contact and committed officials, by e-mail address: they need
no account. The notifications app claims and sends these as it does every reminder; once
one has gone, the follow-up records when, which is what its tab shows and what the next
step counts from.
"""

from collections.abc import Iterator
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from civicbridge.collaborations.reminders import (
    Due,
    daily_upkeep,
    object_id,
    on_sent,
    register,
)

from .models import ProjectFollowUp
from .services.followups import (
    REMIND_AFTER,
    answer_url,
    follow_up_message,
    mark_unknown,
    waiting,
)

ASK = "project_follow_up"
ASK_AGAIN = "project_asked_again"


def _due(kind: str, follow_up: ProjectFollowUp, *, again: bool) -> Due:
    link = answer_url(follow_up)  # a fresh link each time: it expires counting from now
    subject, body = follow_up_message(follow_up, reminder=again, link=link, now=timezone.now())
    return Due(
        kind,
        f"{kind}:{follow_up.pk}:{follow_up.due_on}",
        None,
        follow_up.project.event.collaboration_id,
        subject,
        body,
        link,
        follow_up.due_on,
        email=follow_up.email,
    )


@register(ASK, gettext_lazy("Project follow-up"), order=900, chosen=False)
def follow_ups_due(today: date) -> Iterator[Due]:
    """Each follow-up whose day has come, with its link."""
    due = waiting().filter(due_on__lte=today, sent_at__isnull=True).order_by("pk")
    for follow_up in due:
        yield _due(ASK, follow_up, again=False)


@register(ASK_AGAIN, gettext_lazy("Project follow-up asked once more"), order=910, chosen=False)
def follow_ups_unanswered(today: date) -> Iterator[Due]:
    """Once more, with a fresh link, each follow-up unanswered `REMIND_AFTER` after it went."""
    late = waiting().filter(sent_at__date__lte=today - REMIND_AFTER, reminded_at__isnull=True)
    for follow_up in late.order_by("pk"):
        yield _due(ASK_AGAIN, follow_up, again=True)


@on_sent(ASK)
def record_asked(reminder) -> None:
    ProjectFollowUp.objects.filter(pk=object_id(reminder.key), sent_at__isnull=True).update(
        sent_at=reminder.sent_at
    )


@on_sent(ASK_AGAIN)
def record_asked_again(reminder) -> None:
    ProjectFollowUp.objects.filter(pk=object_id(reminder.key), reminded_at__isnull=True).update(
        reminded_at=reminder.sent_at
    )


@daily_upkeep("follow_ups_unknown")
def mark_unanswered_unknown(now: datetime) -> int:
    """Mark unknown what nobody answered after the once-more; this sends nothing."""
    return mark_unknown(now)
