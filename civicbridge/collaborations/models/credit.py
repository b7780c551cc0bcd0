"""Credit statements both sides approve, and the reforms ledger (F8, G5)."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped

from ..choices import (
    ReformStatus,
)
from .core import Collaboration, CollaborationRecord


class CreditStatementQuerySet(models.QuerySet["CreditStatement"]):
    def published(self):
        """Statements both sides approved: the public sees these."""
        return self.filter(civic_approved_at__isnull=False, institution_approved_at__isnull=False)


class CreditStatement(TimeStamped):
    """Public credit for the work (F8), published only when both sides approve it."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="credit_statements"
    )
    text = models.TextField(_("credit statement"))
    government_contribution = models.TextField(
        _("the institution's contribution"),
        help_text=_("What the institution gave: people, time, data, decisions, money."),
    )
    drafted_by = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    civic_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    civic_approved_at = models.DateTimeField(null=True, blank=True)
    institution_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    institution_approved_at = models.DateTimeField(null=True, blank=True)

    objects = CreditStatementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def audit_organisation_id(self) -> int:
        return self.drafted_by_id

    @property
    def published(self) -> bool:
        """Approved by both sides: the row's own fields, as `published()` filters them."""
        return bool(self.civic_approved_at and self.institution_approved_at)

    @property
    def digest(self) -> str:
        """A fingerprint of the words, so an approval can say which words it approves."""
        words = f"{self.text}\n{self.government_contribution}"
        return hashlib.sha256(words.encode()).hexdigest()[:16]


class Reform(CollaborationRecord):
    """A reform the civic side asks for in return (G5): asked → agreed → achieved."""

    title = models.CharField(_("reform"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReformStatus.choices, default=ReformStatus.ASKED
    )
    asked_on = models.DateField(_("asked on"), default=timezone.localdate)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    champions = models.ManyToManyField(
        "partners.Person", blank=True, related_name="+", verbose_name=_("officials who champion it")
    )

    class Meta:
        ordering = ["-asked_on", "-id"]

    def __str__(self) -> str:
        return self.title
