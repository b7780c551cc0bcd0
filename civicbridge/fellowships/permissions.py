"""Who may write what in the fellowship room.

The placement and the countdown belong to both sides: a member of either party writes
them. Each willingness statement (F2) belongs to one person: the fellow or the
supervisor writes it themself, or a member of their side records it for them. The
preparation brief (F4) is the host's: members of the institution write and deliver it,
the civic side reads it.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from civicbridge.collaborations import permissions as collaboration_permissions
from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration
from civicbridge.core.permissions import Decision
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids

from .choices import Signatory
from .models import Placement, PreparationTask
from .queries import signatory_of


def can_record_statement(user, placement: Placement, who: str) -> Decision:
    """The person themself, or a member of their side, records a statement."""
    person, side = signatory_of(placement, who)
    if not user.is_authenticated:
        return False, _("Sign in to record a statement.")
    if user.person_id is not None and user.person_id == person.pk:
        return True, ""
    if side.pk in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only %(person)s or a member of %(side)s can record %(whose)s statement.") % {
        "person": person,
        "side": side.name,
        "whose": Signatory(who).label,
    }


def can_write_brief(user, collaboration: Collaboration) -> Decision:
    """The host institution prepares the brief and sends it to the fellow."""
    if collaboration.institution_id in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _(
        "The host prepares the brief: only members of %(institution)s can write or send it."
    ) % {"institution": collaboration.institution.name}


def get_fellowship_for(user, pk: int, *, edit: bool = False) -> Collaboration:
    """A fellowship the user may see (and `edit`), else 404 as for any other collaboration."""
    collaboration = collaboration_permissions.get_collaboration_for(user, pk, edit=edit)
    if collaboration.model != Model.FELLOWSHIP:
        raise Http404
    return collaboration


def placements_shown():
    return Placement.objects.select_related(
        "fellow",
        "supervisor",
        "host_department",
        "fellow_statement_by__person",
        "supervisor_statement_by__person",
        "collaboration__civic_organisation",
        "collaboration__institution",
    )


def placement_of(collaboration: Collaboration) -> Placement | None:
    """The fellowship's placement with what its pages show, if it is recorded."""
    placement = placements_shown().filter(collaboration=collaboration).first()
    if placement is not None:
        placement.collaboration = collaboration
    return placement


def get_placement_for_statement(user, pk: int) -> tuple[Collaboration, Placement | None, bool]:
    """The collaboration, its placement, and whether the user sees the collaboration's page.

    The fellow and the supervisor may write their own statement even when their account
    has no access to either party yet.
    """
    try:
        collaboration = get_fellowship_for(user, pk)
    except Http404:
        if user.person_id is None:
            raise
        own = get_object_or_404(
            placements_shown(),
            Q(fellow_id=user.person_id) | Q(supervisor_id=user.person_id),
            collaboration_id=pk,
        )
        return own.collaboration, own, False
    return collaboration, placement_of(collaboration), True


def preparation_task_of(collaboration: Collaboration, pk: int) -> PreparationTask:
    """One task of the fellowship's preparation countdown, or 404."""
    task = get_object_or_404(
        PreparationTask.objects.select_related("placement"),
        pk=pk,
        placement__collaboration=collaboration,
    )
    task.placement.collaboration = collaboration
    return task
