"""Reads the pages and the API share: a collaboration's feedback health, the overview of
the collaborations a person sees, and the portfolio's figures, each in a fixed number of
queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.portfolio import Figure
from civicbridge.core import formats

from .choices import FeedbackStatus, ShortcomingStatus
from .models import Feedback, Shortcoming


@dataclass(frozen=True)
class Health:
    """What beneficiaries said of a collaboration, in numbers."""

    published: int
    average: float | None
    waiting: int  # for moderation
    unanswered: int  # published and not answered yet


PUBLISHED = Q(status=FeedbackStatus.PUBLISHED)
WAITING = Q(status=FeedbackStatus.NEW)
UNANSWERED = PUBLISHED & Q(answered_at__isnull=True)


def health_of(collaboration: Collaboration) -> Health:
    """The published count and average rating, and what waits on each side, in one query."""
    counted = Feedback.objects.filter(collaboration=collaboration).aggregate(
        published=Count("pk", filter=PUBLISHED),
        average=Avg("rating", filter=PUBLISHED),
        waiting=Count("pk", filter=WAITING),
        unanswered=Count("pk", filter=UNANSWERED),
    )
    return Health(**counted)


def overview(collaborations):
    """The collaborations among `collaborations` with feedback, each annotated with its
    published count, average rating and what waits, busiest first: one query."""
    return (
        collaborations.filter(feedback__isnull=False)
        .annotate(
            published=Count("feedback", filter=Q(feedback__status=FeedbackStatus.PUBLISHED)),
            average=Avg("feedback__rating", filter=Q(feedback__status=FeedbackStatus.PUBLISHED)),
            waiting=Count("feedback", filter=Q(feedback__status=FeedbackStatus.NEW)),
            unanswered=Count(
                "feedback",
                filter=Q(
                    feedback__status=FeedbackStatus.PUBLISHED, feedback__answered_at__isnull=True
                ),
            ),
        )
        .select_related("civic_organisation", "institution")
        .order_by("-waiting", "-published", "title", "pk")
    )


def portfolio_figures(user, organisation_ids: set[int], today: date) -> list[Figure]:
    """Beneficiaries' feedback on the collaborations the organisations see: how much was
    published and its average rating, in one query."""
    if not organisation_ids:
        return []
    counted = Feedback.objects.filter(
        collaboration__in=Collaboration.objects.seen_by(organisation_ids)
    ).aggregate(
        published=Count("pk", filter=PUBLISHED),
        average=Avg("rating", filter=PUBLISHED),
        waiting=Count("pk", filter=WAITING),
    )
    url = reverse("feedback:overview")
    average = counted["average"]
    return [
        Figure(
            _("Beneficiaries' feedback"),
            counted["published"],
            url,
            _("%(count)s waiting for moderation") % {"count": formats.number(counted["waiting"])},
        ),
        Figure(
            _("Average rating by beneficiaries"),
            formats.number(average, 1) if average is not None else "—",
            url,
            _("out of 5"),
        ),
    ]


def register_of(collaboration: Collaboration):
    """The collaboration's shortcomings with their owners, newest first: one query."""
    return Shortcoming.objects.filter(collaboration=collaboration).select_related("owner")


def register_counts(collaboration: Collaboration) -> dict[str, int]:
    """How many shortcomings are in each status, in one query."""
    rows = (
        Shortcoming.objects.filter(collaboration=collaboration)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(ShortcomingStatus.values, 0)
    counts.update(dict(rows))
    return counts
