"""Who is involved on each side of a collaboration (F7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped

from ..choices import (
    StakeholderRole,
)
from .core import Collaboration


class Stakeholder(TimeStamped):
    """A person of either side with a role in the collaboration (F7)."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="stakeholders"
    )
    person = models.ForeignKey("partners.Person", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("side")
    )
    department = models.ForeignKey(
        "partners.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=20, choices=StakeholderRole.choices)

    class Meta:
        ordering = ["organisation__name", "role", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "person", "role"], name="stakeholder_once_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id
