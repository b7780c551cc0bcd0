"""Reminders (X2), the in-app inbox they land in, each person's channels, and calendar feeds.

A reminder is a row before it is a message: its `key` names the kind, the object and the
period, unique per recipient, so the scheduler can create it any number of times and it
exists once. A worker claims it with a conditional update before sending, and marks it sent
with another, so two workers never both send it and a crashed one leaves it to be retried.

A reminder goes to a user, by the channels they chose, or to an e-mail address: people a room
asks without their having an account (a team's contact about their project). The kinds are
the rooms' own, read from the reminder registry.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.reminders import chosen_kind_choices, kind_choices

from .choices import Channel


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def unsent(self):
        return self.filter(sent_at__isnull=True)

    def claimable(self, stale_before):
        """Unsent rows nobody holds: never claimed, or claimed by a worker that went quiet;
        a reminder whose thing was done before it went is not sent at all."""
        return (
            self.unsent()
            .filter(settled_at__isnull=True)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_before))
        )


class Reminder(models.Model):
    """One reminder for one person, once per kind, object and period."""

    kind = models.CharField(_("kind"), max_length=20, choices=kind_choices)
    key = models.CharField(max_length=200)  # "kind:object-id:period"
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        null=True,
        blank=True,
    )
    # Someone without an account, asked by address; the room wrote the whole message.
    email = models.EmailField(_("e-mail address"), blank=True)
    collaboration = models.ForeignKey(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="reminders"
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    url = models.CharField(max_length=500, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    # When the scheduler found the thing done (the check-in given, the invoice paid).
    settled_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="reminder_once_per_key"),
            models.UniqueConstraint(
                fields=["key", "email"],
                condition=Q(recipient__isnull=True),
                name="reminder_once_per_key_and_address",
            ),
            models.CheckConstraint(
                condition=(Q(recipient__isnull=False) & Q(email=""))
                | (Q(recipient__isnull=True) & ~Q(email="")),
                name="reminder_to_a_user_or_an_address",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def address(self) -> str:
        """Where its e-mail goes: the address it was made for, or its user's."""
        return self.email or (self.recipient.email if self.recipient else "")


class ReminderPass(models.Model):
    """The last pass of the scheduler that finished: for which day, and when it ran.

    A later pass the same day asks the reminder sources only about what changed since this
    one began (`enqueue_due`); the first pass of a day reads everything.
    """

    today = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    full = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.today}: {self.started_at:%H:%M:%S} to {self.finished_at:%H:%M:%S}"


class InboxItem(models.Model):
    """A message in a person's inbox; at most one per reminder, so a re-send adds none.

    Once the thing it reminds of is done, the scheduler marks it done and read: nobody
    has to mark it by hand.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items"
    )
    reminder = models.OneToOneField(
        Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbox_item"
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The thing it reminded of is done: the item is no longer new, and says so.
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="inbox_unread")]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """How a person wants one kind of reminder; without a row, both e-mail and inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=chosen_kind_choices)
    channel = models.CharField(
        _("channel"), max_length=5, choices=Channel.choices, default=Channel.BOTH
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.channel}"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret that opens a person's iCalendar feed without signing in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    secret = models.CharField(max_length=64, unique=True, default=new_secret)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"
