"""Check-ins from both sides on a schedule (F5)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .core import Collaboration, CollaborationRecord


class CheckIn(CollaborationRecord):
    """One side's update for one check-in date (F5); `owner_organisation` is the side."""

    due_on = models.DateField(_("check-in date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    workflow = models.TextField(_("how the work is going"))
    problems = models.TextField(_("problems detected"), blank=True)
    quality = models.PositiveSmallIntegerField(
        _("quality of the collaboration"),
        help_text=_("1 is very poor, 5 is excellent."),
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "owner_organisation", "due_on"],
                name="one_checkin_per_side_and_date",
            ),
            models.CheckConstraint(
                condition=Q(quality__gte=1, quality__lte=5), name="checkin_quality_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.quality}/5"


class OwedCheckIn(models.Model):
    """Per collaboration and side, the first check-in date the side's updates leave
    uncovered (None when the schedule has no such date).

    Kept by `services.checkins.refresh_owed_checkins` whenever a check-in is given, the
    stage, the start date, the cadence or a party changes, so that home, the reminders and
    the inbox read what a side owes without reading its check-ins. Whether a date is owed
    yet also depends on the stage: only collaborations taking check-ins owe them.
    """

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="owed_checkins"
    )
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    first_due = models.DateField(_("first date not covered"), null=True, blank=True)
    # When it was last kept: a later reminder pass of the day reads only what changed.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "organisation"], name="owed_checkin_once_per_side"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "first_due"], name="owed_checkin_by_side"),
        ]

    def __str__(self) -> str:
        return f"{self.collaboration_id}/{self.organisation_id}: {self.first_due}"
