"""Who may see, start and change assessments."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from civicbridge.core.permissions import Decision, require
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids, is_platform_admin

from .models import Assessment


def visible_assessments(user):
    return Assessment.objects.visible_to(
        acting_organisation_ids(user), everything=is_platform_admin(user)
    )


def can_start_assessment(user) -> Decision:
    if acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only members of an organisation on Civic Bridge can make assessments.")


def can_change_assessment(user, assessment: Assessment) -> Decision:
    if assessment.owner_organisation_id in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only members of %(name)s can change this assessment.") % {
        "name": assessment.owner_organisation.name
    }


def get_assessment_for(user, pk: int, *, edit: bool = False) -> Assessment:
    if not user.is_authenticated:
        require((False, _("Sign in to see assessments.")))
    assessment = get_object_or_404(
        visible_assessments(user).select_related(
            "owner_organisation", "institution", "civic_partner", "playbook_version"
        ),
        pk=pk,
    )
    if edit:
        require(can_change_assessment(user, assessment))
    return assessment
