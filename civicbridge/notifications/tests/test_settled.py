"""A reminder whose thing is done settles by itself: its inbox item shows as done and is no
longer new, and a reminder not sent yet is never sent."""

from datetime import date, timedelta

from django.core import mail

from civicbridge.collaborations.choices import ObligationStatus
from civicbridge.collaborations.models import Obligation
from civicbridge.collaborations.reminders import OBLIGATION_DUE
from civicbridge.notifications.models import InboxItem, Reminder
from civicbridge.notifications.services import send_reminder, settle_done

from .test_schedule import run_on

DUE = date(2026, 4, 10)


def obligation(world, agreement) -> Obligation:
    return Obligation.objects.create(
        agreement=agreement,
        party=world.institution,
        description="Provide a desk.",
        owner=world.official.person,
        due_date=DUE,
    )


def test_the_inbox_item_of_an_obligation_done_shows_as_done(world, agreement):
    desk = obligation(world, agreement)
    run_on(DUE - timedelta(days=7))
    item = InboxItem.objects.get(user=world.official, reminder__kind=OBLIGATION_DUE)
    assert item.read_at is None and item.done_at is None
    run_on(DUE - timedelta(days=6))
    item.refresh_from_db()
    assert item.done_at is None  # still owed: nothing changes
    desk.status = ObligationStatus.DONE
    desk.save()
    run_on(DUE - timedelta(days=5))
    item.refresh_from_db()
    assert item.done_at is not None and item.read_at is not None
    assert Reminder.objects.get(kind=OBLIGATION_DUE).settled_at is not None


def test_a_reminder_settled_before_it_went_is_never_sent(world, agreement, make_reminder):
    desk = obligation(world, agreement)
    reminder = make_reminder(key=f"{OBLIGATION_DUE}:{desk.pk}:{DUE}-soon")
    desk.status = ObligationStatus.DONE
    desk.save()
    assert settle_done() == 1
    assert settle_done() == 0  # once
    assert send_reminder.call(reminder.pk) is False
    reminder.refresh_from_db()
    assert reminder.sent_at is None and not mail.outbox
    assert not InboxItem.objects.exists()
