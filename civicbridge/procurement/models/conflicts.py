"""The conflict-of-interest register (S7): an organisation's roles toward institutions, and
the disclosures it records when it both watches over an institution and is paid by it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped

from ..choices import OrganisationRoleKind


class OrganisationRole(TimeStamped):
    """One role an organisation holds toward an institution, from a date, maybe until one."""

    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="roles_held"
    )
    institution = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="roles_toward"
    )
    role = models.CharField(_("role"), max_length=12, choices=OrganisationRoleKind.choices)
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="role_ends_after_start",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(organisation=models.F("institution")),
                name="role_toward_another",
                violation_error_message=_("An organisation holds roles toward another one."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_role_display()} — {self.institution}"

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id


class Disclosure(TimeStamped):
    """What the organisation disclosed, how it discussed its mission, and what it decided.

    The register of disclosures is public.
    """

    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="disclosures"
    )
    institution = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="disclosures_about"
    )
    collaboration = models.ForeignKey(
        "collaborations.Collaboration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disclosures",
    )
    roles = models.JSONField(_("roles disclosed"), default=list)
    mission_discussion = models.TextField(
        _("the discussion of the mission"),
        help_text=_(
            "Who met, when, and what was weighed: credibility as a watchdog against income."
        ),
    )
    outcome = models.TextField(_("what was decided"))
    discussed_on = models.DateField(_("discussed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-discussed_on", "-id"]

    def __str__(self) -> str:
        return _("%(organisation)s on %(institution)s") % {
            "organisation": self.organisation,
            "institution": self.institution,
        }

    @property
    def role_labels(self) -> list[str]:
        """The disclosed roles in words."""
        return [
            str(OrganisationRoleKind(role).label)
            for role in self.roles
            if role in OrganisationRoleKind.values
        ]

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id


class Recusal(TimeStamped):
    """A person who stands aside from one of the roles because of the conflict."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="recusals")
    person = models.ForeignKey("partners.Person", on_delete=models.PROTECT, related_name="+")
    stands_aside_from = models.CharField(
        _("stands aside from"),
        max_length=300,
        help_text=_("For example: the watchdog reports on this institution."),
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.person}: {self.stands_aside_from}"

    @property
    def audit_organisation_id(self) -> int:
        return self.disclosure.organisation_id
