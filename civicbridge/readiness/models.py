from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import VisibleRecord

from . import engine


class Assessment(VisibleRecord):
    """Answers about one context — a country, an institution, maybe a civic partner — and
    the fit of every collaboration model that follows from them (G1).

    The owner side is the organisation that made it; "both sides" also shows it to the
    institution and the civic partner it is about.
    """

    title = models.CharField(_("title"), max_length=200)
    country = models.CharField(_("country"), max_length=100)
    institution = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="assessments_as_institution",
        verbose_name=_("institution"),
    )
    civic_partner = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments_as_civic_partner",
        verbose_name=_("civic partner"),
    )
    playbook_version = models.ForeignKey(
        "playbook.PlaybookVersion", on_delete=models.PROTECT, related_name="assessments"
    )
    answers = models.JSONField(default=dict, blank=True)
    assessed_on = models.DateField(_("assessed on"))
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("readiness:assessment", args=[self.pk])

    @classmethod
    def other_side_q(cls, organisation_ids: set[int]) -> Q:
        return Q(institution_id__in=organisation_ids) | Q(civic_partner_id__in=organisation_ids)

    @property
    def audit_organisation_id(self) -> int:
        return self.owner_organisation_id

    @property
    def complete(self) -> bool:
        return self.completed_at is not None

    def result(self) -> engine.Assessment:
        return engine.assess(self.playbook_version.content, self.answers)
