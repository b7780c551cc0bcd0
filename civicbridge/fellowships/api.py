"""A fellowship's placement through the API: the same helpers and services as its web tab."""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from civicbridge.api.schemas import ERROR_CODES, ApiRequest, ErrorOut, Id, text
from civicbridge.collaborations.api import validated
from civicbridge.core.permissions import require

from . import services
from .choices import Signatory
from .forms import PlacementForm, StatementForm
from .models import Placement
from .permissions import (
    can_record_statement,
    get_fellowship_for,
    get_placement_for_statement,
    placement_of,
)

router = Router(tags=["fellowships"])


class PlacementOut(Schema):
    id: int
    collaboration_id: int
    fellow_id: int
    supervisor_id: int
    host_department_id: int | None
    start_date: date
    end_date: date
    fellow_statement: str
    fellow_statement_by_id: int | None
    fellow_statement_at: datetime | None
    supervisor_statement: str
    supervisor_statement_by_id: int | None
    supervisor_statement_at: datetime | None


class PlacementIn(Schema):
    fellow: Id
    supervisor: Id
    host_department: Id | None = None
    start_date: date
    end_date: date


class StatementIn(Schema):
    text: str = text(5000, None, min_length=1)


def _recorded(placement: Placement | None) -> Placement:
    if placement is None:
        raise HttpError(404, _("No placement is recorded yet: record it first."))
    return placement


@router.get(
    "/collaborations/{collaboration_id}/placement",
    response={200: PlacementOut, ERROR_CODES: ErrorOut},
    url_name="placement",
)
def get_placement(request: ApiRequest, collaboration_id: Id):
    """Who the fellow is, who supervises them, where and when, and both statements."""
    collaboration = get_fellowship_for(request.auth, collaboration_id)
    return _recorded(placement_of(collaboration))


@router.put(
    "/collaborations/{collaboration_id}/placement",
    response={200: PlacementOut, 201: PlacementOut, ERROR_CODES: ErrorOut},
    url_name="placement_edit",
)
def put_placement(request: ApiRequest, collaboration_id: Id, payload: PlacementIn):
    """Record the placement (201) or change it (200); naming another person clears their
    statement."""
    collaboration = get_fellowship_for(request.auth, collaboration_id, edit=True)
    placement = placement_of(collaboration)
    form = PlacementForm(payload.dict(), instance=placement, collaboration=collaboration)
    data = validated(form)
    saved = services.create_or_update_placement(request.auth, collaboration, **data)
    return Status(200 if placement else 201, saved)


@router.put(
    "/collaborations/{collaboration_id}/placement/statements/{who}",
    response={200: PlacementOut, ERROR_CODES: ErrorOut},
    url_name="placement_statement",
)
def put_statement(request: ApiRequest, collaboration_id: Id, who: Signatory, payload: StatementIn):
    """Record the fellow's or the supervisor's willingness and openness, in their words.

    The person themself, or a member of their side, records it."""
    _collaboration, placement, _sees_page = get_placement_for_statement(
        request.auth, collaboration_id
    )
    placement = _recorded(placement)
    require(can_record_statement(request.auth, placement, who))
    data = validated(StatementForm(payload.dict()))
    return services.record_statement(request.auth, placement, who=who, text=data["text"])
