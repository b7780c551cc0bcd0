"""Who may write what in the consulting room.

Both sides plan the engagement: members of either party write the scope, the questions,
the deliverables and the recommendations, and record how a recommendation is adopted.
A deliverable has two hands: only the civic organisation sends its versions, and only the
institution accepts one or asks for changes, so the advice is the institution's own (F8).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from civicbridge.collaborations import permissions as collaboration_permissions
from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration
from civicbridge.core.permissions import Decision
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids

from .models import Deliverable, DeliverableVersion, Engagement, Recommendation


def can_submit_version(user, collaboration: Collaboration) -> Decision:
    """The civic organisation sends the versions of its advice."""
    if collaboration.civic_organisation_id in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only members of %(civic)s send a version: they wrote the advice.") % {
        "civic": collaboration.civic_organisation.name
    }


def can_review(user, collaboration: Collaboration) -> Decision:
    """The institution accepts a deliverable or asks for changes: the result is theirs."""
    if collaboration.institution_id in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _(
        "Only members of %(institution)s accept a deliverable or ask for changes: the "
        "result is theirs to own."
    ) % {"institution": collaboration.institution.name}


def get_consulting_for(user, pk: int, *, edit: bool = False) -> Collaboration:
    """A consulting collaboration the user may see (and `edit`), else 404 as for any other."""
    collaboration = collaboration_permissions.get_collaboration_for(user, pk, edit=edit)
    if collaboration.model != Model.CONSULTING:
        raise Http404
    return collaboration


def engagement_of(collaboration: Collaboration) -> Engagement | None:
    """The engagement's scope and questions, if recorded."""
    engagement = Engagement.objects.filter(collaboration=collaboration).first()
    if engagement is not None:
        engagement.collaboration = collaboration
    return engagement


def deliverable_of(collaboration: Collaboration, pk: int) -> Deliverable:
    """One deliverable of the engagement, or 404."""
    deliverable = get_object_or_404(collaboration.deliverables, pk=pk)
    deliverable.collaboration = collaboration
    return deliverable


def version_of(deliverable: Deliverable, pk: int) -> DeliverableVersion:
    """One version of the deliverable, or 404."""
    version = get_object_or_404(deliverable.versions, pk=pk)
    version.deliverable = deliverable
    return version


def recommendation_of(collaboration: Collaboration, pk: int) -> Recommendation:
    """One recommendation of the engagement, with its owner and deliverable, or 404."""
    recommendation = get_object_or_404(
        collaboration.recommendations.select_related("owner", "deliverable"), pk=pk
    )
    recommendation.collaboration = collaboration
    recommendation.deliverable.collaboration = collaboration
    return recommendation
