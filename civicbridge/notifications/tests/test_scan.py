"""The reminder scan is set-based and incremental: reminders are inserted a batch at a time
and skipped when they exist, enqueued a batch per task, and a later pass the same day asks
the sources only about what changed since the pass before."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civicbridge.collaborations import reminders
from civicbridge.collaborations.choices import ObligationStatus
from civicbridge.collaborations.models import Obligation
from civicbridge.collaborations.reminders import CHECKIN_OVERDUE, OBLIGATION_DUE, Due
from civicbridge.collaborations.reminders.shared import checkins_overdue
from civicbridge.collaborations.services.checkins import refresh_owed_checkins
from civicbridge.notifications import services
from civicbridge.notifications.models import Reminder, ReminderPass
from civicbridge.notifications.services import enqueue_due, enqueue_unsent

DAY = date(2026, 3, 10)


@pytest.fixture
def counting_source(world, collaboration):
    """A source that takes `since`: it says what it was asked, and yields one reminder per
    organisation member for each of `keys`."""
    asked: list[datetime | None] = []
    keys: list[str] = ["a"]

    @reminders.register("scan_probe", "Probe", order=990)
    def probe(today: date, since: datetime | None = None):
        asked.append(since)
        for key in keys:
            for user in (world.official, world.civic_lead):
                yield Due(
                    "scan_probe",
                    f"scan_probe:{collaboration.pk}:{key}",
                    user.pk,
                    collaboration.pk,
                    "Probe",
                    "Probe.",
                    "/",
                    today,
                )

    yield {"asked": asked, "keys": keys}
    reminders.unregister("scan_probe")


def test_a_later_pass_the_same_day_asks_only_what_changed_since_the_last(counting_source):
    asked = counting_source["asked"]
    first = enqueue_due(today=DAY)
    assert asked == [None]  # the first pass of the day reads everything
    assert first["created"] == Reminder.objects.filter(kind="scan_probe").count() == 2
    last = ReminderPass.objects.get()
    assert (last.today, last.full) == (DAY, True)
    counting_source["keys"].append("b")
    second = enqueue_due(today=DAY)
    assert asked[1] == last.started_at - services.SINCE_MARGIN
    assert second["created"] == 2  # only the new key's: the first two exist already
    assert ReminderPass.objects.get().full is False
    enqueue_due(today=DAY + timedelta(days=1))
    assert asked[2] is None  # a new day reads everything again
    enqueue_due(today=DAY + timedelta(days=1), full=True)
    assert asked[3] is None


def test_a_pass_after_one_that_did_not_finish_reads_everything(counting_source):
    asked = counting_source["asked"]
    enqueue_due(today=DAY)
    ReminderPass.objects.update(finished_at=timezone.now() + timedelta(hours=1))
    enqueue_due(today=DAY)
    assert asked == [None, None]


def test_an_obligation_changed_after_the_first_pass_is_reminded_on_the_next(
    world, collaboration, agreement
):
    today = timezone.localdate()
    obligation = Obligation.objects.create(
        agreement=agreement,
        party=world.institution,
        description="Provide a desk.",
        due_date=today + timedelta(days=30),
    )
    enqueue_due(today=today)
    assert not Reminder.objects.filter(kind=OBLIGATION_DUE).exists()
    obligation.due_date = today + timedelta(days=3)
    obligation.save()
    enqueue_due(today=today)
    assert Reminder.objects.filter(kind=OBLIGATION_DUE).count() == 1
    # Unchanged since, it is not read again, and nothing new is made.
    assert enqueue_due(today=today)["created"] == 0
    obligation.status = ObligationStatus.DONE
    obligation.save()
    assert enqueue_due(today=today)["created"] == 0


def test_reminders_are_created_a_batch_at_a_time_once_each(counting_source, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 4)
    counting_source["keys"][:] = [str(n) for n in range(10)]  # 20 reminders
    with CaptureQueriesContext(connection) as queries:
        assert enqueue_due(today=DAY, full=True)["created"] == 20
    inserts = [
        q
        for q in queries
        if q["sql"].startswith("INSERT") and '"notifications_reminder"' in q["sql"]
    ]
    assert len(inserts) == 5  # a statement per batch of 4, not one per reminder
    counting_source["keys"].append("new")
    again = enqueue_due(today=DAY, full=True)
    assert again["created"] == 2
    assert Reminder.objects.filter(kind="scan_probe").count() == 22


def test_unsent_reminders_are_enqueued_a_batch_per_task(world, make_reminder, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 2)
    batches: list[list[int]] = []
    monkeypatch.setattr(services, "send_reminders", SimpleNamespace(enqueue=batches.append))
    made = [make_reminder(key=f"obligation_due:{n}:2026-03-10-soon") for n in range(5)]
    assert enqueue_unsent() == 5
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert sorted(pk for batch in batches for pk in batch) == sorted(r.pk for r in made)
    assert enqueue_unsent() == 0  # queued already: no second task per row


def test_a_reminder_that_fails_leaves_the_rest_of_its_batch_to_go(
    world, make_reminder, monkeypatch
):
    first = make_reminder(key="obligation_due:1:2026-03-10-soon")
    failing = make_reminder(key="obligation_due:2:2026-03-10-soon", user=world.civic_lead)
    last = make_reminder(key="obligation_due:3:2026-03-10-soon", user=world.fellow)
    deliver = services._deliver_to_user

    def flaky(reminder):
        if reminder.pk == failing.pk:
            raise ConnectionError("The mail server went away.")
        deliver(reminder)

    monkeypatch.setattr(services, "_deliver_to_user", flaky)
    with pytest.raises(RuntimeError, match="1 of 3"):
        services.send_reminders.call([first.pk, failing.pk, last.pk])
    sent = set(Reminder.objects.filter(sent_at__isnull=False).values_list("pk", flat=True))
    assert sent == {first.pk, last.pk}
    assert Reminder.objects.get(pk=failing.pk).claimed_at is None  # let go for a retry
    assert len(mail.outbox) == 2


def test_check_ins_owed_after_the_first_pass_are_reminded_on_the_next(world, collaboration):
    enqueue_due(today=DAY)
    assert not Reminder.objects.filter(kind=CHECKIN_OVERDUE).exists()
    # The sides agree the work began a month earlier: dates before today are owed now.
    collaboration.start_date -= timedelta(days=30)
    collaboration.save()
    refresh_owed_checkins(collaboration)  # as the service that changes the dates does
    enqueue_due(today=DAY)
    assert Reminder.objects.filter(kind=CHECKIN_OVERDUE).count() > 0
    # A later pass reads only what was kept since: none of it now.
    later = timezone.now()
    assert list(checkins_overdue(DAY, since=later)) == []
    assert list(checkins_overdue(DAY, since=None)) != []
