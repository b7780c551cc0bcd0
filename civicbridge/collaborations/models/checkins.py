"""Check-ins from both sides on a schedule (F5)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .core import CollaborationRecord


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
