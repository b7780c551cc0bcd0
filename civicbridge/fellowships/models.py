"""A fellow's placement in an institution, and the preparation before day one (F2, F4)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped


class Placement(TimeStamped):
    """Who the fellow is, who supervises them, where and when; and both sides' commitment."""

    collaboration = models.OneToOneField(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="placement"
    )
    fellow = models.ForeignKey(
        "partners.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("fellow")
    )
    supervisor = models.ForeignKey(
        "partners.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supervisor"),
        help_text=_("The official who hosts the fellow in the institution."),
    )
    host_department = models.ForeignKey(
        "partners.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host department"),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    # F2: each side's own words on why they want this and how open they are to new ways.
    fellow_statement = models.TextField(_("the fellow's willingness and openness"), blank=True)
    fellow_statement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fellow_statement_at = models.DateTimeField(null=True, blank=True)
    supervisor_statement = models.TextField(
        _("the supervisor's willingness and openness"), blank=True
    )
    supervisor_statement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    supervisor_statement_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="placement_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return _("%(fellow)s with %(supervisor)s") % {
            "fellow": self.fellow,
            "supervisor": self.supervisor,
        }

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id


class PreparationBrief(TimeStamped):
    """What the fellow should know before the start: possibilities, priorities, challenges."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="brief")
    possibilities = models.TextField(_("possibilities"), blank=True)
    priorities = models.TextField(_("priorities"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    delivered_at = models.DateTimeField(_("delivered to the fellow"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return _("Preparation brief for %(fellow)s") % {"fellow": self.placement.fellow}

    @property
    def audit_organisation_id(self) -> int:
        return self.placement.collaboration.institution_id

    @property
    def complete(self) -> bool:
        return bool(self.possibilities and self.priorities and self.challenges)


class PreparationTask(TimeStamped):
    """One step of the countdown to the fellow's first day."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="preparation_tasks"
    )
    title = models.CharField(_("task"), max_length=300)
    days_before_start = models.PositiveSmallIntegerField(_("days before the start"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["-days_before_start", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.placement.collaboration.civic_organisation_id

    @property
    def due_on(self) -> date:
        return self.placement.start_date - timedelta(days=self.days_before_start)
