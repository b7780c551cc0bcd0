"""Each person's inbox, reminder channels and calendar feed through the API."""

from civicbridge.collaborations.reminders import CHECKIN_DUE, OBLIGATION_DUE
from civicbridge.notifications.choices import Channel
from civicbridge.notifications.models import InboxItem, Preference

from .helpers import V1, patch_json, post_json

# Every kind a user chooses channels for, each room's; the project follow-ups, which go to
# people without an account, are none of them.
KINDS = [
    "checkin_due",
    "checkin_overdue",
    "obligation_due",
    "mou_unsigned",
    "brief_late",
    "deliverable_due",
    "handover_open",
    "follow_up_due",
    "invoice_overdue",
    "policy_milestone_due",
    "policy_stage_stale",
]


def add_items(user, count: int) -> list[InboxItem]:
    return InboxItem.objects.bulk_create(
        InboxItem(user=user, title=f"Reminder {n}", body="Due soon.", url="/") for n in range(count)
    )


def test_the_inbox_lists_only_your_messages_and_counts_the_unread(world, client_for):
    mine = add_items(world.official, 3)
    add_items(world.civic_lead, 2)
    body = client_for(world.official).get(f"{V1}/notifications?limit=2").json()
    assert [item["id"] for item in body["items"]] == [item.pk for item in mine[:2]]
    assert body["unread"] == 3 and body["next"] == mine[1].pk
    assert client_for(None).get(f"{V1}/notifications").status_code == 401


def test_marking_messages_read(world, client_for):
    first = add_items(world.official, 3)[0]
    theirs = add_items(world.civic_lead, 1)[0]
    client = client_for(world.official)
    read = post_json(client, f"{V1}/notifications/{first.pk}/read")
    assert read.status_code == 200 and read.json()["read_at"]
    # Another person's message is not found, and stays unread.
    assert post_json(client, f"{V1}/notifications/{theirs.pk}/read").status_code == 404
    assert client.get(f"{V1}/notifications").json()["unread"] == 2
    assert post_json(client, f"{V1}/notifications/read-all").json() == {"marked": 2}
    assert not InboxItem.objects.filter(user=world.official, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_change_only_the_kinds_named(world, client_for):
    url = f"{V1}/notifications/preferences"
    client = client_for(world.fellow)
    assert client.get(url).json()["channels"] == dict.fromkeys(KINDS, "both")
    changed = patch_json(client, url, {"channels": {"checkin_due": "email"}})
    assert changed.status_code == 200, changed.content
    assert changed.json()["channels"]["checkin_due"] == "email"
    patch_json(client, url, {"channels": {"obligation_due": "inbox"}})
    assert dict(Preference.objects.filter(user=world.fellow).values_list("kind", "channel")) == {
        CHECKIN_DUE: Channel.EMAIL,
        OBLIGATION_DUE: Channel.INBOX,
    }
    assert patch_json(client, url, {"channels": {"birthday": "email"}}).status_code == 422
    assert patch_json(client, url, {"channels": {"checkin_due": "pigeon"}}).status_code == 422
    assert Preference.objects.filter(user=world.fellow).count() == 2
    # Back to both: the default needs no row.
    patch_json(client, url, {"channels": {"checkin_due": "both", "obligation_due": "both"}})
    assert not Preference.objects.filter(user=world.fellow).exists()
    assert client_for(world.official).get(url).json()["channels"]["checkin_due"] == "both"
    assert patch_json(client_for(None), url, {"channels": {}}).status_code == 401


def test_the_calendar_address_and_its_reset(world, client_for):
    client = client_for(world.civic_lead)
    old = client.get(f"{V1}/notifications/calendar").json()["url"]
    assert old.startswith("http://testserver/calendar/") and old.endswith(".ics")
    assert client.get(old).status_code == 200
    new = post_json(client, f"{V1}/notifications/calendar/reset").json()["url"]
    assert new != old
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200
    assert client.get(f"{V1}/notifications/calendar").json()["url"] == new
    assert client_for(None).get(f"{V1}/notifications/calendar").status_code == 401
