"""The handover plan: successor officials, tasks and follow-ups after closing (F3)."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped

from ..choices import (
    StillRunning,
    TrainingStatus,
)
from .core import Collaboration


class Successor(TimeStamped):
    """An official who will carry the work on after the collaboration ends (F3)."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="successors"
    )
    person = models.ForeignKey(
        "partners.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("official")
    )
    takes_over = models.CharField(_("takes over"), max_length=300, blank=True)
    training_status = models.CharField(
        _("training"),
        max_length=12,
        choices=TrainingStatus.choices,
        default=TrainingStatus.NOT_STARTED,
    )

    class Meta:
        ordering = ["person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collaboration", "person"], name="successor_once")
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.institution_id


class HandoverTask(TimeStamped):
    """A task to finish before the work passes to the institution's officials."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="handover_tasks"
    )
    title = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        "partners.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["done_on", "due_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.institution_id


def new_token() -> str:
    return secrets.token_urlsafe(32)


class FollowUp(TimeStamped):
    """A question months after closing: does the institution still run what was built?

    Answered through a secret link, without an account.
    """

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="follow_ups"
    )
    months_after = models.PositiveSmallIntegerField(_("months after closing"))
    due_on = models.DateField(_("due on"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    answer = models.CharField(
        _("does the institution still run it?"),
        max_length=8,
        choices=StillRunning.choices,
        blank=True,
    )
    evidence = models.TextField(_("what runs now, and who looks after it"), blank=True)
    answered_by = models.CharField(_("your name"), max_length=200, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    audit_exclude = ("token",)  # the link is the key: it stays out of the audit log

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "months_after"], name="one_follow_up_per_period"
            )
        ]

    def __str__(self) -> str:
        return _("%(months)d-month follow-up") % {"months": self.months_after}

    def get_absolute_url(self) -> str:
        return reverse("collaborations:follow_up_answer", args=[self.token])

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.institution_id
