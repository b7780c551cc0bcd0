"""The MOU: its versions, obligations and signatures (F6)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped

from .. import signing
from ..choices import (
    ObligationStatus,
)
from ..signing import SignatureBase, SignatureQuerySet
from .core import Collaboration


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def fully_signed(self):
        """Agreements both sides signed in their current version."""
        current = Signature.objects.valid().filter(
            agreement=OuterRef("pk"), version=OuterRef("version")
        )
        return self.filter(
            signing.signed_by_all(
                current, "collaboration__civic_organisation", "collaboration__institution"
            )
        )


class Agreement(TimeStamped):
    """The MOU: its terms, its obligations and, per version, both sides' signatures (F6).

    Any change to the terms or to an obligation's terms makes a new version and voids the
    signatures of the old one; marking obligations done is tracking, not a change of terms.
    """

    collaboration = models.OneToOneField(
        Collaboration, on_delete=models.CASCADE, related_name="agreement"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    purpose = models.TextField(_("purpose"), blank=True)
    terms = models.TextField(_("terms"), blank=True)

    objects = AgreementQuerySet.as_manager()

    def __str__(self) -> str:
        return _("MOU for %(title)s, version %(version)d") % {
            "title": self.collaboration.title,
            "version": self.version,
        }

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id

    def current_signatures(self) -> dict[int, "Signature"]:
        """Each side's signature standing on the current version, by party id.

        It reads `signatures.all()`, so a page that prefetched them asks nothing more.
        """
        return signing.standing_by_side(self.signatures.all(), self.version)

    def unsigned_sides(self) -> list:
        """The parties, civic organisation first, still to sign the current version."""
        collaboration = self.collaboration
        return signing.unsigned_sides(
            (collaboration.civic_organisation, collaboration.institution),
            self.current_signatures(),
        )

    def is_fully_signed(self) -> bool:
        return not self.unsigned_sides()


class AgreementVersion(models.Model):
    """The agreement as it stood at one version: terms and obligations, frozen."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField()
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    change = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_once")
        ]

    def __str__(self) -> str:
        return _("Version %(number)d") % {"number": self.number}


class ObligationQuerySet(models.QuerySet["Obligation"]):
    def overdue(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.exclude(status=ObligationStatus.DONE).filter(due_date__lt=today)


class Obligation(TimeStamped):
    """One side's obligation under the agreement, with an owner and a due date."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="obligations")
    party = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("side")
    )
    description = models.TextField(_("obligation"))
    owner = models.ForeignKey(
        "partners.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ObligationStatus.choices, default=ObligationStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def audit_organisation_id(self) -> int:
        return self.party_id

    def is_overdue(self, today: date) -> bool:
        return self.status != ObligationStatus.DONE and bool(
            self.due_date and self.due_date < today
        )

    def terms(self) -> dict:
        """What the signatures cover: everything but the status."""
        return {
            "party": self.party_id,
            "description": self.description,
            "owner": self.owner_id,
            "due_date": str(self.due_date) if self.due_date else None,
        }


class AgreementSignatureQuerySet(SignatureQuerySet):
    def current(self):
        """Signatures standing on their agreement's current version."""
        return self.valid().filter(version=models.F("agreement__version"))


class Signature(SignatureBase):
    """A side's signature on one version of the agreement, until a change voids it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    version = models.PositiveIntegerField(_("version"))
    # Whoever signed an MOU keeps an account: the signature answers for a side.
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    # The MOU is versioned: its signatures also know which stand on the current version.
    objects = AgreementSignatureQuerySet.as_manager()  # type: ignore[misc]

    class Meta(SignatureBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party"],
                condition=Q(voided_at__isnull=True),
                name="one_valid_signature_per_side",
            )
        ]
