"""The inbox, the preferences and the private calendar feed."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from civicbridge.collaborations.models import FollowUp, HandoverTask, Obligation
from civicbridge.collaborations.reminders import CHECKIN_DUE, OBLIGATION_DUE
from civicbridge.fellowships.models import Placement
from civicbridge.notifications.choices import Channel
from civicbridge.notifications.models import CalendarFeed, InboxItem, Preference
from civicbridge.notifications.services import calendar_feed_of
from tests.factories import FollowUpFactory

from .conftest import END, START

# Every kind of reminder a user chooses channels for, as the preferences page lists them.
KINDS = {
    "checkin_due": "Check-in due",
    "checkin_overdue": "Check-in overdue",
    "obligation_due": "Obligation due",
    "mou_unsigned": "MOU not signed yet",
    "brief_late": "Preparation brief late",
    "deliverable_due": "Deliverable due",
    "handover_open": "Handover tasks open near the end",
    "follow_up_due": "Sustainability follow-up due",
    "invoice_overdue": "Invoice overdue",
    "policy_milestone_due": "Commitment milestone due",
    "policy_stage_stale": "Policy change without news",
}


def add_items(user, count: int) -> None:
    InboxItem.objects.bulk_create(
        InboxItem(user=user, title=f"Reminder {n}", body="Due soon.", url="/") for n in range(count)
    )


def inbox_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    return len(queries)


def test_the_inbox_makes_as_many_queries_for_30_items_as_for_3(world, client_for):
    client = client_for(world.official)
    add_items(world.official, 3)
    few = inbox_queries(client)
    add_items(world.official, 27)
    assert inbox_queries(client) == few


def test_the_inbox_shows_only_ones_own_items_and_the_unread_count(world, client_for):
    add_items(world.official, 2)
    add_items(world.civic_lead, 1)
    response = client_for(world.official).get(reverse("notifications:inbox"))
    assert response.content.decode().count("usa-collection__item") == 2
    assert "Inbox (2)" in response.content.decode()
    home = client_for(world.civic_lead).get(reverse("collaborations:home"))
    assert "Inbox (1)" in home.content.decode()


def test_mark_one_read_and_mark_all_read(world, client_for):
    add_items(world.official, 3)
    client = client_for(world.official)
    item = InboxItem.objects.filter(user=world.official)[0]
    response = client.post(reverse("notifications:read", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.read_at is not None
    assert "Inbox (2)" in client.get(reverse("notifications:inbox")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert not InboxItem.objects.filter(read_at__isnull=True).exists()
    assert "Inbox (0)" in client.get(reverse("notifications:inbox")).content.decode()


def test_nobody_marks_anothers_item_read(world, client_for):
    add_items(world.official, 1)
    item = InboxItem.objects.get()
    response = client_for(world.civic_lead).post(reverse("notifications:read", args=[item.pk]))
    assert response.status_code == 404
    client_for(world.civic_lead).post(reverse("notifications:read_all"))
    item.refresh_from_db()
    assert item.read_at is None


def test_the_preferences_page_lists_every_rooms_kind_in_order_and_no_project_follow_up(
    world, client_for
):
    page = client_for(world.fellow).get(reverse("notifications:preferences")).content.decode()
    places = [page.index(f'name="{kind}"') for kind in KINDS]
    assert places == sorted(places)
    assert all(label in page for label in KINDS.values())
    assert page.count("<select") == len(KINDS)  # the follow-ups go to addresses, not users


def test_preferences_are_saved_per_kind_and_both_needs_no_row(world, client_for):
    client = client_for(world.fellow)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    choices = dict.fromkeys(KINDS, Channel.BOTH)
    choices[CHECKIN_DUE] = Channel.INBOX
    choices[OBLIGATION_DUE] = Channel.EMAIL
    response = client.post(reverse("notifications:preferences"), choices)
    assert response.status_code == 302
    assert dict(Preference.objects.filter(user=world.fellow).values_list("kind", "channel")) == {
        CHECKIN_DUE: Channel.INBOX,
        OBLIGATION_DUE: Channel.EMAIL,
    }
    choices[CHECKIN_DUE] = Channel.BOTH
    client.post(reverse("notifications:preferences"), choices)
    assert Preference.objects.filter(user=world.fellow).count() == 1
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="email" selected' in page


def test_an_unknown_channel_is_refused(world, client_for):
    choices = dict.fromkeys(KINDS, "pigeon")
    response = client_for(world.fellow).post(reverse("notifications:preferences"), choices)
    assert response.status_code == 200
    assert not Preference.objects.exists()


@pytest.fixture
def deadlines(world, collaboration, agreement, playbook):
    """One deadline of every kind in the world's collaboration."""
    Obligation.objects.create(
        agreement=agreement,
        party=world.institution,
        description="Provide a desk.",
        due_date=date(2026, 3, 10),
    )
    HandoverTask.objects.create(
        collaboration=collaboration, title="Document the tool", due_date=date(2026, 8, 1)
    )
    FollowUpFactory(collaboration=collaboration, due_on=date(2027, 2, 28))
    Placement.objects.create(
        collaboration=collaboration,
        fellow=world.fellow.person,
        supervisor=world.official.person,
        start_date=START,
        end_date=END,
    )
    return collaboration


def read_feed(client, user) -> Calendar:
    url = reverse("notifications:feed", args=[calendar_feed_of(user).secret])
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_feed_lists_every_deadline_as_valid_icalendar(world, deadlines, client):
    calendar = read_feed(client, world.official)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    events = calendar.walk("VEVENT")
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert required in event, (required, event)
        assert not event.errors
    uids = [str(event["UID"]) for event in events]
    assert len(uids) == len(set(uids))
    kinds = {uid.split("-")[0] for uid in uids}
    assert kinds == {"start", "end", "checkin", "obligation", "handover", "follow", "brief"}
    starts = {str(e["UID"]).split("@")[0]: e.decoded("DTSTART") for e in events}
    assert starts[f"start-{deadlines.pk}"] == START
    assert starts[f"checkin-{deadlines.pk}-20260315"] == START + timedelta(days=14)
    # 14-day check-ins from 1 March to 31 August.
    assert sum(uid.startswith("checkin-") for uid in uids) == 13
    # The follow-up's answer link is a secret of its own and stays out of the feed.
    token = FollowUp.objects.get().token
    assert token not in calendar.to_ical().decode()


def test_the_feed_uids_stay_the_same_from_read_to_read(world, deadlines, client):
    first = {str(e["UID"]) for e in read_feed(client, world.civic_lead).walk("VEVENT")}
    second = {str(e["UID"]) for e in read_feed(client, world.civic_lead).walk("VEVENT")}
    assert first == second


def test_the_feed_holds_only_ones_own_collaborations(world, deadlines, client):
    assert read_feed(client, world.outsider).walk("VEVENT") == []


def test_a_wrong_or_reset_secret_is_not_found(world, client_for):
    client = client_for(world.official)
    page = client.get(reverse("notifications:calendar")).content.decode()
    old = CalendarFeed.objects.get(user=world.official).secret
    assert old in page
    assert client.get(reverse("notifications:feed", args=["not-the-secret"])).status_code == 404
    client.post(reverse("notifications:calendar_reset"))
    new = CalendarFeed.objects.get(user=world.official).secret
    assert new != old
    client.logout()
    assert client.get(reverse("notifications:feed", args=[old])).status_code == 404
    assert client.get(reverse("notifications:feed", args=[new])).status_code == 200


def test_an_inactive_users_feed_is_not_found(world, client):
    secret = calendar_feed_of(world.official).secret
    world.official.is_active = False
    world.official.save()
    assert client.get(reverse("notifications:feed", args=[secret])).status_code == 404
