"""A person's deadlines as an iCalendar feed (RFC 5545), one all-day event per deadline.

Every event's UID names the kind and the record (and the date, for repeating check-ins),
so a calendar application updates an event when its date moves instead of adding another.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from civicbridge.collaborations.choices import Model, Stage
from civicbridge.collaborations.models import Collaboration, FollowUp, HandoverTask, Obligation
from civicbridge.fellowships.models import Placement
from civicbridge.fellowships.services import brief_days_before_start
from civicbridge.partners.permissions import acting_organisation_ids

CHECKIN_HORIZON = timedelta(days=366)  # for a collaboration without an end date


def user_collaborations(user):
    """The collaborations of the organisations `user` acts for (platform admins: their own)."""
    return Collaboration.objects.of_organisations(acting_organisation_ids(user))


def build_calendar(user, now: datetime | None = None) -> Calendar:
    now = now or timezone.now()
    today = timezone.localdate(now)
    domain = settings.SITE_URL.split("://")[-1].split("/")[0].split(":")[0] or "civicbridge"
    site = settings.SITE_URL.rstrip("/")
    calendar = Calendar()
    calendar.add("prodid", "-//Civic Bridge//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Civic Bridge deadlines"))

    def add(uid: str, day: date | None, summary: str, path: str) -> None:
        if day is None:
            return
        event = Event()
        event.add("uid", f"{uid}@{domain}")
        event.add("dtstamp", now)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        event.add("url", site + path)
        calendar.add_component(event)

    collaborations = list(user_collaborations(user).order_by("pk"))
    by_pk = {c.pk: c for c in collaborations}
    for c in collaborations:
        page = reverse("collaborations:detail", args=[c.pk])
        if c.start_date:
            add(f"start-{c.pk}", c.start_date, _("Starts: %(title)s") % {"title": c.title}, page)
        if c.end_date:
            add(f"end-{c.pk}", c.end_date, _("Ends: %(title)s") % {"title": c.title}, page)
        if c.stage != Stage.CLOSED and c.start_date:
            until = c.end_date or today + CHECKIN_HORIZON
            checkins = reverse("collaborations:checkins", args=[c.pk])
            for due in c.checkin_due_dates(until):
                add(
                    f"checkin-{c.pk}-{due:%Y%m%d}",
                    due,
                    _("Check-in: %(title)s") % {"title": c.title},
                    checkins,
                )
    obligations = Obligation.objects.filter(
        agreement__collaboration__in=collaborations, due_date__isnull=False
    ).values_list("pk", "agreement__collaboration_id", "due_date", "description")
    for pk, collaboration_id, due, description in obligations:
        title = by_pk[collaboration_id].title
        add(
            f"obligation-{pk}",
            due,
            _("Obligation due (%(title)s): %(obligation)s")
            % {"title": title, "obligation": description[:120]},
            reverse("collaborations:agreement", args=[collaboration_id]),
        )
    handover = HandoverTask.objects.filter(
        collaboration__in=collaborations, due_date__isnull=False
    ).values_list("pk", "collaboration_id", "due_date", "title")
    for pk, collaboration_id, due, task_title in handover:
        add(
            f"handover-{pk}",
            due,
            _("Handover task (%(title)s): %(task)s")
            % {"title": by_pk[collaboration_id].title, "task": task_title},
            reverse("collaborations:handover", args=[collaboration_id]),
        )
    follow_ups = FollowUp.objects.filter(collaboration__in=collaborations).values_list(
        "pk", "collaboration_id", "due_on", "months_after"
    )
    for pk, collaboration_id, due, months in follow_ups:
        # The answer link is a secret of its own: the feed points at the handover tab.
        add(
            f"follow-up-{pk}",
            due,
            _("%(months)d-month follow-up: %(title)s")
            % {"months": months, "title": by_pk[collaboration_id].title},
            reverse("collaborations:handover", args=[collaboration_id]),
        )
    days_by_model: dict[str, int] = {}
    placements = Placement.objects.filter(
        collaboration__in=collaborations, collaboration__model=Model.FELLOWSHIP
    ).values_list("pk", "collaboration_id", "start_date")
    for pk, collaboration_id, start in placements:
        collaboration = by_pk[collaboration_id]
        if collaboration.model not in days_by_model:
            days_by_model[collaboration.model] = brief_days_before_start(collaboration)
        add(
            f"brief-{pk}",
            start - timedelta(days=days_by_model[collaboration.model]),
            _("Preparation brief due: %(title)s") % {"title": collaboration.title},
            reverse("fellowships:brief", args=[collaboration_id]),
        )
    return calendar
