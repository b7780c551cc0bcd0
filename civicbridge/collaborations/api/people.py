"""The stakeholder map through the API: who on each side has which role."""

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
from ..forms.people import StakeholderForm
from ..services import people as services
from .schemas import (
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
