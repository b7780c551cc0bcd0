"""A person's deadlines as an iCalendar feed (RFC 5545), one all-day event per deadline,
from every deadline the rooms register (collaborations.reminders.deadlines).

Every event's UID names the kind and the record (and the date, for repeating check-ins),
so a calendar application updates an event when its date moves instead of adding another.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.reminders import deadlines_of
from civicbridge.partners.permissions import acting_organisation_ids


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

    collaborations = {c.pk: c for c in user_collaborations(user).order_by("pk")}
    for deadline in deadlines_of(collaborations, today):
        event = Event()
        event.add("uid", f"{deadline.uid}@{domain}")
        event.add("dtstamp", now)
        event.add("dtstart", deadline.day)
        event.add("dtend", deadline.day + timedelta(days=1))
        event.add("summary", deadline.summary)
        event.add("url", site + deadline.path)
        calendar.add_component(event)
    return calendar
