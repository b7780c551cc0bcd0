"""The stakeholder map through the API: who on each side has which role; and a change of
party, which both sides' admins approve."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from civicbridge.core.api.forms import validated
from civicbridge.core.api.schemas import (
    ERROR_CODES,
    ApiRequest,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
)

from .. import permissions
from ..forms.people import PartyChangeForm, StakeholderForm
from ..services import parties as party_services
from ..services import people as services
from .schemas import (
    PartyChangeIn,
    PartyChangeOut,
    StakeholderIn,
    StakeholderOut,
)

router = Router(tags=["collaborations"])


@router.get(
    "/collaborations/{collaboration_id}/stakeholders",
    response={200: Page[StakeholderOut], ERROR_CODES: ErrorOut},
    url_name="stakeholders",
)
def list_stakeholders(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(collaboration.stakeholders.all(), params)


@router.post(
    "/collaborations/{collaboration_id}/stakeholders",
    response={201: StakeholderOut, ERROR_CODES: ErrorOut},
    url_name="stakeholder_create",
)
def add_stakeholder(request: ApiRequest, collaboration_id: Id, payload: StakeholderIn):
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(StakeholderForm(payload.dict(), collaboration=collaboration))
    return Status(201, services.add_stakeholder(request.auth, collaboration, **data))


@router.delete(
    "/collaborations/{collaboration_id}/stakeholders/{stakeholder_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="stakeholder_delete",
)
def remove_stakeholder(request: ApiRequest, collaboration_id: Id, stakeholder_id: Id):
    """Take a person off the map in one role; a member of either side may."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    stakeholder = get_object_or_404(
        collaboration.stakeholders.select_related("person"), pk=stakeholder_id
    )
    stakeholder.collaboration = collaboration
    services.remove_stakeholder(request.auth, stakeholder)
    return Status(204, None)


# A change of party


@router.get(
    "/collaborations/{collaboration_id}/party-changes",
    response={200: Page[PartyChangeOut], ERROR_CODES: ErrorOut},
    url_name="party_changes",
)
def list_party_changes(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """Every change of party proposed, open or decided."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(collaboration.party_changes.all(), params)


@router.post(
    "/collaborations/{collaboration_id}/party-changes",
    response={201: PartyChangeOut, ERROR_CODES: ErrorOut},
    url_name="party_change_create",
)
def propose_party_change(request: ApiRequest, collaboration_id: Id, payload: PartyChangeIn):
    """Propose that another organisation replaces a party; it counts as your side's
    approval. An admin of each side must approve; never after the collaboration closed."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(PartyChangeForm(payload.dict(), collaboration=collaboration))
    return Status(201, party_services.propose_party_change(request.auth, collaboration, **data))


@router.post(
    "/collaborations/{collaboration_id}/party-changes/{change_id}/approval",
    response={200: PartyChangeOut, ERROR_CODES: ErrorOut},
    url_name="party_change_approve",
)
def approve_party_change(request: ApiRequest, collaboration_id: Id, change_id: Id):
    """Approve for your side; with both sides' approval the party is replaced and every
    standing signature (MOU and contracts) is voided with the reason."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    change = permissions.party_change_of(collaboration, change_id)
    return party_services.approve_party_change(request.auth, change)


@router.post(
    "/collaborations/{collaboration_id}/party-changes/{change_id}/withdrawal",
    response={200: PartyChangeOut, ERROR_CODES: ErrorOut},
    url_name="party_change_withdraw",
)
def withdraw_party_change(request: ApiRequest, collaboration_id: Id, change_id: Id):
    """Withdraw, or decline, a change of party still open: the parties stay as they are."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    change = permissions.party_change_of(collaboration, change_id)
    return party_services.withdraw_party_change(request.auth, change)
