"""Who may see and write what in the policy room.

Both sides read everything here and members of either side write the policy changes and
the action plan. A consultation response is the civic side's own submission: its members
add it, the institution reads it. Views and API routes fetch through these helpers.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from civicbridge.collaborations import permissions as collaboration_permissions
from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration
from civicbridge.core.permissions import Decision
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids

from .models import (
    Commitment,
    CommitmentMilestone,
    ConsultationResponse,
    PolicyChange,
)


def get_policy_for(user, pk: int, *, edit: bool = False) -> Collaboration:
    """A policy collaboration the user may see (and `edit`), else 404 as for any other."""
    collaboration = collaboration_permissions.get_collaboration_for(user, pk, edit=edit)
    if collaboration.model != Model.POLICY:
        raise Http404
    return collaboration


def policy_collaborations_for(user, *, edit: bool = False) -> QuerySet[Collaboration]:
    """The policy collaborations the user sees, or those whose records they may write."""
    seen = collaboration_permissions.visible_collaborations(user).filter(model=Model.POLICY)
    if edit:
        mine = acting_organisation_ids(user, Access.MEMBER)
        seen = seen.filter(Q(civic_organisation_id__in=mine) | Q(institution_id__in=mine))
    return seen.order_by("title", "pk")


def can_submit_response(user, collaboration: Collaboration) -> Decision:
    """The civic side submits consultation responses; the institution reads them."""
    if collaboration.civic_organisation_id in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _(
        "Consultation responses are the civic side's: only members of %(civic)s add them."
    ) % {"civic": collaboration.civic_organisation.name}


def can_import_commitments(user, collaboration: Collaboration) -> Decision:
    """Members of either side bring in their action plan's commitments."""
    return collaboration_permissions.can_edit(user, collaboration)


def policy_change_of(collaboration: Collaboration, pk: int) -> PolicyChange:
    """One policy change of the collaboration, or 404."""
    change = get_object_or_404(PolicyChange, collaboration=collaboration, pk=pk)
    change.collaboration = collaboration
    return change


def response_of(collaboration: Collaboration, pk: int) -> ConsultationResponse:
    """One consultation response on a policy change of the collaboration, or 404."""
    response = get_object_or_404(
        ConsultationResponse.objects.select_related("policy_change", "submitted_by__person"),
        policy_change__collaboration=collaboration,
        pk=pk,
    )
    response.policy_change.collaboration = collaboration
    return response


def commitment_of(collaboration: Collaboration, pk: int) -> Commitment:
    """One commitment of the collaboration's action plan, or 404."""
    commitment = get_object_or_404(Commitment, collaboration=collaboration, pk=pk)
    commitment.collaboration = collaboration
    return commitment


def milestone_of(commitment: Commitment, pk: int) -> CommitmentMilestone:
    """One milestone of the commitment, or 404."""
    milestone = get_object_or_404(CommitmentMilestone, commitment=commitment, pk=pk)
    milestone.commitment = commitment
    return milestone
