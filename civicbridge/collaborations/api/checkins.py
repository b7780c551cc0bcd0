"""Check-ins through the API: each side's update for each check-in date."""

from ninja import Query, Router, Status

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
from ..models import CheckIn
from ..services import checkins as services
from .schemas import (
    CheckInIn,
    CheckInOut,
)

router = Router(tags=["collaborations"])


@router.get(
    "/collaborations/{collaboration_id}/checkins",
    response={200: Page[CheckInOut], ERROR_CODES: ErrorOut},
    url_name="checkins",
)
def list_checkins(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The check-in updates the user may read: their side's and those shared with them."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    checkins = CheckIn.objects.filter(collaboration=collaboration)
    return page(permissions.visible_records(request.auth, checkins), params)


@router.post(
    "/collaborations/{collaboration_id}/checkins",
    response={201: CheckInOut, ERROR_CODES: ErrorOut},
    url_name="checkin_create",
)
def submit_checkin(request: ApiRequest, collaboration_id: Id, payload: CheckInIn):
    """Give (or change) your side's update for one check-in date."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    return Status(201, services.submit_checkin(request.auth, collaboration, **payload.dict()))
