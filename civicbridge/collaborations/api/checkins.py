"""Check-ins through the API: each side's update for each check-in date."""

from datetime import date

from ninja import Field, Query, Router, Schema, Status

from civicbridge.core.api.schemas import (
    ERROR_CODES,
    ApiRequest,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
    text,
)
from civicbridge.core.choices import Visibility

from .. import permissions
from ..models import CheckIn
from ..services import checkins as services

router = Router(tags=["collaborations"])


class CheckInOut(Schema):
    id: int
    owner_organisation_id: int
    visibility: str
    due_on: date
    author_id: int | None
    workflow: str
    problems: str
    quality: int
    comment: str


class CheckInIn(Schema):
    due_on: date
    workflow: str = text(5000, None, min_length=1)
    problems: str = text(5000)
    quality: int = Field(..., ge=1, le=5)
    comment: str = text(5000)
    visibility: Visibility = Visibility.BOTH_SIDES


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
