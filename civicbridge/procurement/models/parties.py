"""How an organisation is known in a public register, as OCDS names a party."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped


class PartyIdentifier(TimeStamped):
    """An organisation's id in a register, such as its company number under GB-COH.

    OCDS names parties by `identifier.scheme` (a code of org-id.guide) and
    `identifier.id`: exports publish it, and imports find the organisation by it again.
    """

    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="party_identifiers"
    )
    scheme = models.CharField(
        _("register"), max_length=50, help_text=_("The org-id.guide code, for example GB-COH.")
    )
    identifier = models.CharField(_("id in the register"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=255, blank=True)

    class Meta:
        ordering = ["organisation", "scheme", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "identifier"],
                name="party_identifier_once",
                violation_error_message=_("Another organisation has this id in this register."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme}-{self.identifier}"

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id
