"""What happened lately in the collaborations a person sees, told in sentences, by day.

The sentences are the collaborations' activity feed (`Activity`): each service writes one
as it changes something ("Alex Morgan signed the MOU.", "Testshire Council gave its
check-in update for 12 Nov 2026."), as visible as the record it is about. The home page
reads them here, and nowhere else: the latest `LIMIT` the person may see, in one query.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from .models import Activity, Collaboration
from .tabs import tab_url

LIMIT = 15


@dataclass
class Line:
    """One sentence, the collaboration it happened in, and where to read more."""

    activity: Activity
    url: str


@dataclass
class Day:
    day: date
    lines: list[Line] = field(default_factory=list)


def link_of(activity: Activity) -> str:
    """The record the activity is about, else the collaboration's activity tab."""
    return activity.url or tab_url(activity.collaboration, "activity")


def recent_activity(organisation_ids: set[int], limit: int = LIMIT) -> list[Day]:
    """The latest activity that members of `organisation_ids` may read, newest day first."""
    if not organisation_ids:
        return []
    activities = (
        Activity.objects.filter(collaboration__in=Collaboration.objects.seen_by(organisation_ids))
        .visible_to(organisation_ids)
        .select_related("collaboration")
        .order_by("-at", "-id")[:limit]
    )
    days: list[Day] = []
    for activity in activities:
        day = timezone.localtime(activity.at).date()
        if not days or days[-1].day != day:
            days.append(Day(day))
        days[-1].lines.append(Line(activity, link_of(activity)))
    return days
