"""A proposal to replace one party of a collaboration, which both sides' admins approve."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped

from ..choices import PartyChangeStatus, PartySide
from .core import Collaboration


class PartyChangeQuerySet(models.QuerySet["PartyChange"]):
    def open(self):
        return self.filter(status=PartyChangeStatus.OPEN)


class PartyChange(TimeStamped):
    """One party replaced by its successor (a merger, a successor body), once an admin of
    each side approves; until then, and if withdrawn, the parties stay as they are."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="party_changes"
    )
    side = models.CharField(_("the side replaced"), max_length=20, choices=PartySide.choices)
    replaced = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation replaced"),
    )
    successor = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("successor organisation"),
    )
    reason = models.TextField(_("why"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    civic_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    civic_approved_at = models.DateTimeField(null=True, blank=True)
    institution_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    institution_approved_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PartyChangeStatus.choices,
        default=PartyChangeStatus.OPEN,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = PartyChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration"],
                condition=Q(status=PartyChangeStatus.OPEN),
                name="one_open_party_change",
                violation_error_message=_(
                    "A change of party is already waiting for approval: decide it first."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("replaced")),
                name="party_change_names_another_organisation",
                violation_error_message=_("The successor must be another organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.replaced} → {self.successor}"

    @property
    def audit_organisation_id(self) -> int:
        return self.replaced_id
