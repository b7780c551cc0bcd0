"""A fellowship's placement and preparation through the API: the same helpers, forms and
services as its placement and preparation tabs."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from civicbridge.core.api.forms import changed, validated
from civicbridge.core.api.schemas import (
    ERROR_CODES,
    ApiRequest,
    Body,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
    text,
    unchanged_text,
)
from civicbridge.core.permissions import require

from . import services
from .choices import Signatory
from .forms import BriefForm, PlacementForm, StatementForm, TaskForm
from .models import Placement, PreparationBrief, PreparationTask
from .permissions import (
    can_record_statement,
    can_write_brief,
    get_fellowship_for,
    get_placement_for_statement,
    placement_of,
    preparation_task_of,
)
from .queries import countdown

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


class PlacementIn(Body):
    fellow: Id
    supervisor: Id
    host_department: Id | None = None
    start_date: date
    end_date: date


class StatementIn(Body):
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


# Preparation (F4): the brief the host sends the fellow, and the countdown to day one.


class BriefOut(Schema):
    possibilities: str
    priorities: str
    challenges: str
    complete: bool = Field(..., description="All three are written: it may be sent.")
    deliver_by: date = Field(..., description="The fellow should have it by this day.")
    late: bool = Field(..., description="Sent after `deliver_by`, or not sent and it passed.")
    delivered_at: datetime | None = Field(..., description="When the fellow first got it.")
    delivered_by_id: int | None
    changed_since_delivery: bool


class BriefChange(Body):
    """The parts of the brief to write; one left out keeps its words."""

    possibilities: str = unchanged_text(20_000)
    priorities: str = unchanged_text(20_000)
    challenges: str = unchanged_text(20_000)


def _brief_out(placement: Placement, brief: PreparationBrief | None) -> dict:
    """The brief as it stands, and its deadline; empty until the host writes it."""
    days = services.brief_days_before_start(placement.collaboration)
    clock = countdown(placement, brief, days, timezone.localdate())
    brief = brief or PreparationBrief(placement=placement)
    return {
        "possibilities": brief.possibilities,
        "priorities": brief.priorities,
        "challenges": brief.challenges,
        "complete": brief.complete,
        "deliver_by": clock.brief_deadline,
        "late": clock.brief_late,
        "delivered_at": brief.delivered_at,
        "delivered_by_id": brief.delivered_by_id,
        "changed_since_delivery": services.changed_since_delivery(brief),
    }


def _brief_of(placement: Placement) -> PreparationBrief | None:
    return PreparationBrief.objects.filter(placement=placement).first()


@router.get(
    "/collaborations/{collaboration_id}/preparation/brief",
    response={200: BriefOut, ERROR_CODES: ErrorOut},
    url_name="brief",
)
def get_brief(request: ApiRequest, collaboration_id: Id):
    """What the host tells the fellow before day one: both sides read it."""
    placement = _recorded(placement_of(get_fellowship_for(request.auth, collaboration_id)))
    return _brief_out(placement, _brief_of(placement))


def _placement_for_brief(user, collaboration_id: int) -> Placement:
    """The placement, if `user` is of the host institution, which writes and sends the brief."""
    collaboration = get_fellowship_for(user, collaboration_id)
    require(can_write_brief(user, collaboration))
    return _recorded(placement_of(collaboration))


@router.patch(
    "/collaborations/{collaboration_id}/preparation/brief",
    response={200: BriefOut, ERROR_CODES: ErrorOut},
    url_name="brief_edit",
)
def write_brief(request: ApiRequest, collaboration_id: Id, payload: BriefChange):
    """Write or change the brief (the host only); a change after sending may be sent again."""
    placement = _placement_for_brief(request.auth, collaboration_id)
    form = changed(BriefForm, payload, instance=_brief_of(placement))
    brief = services.save_brief(request.auth, placement, **validated(form))
    return _brief_out(placement, brief)


@router.post(
    "/collaborations/{collaboration_id}/preparation/brief/send",
    response={200: BriefOut, ERROR_CODES: ErrorOut},
    url_name="brief_deliver",
)
def send_brief(request: ApiRequest, collaboration_id: Id):
    """E-mail the complete brief to the fellow (the host only); again only after a change."""
    placement = _placement_for_brief(request.auth, collaboration_id)
    return _brief_out(placement, services.deliver_brief(request.auth, placement))


class PreparationTaskOut(Schema):
    id: int
    title: str
    days_before_start: int
    due_on: date
    done_on: date | None


class PreparationTaskIn(Body):
    title: str = text(300, None, min_length=1)
    days_before_start: int = Field(..., ge=0, le=32767)


@router.get(
    "/collaborations/{collaboration_id}/preparation/tasks",
    response={200: Page[PreparationTaskOut], ERROR_CODES: ErrorOut},
    url_name="preparation_tasks",
)
def list_preparation_tasks(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The countdown's steps, each with the day it is due."""
    placement = _recorded(placement_of(get_fellowship_for(request.auth, collaboration_id)))
    return page(
        PreparationTask.objects.filter(placement=placement).select_related("placement"), params
    )


@router.post(
    "/collaborations/{collaboration_id}/preparation/tasks",
    response={201: PreparationTaskOut, ERROR_CODES: ErrorOut},
    url_name="preparation_task_create",
)
def add_preparation_task(request: ApiRequest, collaboration_id: Id, payload: PreparationTaskIn):
    """Add a step either side must take before the fellow's first day."""
    collaboration = get_fellowship_for(request.auth, collaboration_id, edit=True)
    placement = _recorded(placement_of(collaboration))
    data = validated(TaskForm(payload.dict()))
    return Status(201, services.add_task(request.auth, placement, **data))


@router.post(
    "/collaborations/{collaboration_id}/preparation/tasks/{preparation_task_id}/done",
    response={200: PreparationTaskOut, ERROR_CODES: ErrorOut},
    url_name="preparation_task_done",
)
def complete_preparation_task(request: ApiRequest, collaboration_id: Id, preparation_task_id: Id):
    """Tick a step off today; a step ticked off already keeps its first date."""
    collaboration = get_fellowship_for(request.auth, collaboration_id, edit=True)
    task = preparation_task_of(collaboration, preparation_task_id)
    return services.set_task_done(request.auth, task, done=True)


@router.post(
    "/collaborations/{collaboration_id}/preparation/tasks/{preparation_task_id}/reopen",
    response={200: PreparationTaskOut, ERROR_CODES: ErrorOut},
    url_name="preparation_task_reopen",
)
def reopen_preparation_task(request: ApiRequest, collaboration_id: Id, preparation_task_id: Id):
    """Open a step ticked off by mistake again."""
    collaboration = get_fellowship_for(request.auth, collaboration_id, edit=True)
    task = preparation_task_of(collaboration, preparation_task_id)
    return services.set_task_done(request.auth, task, done=False)
