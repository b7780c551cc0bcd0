"""Every write of the notifications app: reminders created, claimed and sent; the inbox,
preferences and calendar feed each person keeps.

What is due comes from the reminder registry (`civicbridge.collaborations.reminders`), where
each room registers its sources: this app names no room. Reminders to users and reminders
to the e-mail addresses of people without an account (an event's project follow-ups) take
the same steps.

Exactly once, step by step:
1. `enqueue_due` creates the due reminders a batch at a time: it leaves out those whose
   (key, recipient or address) it finds, and inserts the rest skipping any that conflict
   with the unique constraints, so a second scheduler, or a second run, adds no row. The
   first pass of a day asks every source for everything due; a later pass that day asks
   the sources that can only about what changed since the last pass (`ReminderPass`).
2. It claims a batch of unsent rows nobody holds by noting when it enqueued them (in one
   transaction that locks them, skipping rows another scheduler holds), then enqueues one
   `send_reminders` task for the batch, so that a backlog is not enqueued again at every pass.
3. The worker claims each row with a conditional update; a worker that changes no row
   leaves it to the one that did.
4. The worker delivers (inbox first, then e-mail), then marks the row sent, on its claim; in
   the same transaction the room records the sending, if it registered to.
A worker that dies after the claim leaves `claimed_at` set and `sent_at` empty: after
`STALE` the next pass enqueues the row again, and the claim condition lets it through.
"""

import logging
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import mail_admins, send_mail
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from civicbridge.collaborations import reminders

from .choices import Channel
from .models import CalendarFeed, InboxItem, Preference, Reminder, ReminderPass

logger = logging.getLogger(__name__)

STALE = timedelta(minutes=10)  # a claim older than this belongs to a worker that died
MAX_ATTEMPTS = 5


def channel_for(user_id: int, kind: str) -> str:
    """How `user_id` wants reminders of `kind`: e-mail and inbox unless they said otherwise."""
    chosen = Preference.objects.filter(user_id=user_id, kind=kind).values_list("channel", flat=True)
    return next(iter(chosen), Channel.BOTH)


BATCH = 500  # reminders created, or enqueued for one task, at a time
# A later pass reads what changed from a little before the last pass began: a change
# committed while that pass read the same table is not missed.
SINCE_MARGIN = timedelta(minutes=5)


def enqueue_due(
    today: date | None = None, now: datetime | None = None, *, full: bool = False
) -> dict[str, int]:
    """Create the reminders due `today`, enqueue every unsent one nobody holds, then run
    each room's daily upkeep.

    The first pass of a day, or with `full`, asks every source for everything due; a later
    pass that day asks the sources that can only about what changed since the last pass.
    Says how many reminders were created and enqueued, how many to e-mail addresses (the
    events' project follow-ups) were sent during the pass (all of those enqueued, when the
    tasks run at once; none, when a worker sends them later), and what each upkeep changed.
    """
    today = today or timezone.localdate()
    started = timezone.now()
    since = None if full else _since(today, started)
    created = 0
    batch: list[reminders.Due] = []
    for due in reminders.due_reminders(today, since):
        batch.append(due)
        if len(batch) >= BATCH:
            created += _create(batch)
            batch = []
    created += _create(batch)
    enqueued = enqueue_unsent(now)
    by_address = Reminder.objects.exclude(email="").filter(sent_at__gte=started).count()
    upkeep = reminders.run_upkeep(now or timezone.now())
    ReminderPass.objects.update_or_create(
        pk=1,
        defaults={
            "today": today,
            "started_at": started,
            "finished_at": timezone.now(),
            "full": since is None,
        },
    )
    return {"created": created, "enqueued": enqueued, "follow_ups": by_address, **upkeep}


def _since(today: date, started: datetime) -> datetime | None:
    """When a pass for `today` starting at `started` may read changes from; None if it must
    read everything: no pass finished before it the same day."""
    last = ReminderPass.objects.filter(pk=1).first()
    if last is None or last.today != today or started < last.finished_at:
        return None
    return last.started_at - SINCE_MARGIN


def _create(batch: list[reminders.Due]) -> int:
    """Insert the reminders of `batch` that do not exist yet; how many were new."""
    if not batch:
        return 0
    existing = set(
        Reminder.objects.filter(key__in={due.key for due in batch}).values_list(
            "key", "recipient_id", "email"
        )
    )
    new: dict[tuple, Reminder] = {}
    for due in batch:
        identity = (due.key, due.recipient_id, "" if due.recipient_id else due.email)
        if identity in existing or identity in new:
            continue
        new[identity] = Reminder(
            kind=due.kind,
            key=due.key,
            recipient_id=due.recipient_id,
            email=identity[2],
            collaboration_id=due.collaboration_id,
            subject=due.subject[:300],
            body=due.body,
            url=due.url,
            due_on=due.due_on,
        )
    # Another scheduler may insert the same rows meanwhile: the unique constraints keep one.
    Reminder.objects.bulk_create(new.values(), ignore_conflicts=True)
    return len(new)


def enqueue_unsent(now: datetime | None = None) -> int:
    """Enqueue a send for each unsent row that is unclaimed or whose claim went stale, a
    batch per task.

    A row enqueued less than `STALE` ago waits: its task is still in the queue.
    """
    now = now or timezone.now()
    stale = now - STALE
    waiting = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale)
    pending = (
        Reminder.objects.claimable(stale)
        .filter(waiting, attempts__lt=MAX_ATTEMPTS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    enqueued = 0
    candidates = list(pending)
    for start in range(0, len(candidates), BATCH):
        # Another scheduler may be enqueueing the same rows: it skips those locked here,
        # and only the rows still waiting when locked here are marked and enqueued here.
        with transaction.atomic():
            batch = list(
                pending.filter(pk__in=candidates[start : start + BATCH]).select_for_update(
                    skip_locked=True
                )
            )
            if batch:
                Reminder.objects.filter(waiting, pk__in=batch).update(enqueued_at=now)
        if batch:
            send_reminders.enqueue(batch)
            enqueued += len(batch)
    return enqueued


def _claim(reminder_id: int, now: datetime) -> str | None:
    """Take the row for this worker; None when it is sent or another worker holds it."""
    token = secrets.token_hex(16)
    claimed = (
        Reminder.objects.claimable(now - STALE)
        .filter(pk=reminder_id)
        .update(claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    )
    return token if claimed else None


@task()
def send_reminders(reminder_ids: list[int]) -> int:
    """Deliver each reminder of a batch, each claimed on its own; how many went. One that
    fails is let go for a later pass and the others still go; the task then fails, so its
    traceback is kept."""
    sent, failed = 0, []
    for reminder_id in reminder_ids:
        try:
            sent += deliver(reminder_id)
        except Exception:
            logger.exception("Reminder %s could not be sent; a later pass retries it.", reminder_id)
            failed.append(reminder_id)
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(reminder_ids)} reminders failed: {failed}")
    return sent


@task()
def send_reminder(reminder_id: int) -> bool:
    """Deliver one reminder (`deliver`)."""
    return deliver(reminder_id)


def deliver(reminder_id: int) -> bool:
    """Deliver one reminder, at most once per claim: to a user by their channels, or to the
    e-mail address of someone without an account."""
    now = timezone.now()
    token = _claim(reminder_id, now)
    if token is None:
        return False
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    try:
        if reminder.recipient is None:
            # The room wrote the whole message: there is no account to greet, nor channels.
            send_mail(reminder.subject, reminder.body, None, [reminder.email])
        else:
            _deliver_to_user(reminder)
    except Exception:
        # Let go of the claim so a later pass retries; the task records the traceback.
        Reminder.objects.filter(pk=reminder_id, claim_token=token).update(claimed_at=None)
        if reminder.attempts >= MAX_ATTEMPTS:
            _tell_admins_it_failed(reminder)
        raise
    with transaction.atomic():
        reminder.sent_at = timezone.now()
        marked = Reminder.objects.filter(
            pk=reminder_id, claim_token=token, sent_at__isnull=True
        ).update(sent_at=reminder.sent_at)
        if marked:
            reminders.record_sent(reminder)
    if not marked:
        logger.warning(
            "Reminder %s was sent, but its claim had passed to another worker.", reminder_id
        )
    return bool(marked)


def _deliver_to_user(reminder: Reminder) -> None:
    recipient = reminder.recipient
    assert recipient is not None
    channel = channel_for(recipient.pk, reminder.kind)
    if recipient.is_active and channel in (Channel.INBOX, Channel.BOTH):
        # Unique per reminder: a re-send after a crash finds the item it made before.
        InboxItem.objects.get_or_create(
            reminder=reminder,
            defaults={
                "user": recipient,
                "title": reminder.subject,
                "body": reminder.body,
                "url": reminder.url,
            },
        )
    if recipient.is_active and recipient.email and channel in (Channel.EMAIL, Channel.BOTH):
        # The one step that can happen twice: if the worker dies after the mail server
        # took the message and before the mark, the row is re-sent after STALE. Nothing
        # else runs between the two, which keeps that window as small as it goes.
        send_mail(reminder.subject, _email_body(reminder), None, [recipient.email])


def absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def _tell_admins_it_failed(reminder: Reminder) -> None:
    """The last try failed: nobody will retry, so the operators must hear of it."""
    logger.error("Reminder %s failed %s times; it will not be retried.", reminder.pk, MAX_ATTEMPTS)
    try:
        mail_admins(
            f"A reminder could not be sent after {MAX_ATTEMPTS} tries",
            f"Reminder {reminder.pk} ({reminder.kind}) to "
            f"{reminder.address or reminder.recipient} failed {MAX_ATTEMPTS} times and "
            f"will not be retried.\n\nSubject: {reminder.subject}\n\n"
            "The task worker's log holds each failure's traceback.",
        )
    except Exception:
        # The mail server may be what failed: the log line above must then do.
        logger.exception("The admins could not be told of reminder %s.", reminder.pk)


def _email_body(reminder: Reminder) -> str:
    return render_to_string(
        "notifications/reminder_email.txt",
        {
            "reminder": reminder,
            "link": absolute(reminder.url),
            "preferences": absolute(reverse("notifications:preferences")),
        },
    )


def mark_read(user, item: InboxItem) -> InboxItem:
    """Mark one of `user`'s inbox items read (the view fetched it through `get_item_for`)."""
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    return item


def mark_all_read(user) -> int:
    return InboxItem.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def save_preferences(user, channels: dict[str, str]) -> None:
    """Keep `user`'s channel for each kind; the default needs no row."""
    for kind, channel in channels.items():
        if channel == Channel.BOTH:
            Preference.objects.filter(user=user, kind=kind).delete()
        else:
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})


def calendar_feed_of(user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def reset_calendar_feed(user) -> CalendarFeed:
    """Give `user`'s feed a new secret: the old address stops working at once."""
    feed = calendar_feed_of(user)
    feed.secret = secrets.token_urlsafe(32)
    feed.save(update_fields=["secret"])
    return feed


SETTLE_BATCH = 500


def settle_done(now: datetime | None = None) -> int:
    """Settle the reminders whose thing is done (each room's `settled` rule says which):
    none of them is sent any more, and their inbox items show as done and are no longer
    new. Says how many reminders it settled.

    Exactly once still holds: the claim refuses a settled row, and a worker that claimed
    one before it was settled sends it once, as before; its inbox item is marked done on
    the next pass.
    """
    now = now or timezone.now()
    settled = 0
    for kind, rule in reminders.settlers().items():
        waiting = Reminder.objects.filter(kind=kind, settled_at__isnull=True)
        done = list(rule(waiting))
        for start in range(0, len(done), SETTLE_BATCH):
            batch = done[start : start + SETTLE_BATCH]
            with transaction.atomic():
                settled += Reminder.objects.filter(pk__in=batch, settled_at__isnull=True).update(
                    settled_at=now
                )
    # Items made by a worker that held its claim while the reminder was settled, too.
    InboxItem.objects.filter(reminder__settled_at__isnull=False, done_at__isnull=True).update(
        done_at=now, read_at=Coalesce(F("read_at"), Value(now))
    )
    return settled
