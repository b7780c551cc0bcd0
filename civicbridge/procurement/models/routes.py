"""Procurement routes and the rules of each jurisdiction that allow or forbid them (S3, S5, S6).

Rules are data that admins edit, each with its source and the date it was read, so a
refusal can always name the rule and where it comes from.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped

from ..choices import Route, RouteVerdict


class Jurisdiction(TimeStamped):
    """A place whose procurement law applies: a country, a state, a city."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    example = models.BooleanField(
        _("example only"),
        default=False,
        help_text=_("Rules made up to show how the platform works; not the law of any place."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class RuleSource(models.Model):
    """Where a rule comes from and when it was read."""

    source = models.CharField(
        _("source"), max_length=500, help_text=_("The law, regulation or guidance, with a link.")
    )
    source_date = models.DateField(_("as read on"))

    class Meta:
        abstract = True


class RouteRule(RuleSource, TimeStamped):
    """Whether a jurisdiction lets an institution use a route, and up to what value."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="route_rules"
    )
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    allowed = models.BooleanField(_("allowed"))
    max_value = models.DecimalField(
        _("allowed up to"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty when the route is allowed at any value."),
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    explanation = models.TextField(_("what the rule says"))

    class Meta:
        ordering = ["jurisdiction", "route"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "route"], name="one_rule_per_route"),
            models.CheckConstraint(
                condition=Q(max_value__isnull=True) | ~Q(currency=""),
                name="route_rule_threshold_has_currency",
                violation_error_message=_("A value threshold needs its currency."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction}: {self.get_route_display()}"


class RuleHistoryEntry(TimeStamped):
    """One change of a jurisdiction's route rule: when, by whom, what changed, and the
    policy collaboration that brought it about, when one did (S3, S6)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="rule_history"
    )
    rule = models.ForeignKey(
        RouteRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="history"
    )
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    what = models.CharField(_("what changed"), max_length=500)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    because_of = models.ForeignKey(
        "collaborations.Collaboration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed because of"),
    )

    class Meta:
        ordering = ["jurisdiction", "-created_at", "-id"]
        verbose_name_plural = _("rule history entries")

    def __str__(self) -> str:
        return f"{self.jurisdiction}: {self.what}"


class StatutoryStep(RuleSource, TimeStamped):
    """A step the law requires on a route, with its minimum duration (S5)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="statutory_steps"
    )
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=200)
    minimum_days = models.PositiveSmallIntegerField(_("minimum days"))

    class Meta:
        ordering = ["jurisdiction", "route", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "route", "order"], name="one_step_per_place"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProcurementPlan(TimeStamped):
    """The route chosen for a service-delivery collaboration, and what the rules said of it."""

    collaboration = models.OneToOneField(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="procurement_plan"
    )
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jurisdiction"),
        help_text=_("Leave empty when no jurisdiction here fits; the choice is then a risk."),
    )
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3)
    procurement_starts_on = models.DateField(
        _("procurement starts on"), help_text=_("The day the institution begins its buying steps.")
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=RouteVerdict.choices)
    verdict_reason = models.TextField(_("why"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.get_route_display()} ({self.collaboration})"

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id
