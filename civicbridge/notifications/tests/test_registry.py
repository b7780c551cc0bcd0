"""A room's reminders reach people through the registry: notifications names no room, yet
creates, claims and sends what any room registers, to users and to e-mail addresses alike."""

from datetime import date

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from civicbridge.collaborations import reminders
from civicbridge.collaborations.reminders import Due
from civicbridge.notifications.forms import PreferencesForm
from civicbridge.notifications.models import InboxItem, Reminder
from civicbridge.notifications.services import enqueue_due, send_reminder

DAY = date(2026, 3, 10)


@pytest.fixture
def new_room(world, collaboration):
    """A room nobody in notifications knows: it nudges the official, and asks a neighbour
    without an account, on DAY; it records what was sent and tidies up every pass."""
    sent: list[str] = []
    tidied: list[object] = []

    @reminders.register("workshop_nudge", "Workshop results to review", order=85)
    def nudges(today: date):
        if today == DAY:
            yield Due(
                "workshop_nudge",
                f"workshop_nudge:{collaboration.pk}:{today}",
                world.official.pk,
                collaboration.pk,
                "Review the workshop's results",
                "The mapping session left three changes to review.",
                f"/collaborations/{collaboration.pk}/",
                today,
            )

    @reminders.register("workshop_ask", "Workshop feedback", order=86, chosen=False)
    def asks(today: date):
        if today == DAY:
            yield Due(
                "workshop_ask",
                f"workshop_ask:{collaboration.pk}:{today}",
                None,
                collaboration.pk,
                "How was the workshop?",
                "Hello,\n\nTell us how the workshop went.\n",
                "https://example.org/feedback",
                today,
                email="neighbour@example.net",
            )

    @reminders.on_sent("workshop_ask")
    def record(reminder) -> None:
        sent.append(reminder.key)

    @reminders.daily_upkeep("workshop_tidy")
    def tidy(now) -> int:
        tidied.append(now)
        return 1

    yield {"sent": sent, "tidied": tidied}
    reminders.unregister("workshop_nudge")
    reminders.unregister("workshop_ask")
    reminders.unregister_upkeep("workshop_tidy")


def test_a_registered_source_is_created_and_sent_once_without_notifications_naming_it(
    world, new_room
):
    counts = enqueue_due(today=DAY)
    assert counts["created"] == 2 and counts["follow_ups"] == 1 and counts["workshop_tidy"] == 1
    nudge = Reminder.objects.get(kind="workshop_nudge")
    assert (nudge.recipient, nudge.email, nudge.sent_at is not None) == (world.official, "", True)
    assert InboxItem.objects.get().reminder == nudge
    ask = Reminder.objects.get(kind="workshop_ask")
    assert (ask.recipient, ask.email, ask.sent_at is not None) == (
        None,
        "neighbour@example.net",
        True,
    )
    assert new_room["sent"] == [ask.key]  # the room recorded the sending, once
    to_neighbour = [m for m in mail.outbox if m.to == ["neighbour@example.net"]]
    assert [m.body for m in to_neighbour] == [ask.body]  # the room's text, no account's frame
    assert [m.to for m in mail.outbox if m.subject == nudge.subject] == [["official@example.org"]]

    again = enqueue_due(today=DAY)
    assert (again["created"], again["follow_ups"]) == (0, 0)
    assert len(mail.outbox) == 2 and new_room["sent"] == [ask.key]
    assert send_reminder.call(ask.pk) is False


def test_a_registered_kind_is_a_choice_and_only_users_kinds_are_preferences(world, new_room):
    assert ("workshop_nudge", "Workshop results to review") in reminders.kind_choices()
    assert "workshop_ask" in dict(reminders.kind_choices())
    fields = PreferencesForm(current={}).fields
    assert fields["workshop_nudge"].label == "Workshop results to review"
    assert "workshop_ask" not in fields and "project_follow_up" not in fields


def test_a_reminder_goes_to_a_user_or_an_address_never_both_nor_neither(world, collaboration):
    fields = {"kind": "checkin_due", "collaboration": collaboration, "subject": "s", "body": "b"}
    for who in ({}, {"recipient": world.official, "email": "someone@example.net"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Reminder.objects.create(key="checkin_due:1:2026-03-10", **fields, **who)


def test_an_address_hears_of_each_key_once(collaboration):
    fields = {"kind": "project_follow_up", "collaboration": collaboration, "subject": "s"}
    Reminder.objects.create(key="project_follow_up:1:2026-03-10", email="a@example.net", **fields)
    Reminder.objects.create(key="project_follow_up:1:2026-03-10", email="b@example.net", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            key="project_follow_up:1:2026-03-10", email="a@example.net", **fields
        )
