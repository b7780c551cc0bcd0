"""Goals with their indicators, baselines, targets and values (F1)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped

from ..choices import (
    GoalKind,
)
from .core import CollaborationRecord


class Goal(CollaborationRecord):
    """What the collaboration sets out to achieve (F1), measured by indicators."""

    kind = models.CharField(_("kind of goal"), max_length=20, choices=GoalKind.choices)
    title = models.CharField(_("goal"), max_length=300)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Indicator(TimeStamped):
    """A measure of a goal: where it started, where it should get to."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """The actual value of an indicator for one reporting period, and who reported it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period_end = models.DateField(_("period ending"))
    value = models.DecimalField(_("actual value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period_end"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_end"], name="one_value_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.period_end}: {self.value}"
