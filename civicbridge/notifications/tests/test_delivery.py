"""Every reminder arrives once: by the channels its recipient chose, through crashes and
workers running side by side."""

import io
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from civicbridge.collaborations.reminders import OBLIGATION_DUE
from civicbridge.fellowships.reminders import BRIEF_LATE
from civicbridge.notifications.choices import Channel
from civicbridge.notifications.models import InboxItem, Preference, Reminder
from civicbridge.notifications.services import STALE, enqueue_due, enqueue_unsent, send_reminder


def test_sending_twice_delivers_once(world, make_reminder):
    reminder = make_reminder()
    assert send_reminder.call(reminder.pk) is True
    assert send_reminder.call(reminder.pk) is False
    [message] = mail.outbox
    assert message.to == ["official@example.org"]
    assert message.subject == reminder.subject
    assert "/collaborations/" in message.body
    assert InboxItem.objects.filter(user=world.official).count() == 1
    reminder.refresh_from_db()
    assert reminder.sent_at is not None
    assert reminder.attempts == 1


def test_a_row_another_worker_holds_is_left_alone(make_reminder):
    reminder = make_reminder(claimed_at=timezone.now() - timedelta(minutes=1), claim_token="x")
    assert send_reminder.call(reminder.pk) is False
    assert enqueue_unsent() == 0
    assert mail.outbox == []


def test_a_worker_killed_between_claim_and_send_is_recovered_once(make_reminder):
    long_ago = timezone.now() - STALE - timedelta(minutes=1)
    reminder = make_reminder(claimed_at=long_ago, claim_token="dead", enqueued_at=long_ago)
    assert enqueue_unsent() == 1
    enqueue_unsent()
    assert len(mail.outbox) == 1
    assert InboxItem.objects.count() == 1
    reminder.refresh_from_db()
    assert reminder.sent_at is not None
    assert reminder.attempts == 1
    assert reminder.claim_token != "dead"


def test_a_resend_after_a_crash_before_marking_adds_no_second_inbox_item(world, make_reminder):
    reminder = make_reminder()
    Preference.objects.create(user=world.official, kind=reminder.kind, channel=Channel.INBOX)
    InboxItem.objects.create(user=world.official, reminder=reminder, title=reminder.subject)
    long_ago = timezone.now() - STALE - timedelta(minutes=1)
    Reminder.objects.filter(pk=reminder.pk).update(claimed_at=long_ago, claim_token="dead")
    enqueue_unsent()
    assert InboxItem.objects.count() == 1
    assert Reminder.objects.get(pk=reminder.pk).sent_at is not None


def test_a_failed_send_lets_go_of_the_claim_for_a_later_pass(make_reminder, monkeypatch):
    from civicbridge.notifications import services

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(services, "send_mail", broken)
    reminder = make_reminder()
    with pytest.raises(ConnectionRefusedError):
        send_reminder.call(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.claimed_at is None
    assert reminder.sent_at is None
    monkeypatch.undo()
    assert send_reminder.call(reminder.pk) is True
    assert len(mail.outbox) == 1
    assert InboxItem.objects.count() == 1


def test_the_last_failed_try_tells_the_admins_once_and_nobody_retries(
    make_reminder, monkeypatch, settings
):
    from civicbridge.notifications import services

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    settings.ADMINS = ["operator@example.org"]
    monkeypatch.setattr(services, "send_mail", broken)
    reminder = make_reminder()
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        with pytest.raises(ConnectionRefusedError):
            send_reminder.call(reminder.pk)
        # Only the last try speaks up: earlier ones are retried by a later pass.
        assert len(mail.outbox) == (1 if attempt == services.MAX_ATTEMPTS else 0)
    [message] = mail.outbox
    assert message.to == ["operator@example.org"]
    assert f"Reminder {reminder.pk}" in message.body and reminder.subject in message.body
    Reminder.objects.filter(pk=reminder.pk).update(enqueued_at=None)
    assert enqueue_unsent() == 0


@pytest.mark.parametrize(
    ("channel", "emails", "items"),
    [(Channel.EMAIL, 1, 0), (Channel.INBOX, 0, 1), (Channel.BOTH, 1, 1)],
)
def test_the_recipients_preference_chooses_the_channels(
    world, make_reminder, channel, emails, items
):
    Preference.objects.create(user=world.official, kind=OBLIGATION_DUE, channel=channel)
    # A preference for another kind changes nothing here.
    Preference.objects.create(user=world.official, kind=BRIEF_LATE, channel=Channel.EMAIL)
    send_reminder.call(make_reminder().pk)
    assert len(mail.outbox) == emails
    assert InboxItem.objects.count() == items


def test_an_inactive_recipient_gets_nothing(world, make_reminder):
    world.official.is_active = False
    world.official.save()
    reminder = make_reminder()
    send_reminder.call(reminder.pk)
    assert mail.outbox == []
    assert InboxItem.objects.count() == 0


# The worker closes its connection when it is done: a transaction test survives that.
@pytest.mark.django_db(transaction=True)
def test_one_database_worker_delivers_each_reminder_once(world, make_reminder, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    first = make_reminder()
    second = make_reminder(user=world.civic_lead, key="obligation_due:2:2026-03-10-soon")
    assert enqueue_unsent() == 2
    assert enqueue_unsent() == 0  # queued already: no second task per row
    assert mail.outbox == []
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == ["lead@example.org", "official@example.org"]
    assert Reminder.objects.filter(pk__in=[first.pk, second.pk], sent_at__isnull=False).count() == 2
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    assert len(mail.outbox) == 2


def test_the_command_runs_one_pass(make_reminder):
    reminder = make_reminder()
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert (
        out.getvalue().startswith("Reminders: ") and "event follow-ups: 0 sent." in out.getvalue()
    )
    assert Reminder.objects.get(pk=reminder.pk).sent_at is not None
    assert [m.subject for m in mail.outbox].count(reminder.subject) == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_deliver_each_reminder_once_on_postgresql(world, make_reminder):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite runs one writer at a time.")
    reminders = [
        make_reminder(user=user, key=f"obligation_due:{n}:2026-03-10-soon")
        for n in range(10)
        for user in (world.official, world.civic_lead, world.fellow)
    ]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            for reminder in reminders:
                send_reminder.call(reminder.pk)
            enqueue_unsent()  # and the scheduler's recovery pass, racing the other worker's
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(mail.outbox) == len(reminders)
    assert len({(m.to[0], m.subject, m.body) for m in mail.outbox}) <= len(reminders)
    assert InboxItem.objects.count() == len(reminders)
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0
    assert sorted(Reminder.objects.values_list("attempts", flat=True)) == [1] * len(reminders)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_create_and_send_each_reminder_once_on_postgresql(
    world, collaboration
):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite runs one writer at a time.")
    import time_machine

    day = collaboration.start_date + timedelta(days=14)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def scheduler() -> None:
        try:
            start.wait()
            enqueue_due(today=day)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(day, tick=False):
        threads = [threading.Thread(target=scheduler) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert Reminder.objects.count() == 3
    assert len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "fellow@example.org",
        "lead@example.org",
        "official@example.org",
    ]
