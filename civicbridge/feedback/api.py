"""Beneficiaries' feedback and the register of shortcomings through the API: the same
permission helpers, forms and services as the Feedback and Shortcomings tabs.

The e-mail address a beneficiary left is answered only to the civic side's members, who
moderate; to anyone else it is null."""

from datetime import date, datetime
from typing import Literal

from ninja import Query, Router, Schema, Status

from civicbridge.collaborations.permissions import get_collaboration_for
from civicbridge.core.api.forms import changed, validated
from civicbridge.core.api.schemas import (
    CONFLICT_CODES,
    ERROR_CODES,
    ApiRequest,
    Body,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
    text,
    unchanged,
    unchanged_text,
)
from civicbridge.core.permissions import require

from .forms import (
    AnswerForm,
    ModerationForm,
    RegisterPublishForm,
    ServiceForm,
    ShortcomingForm,
    ShortcomingMoveForm,
)
from .models import Feedback, Service
from .permissions import (
    can_answer,
    can_change_shortcoming,
    can_decide,
    can_moderate,
    can_publish_register,
    can_raise,
    feedback_for,
    feedback_of,
    is_civic_member,
    register_published,
    shortcoming_of,
)
from .queries import register_of
from .services import feedback as feedback_services
from .services import shortcomings as shortcoming_services

router = Router(tags=["feedback"])


class FeedbackOut(Schema):
    id: int
    collaboration_id: int
    service_id: int | None
    worked: str
    did_not_work: str
    rating: int
    status: str
    received_at: datetime
    moderated_at: datetime | None
    answer: str
    answered_at: datetime | None
    email: str | None = None


class ModerationIn(Body):
    decision: Literal["publish", "reject"]


class AnswerIn(Body):
    answer: str = text(5000, None, min_length=1)


class ServiceOut(Schema):
    id: int
    name: str


class ServiceIn(Body):
    name: str = text(200, None, min_length=1)


def _out(feedback: Feedback, moderator: bool) -> dict:
    """The feedback as the API answers it: the address for the civic side only."""
    return {
        "id": feedback.pk,
        "collaboration_id": feedback.collaboration_id,
        "service_id": feedback.service_id,
        "worked": feedback.worked,
        "did_not_work": feedback.did_not_work,
        "rating": feedback.rating,
        "status": feedback.status,
        "received_at": feedback.created_at,
        "moderated_at": feedback.moderated_at,
        "answer": feedback.answer,
        "answered_at": feedback.answered_at,
        "email": (feedback.email or None) if moderator else None,
    }


@router.get(
    "/collaborations/{collaboration_id}/feedback",
    response={200: Page[FeedbackOut], ERROR_CODES: ErrorOut},
    url_name="feedback_list",
)
def list_feedback(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """What beneficiaries said: all of it for the civic side's members, the published for
    everyone else who sees the collaboration."""
    collaboration = get_collaboration_for(request.auth, collaboration_id)
    moderator = is_civic_member(request.auth, collaboration)
    found = page(feedback_for(request.auth, collaboration), params)
    found["items"] = [_out(feedback, moderator) for feedback in found["items"]]
    return found


@router.post(
    "/collaborations/{collaboration_id}/feedback/{feedback_id}/moderate",
    response={200: FeedbackOut, CONFLICT_CODES: ErrorOut},
    url_name="feedback_moderate",
)
def moderate_feedback(
    request: ApiRequest, collaboration_id: Id, feedback_id: Id, payload: ModerationIn
):
    """Publish or reject new feedback (the civic side); 409 once it is moderated."""
    collaboration = get_collaboration_for(request.auth, collaboration_id)
    require(can_moderate(request.auth, collaboration))
    feedback = feedback_of(request.auth, collaboration, feedback_id)
    data = validated(ModerationForm(payload.dict()))
    moved = feedback_services.moderate_feedback(
        request.auth, feedback, publish=data["decision"] == "publish"
    )
    return _out(moved, True)


@router.post(
    "/collaborations/{collaboration_id}/feedback/{feedback_id}/answer",
    response={200: FeedbackOut, CONFLICT_CODES: ErrorOut},
    url_name="feedback_answer",
)
def answer_feedback(request: ApiRequest, collaboration_id: Id, feedback_id: Id, payload: AnswerIn):
    """Answer published feedback, once (the institution); the person gets it by e-mail if
    they left an address."""
    collaboration = get_collaboration_for(request.auth, collaboration_id)
    feedback = feedback_of(request.auth, collaboration, feedback_id)
    require(can_answer(request.auth, feedback))
    data = validated(AnswerForm(payload.dict()))
    answered = feedback_services.answer_feedback(request.auth, feedback, answer=data["answer"])
    return _out(answered, is_civic_member(request.auth, collaboration))


@router.get(
    "/collaborations/{collaboration_id}/feedback/services",
    response={200: Page[ServiceOut], ERROR_CODES: ErrorOut},
    url_name="feedback_services",
)
def list_services(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The services beneficiaries may choose on the feedback form."""
    collaboration = get_collaboration_for(request.auth, collaboration_id)
    return page(Service.objects.filter(collaboration=collaboration), params)


@router.post(
    "/collaborations/{collaboration_id}/feedback/services",
    response={201: ServiceOut, ERROR_CODES: ErrorOut},
    url_name="feedback_service_create",
)
def add_service(request: ApiRequest, collaboration_id: Id, payload: ServiceIn):
    """Name a service for the feedback form (the civic side)."""
    collaboration = get_collaboration_for(request.auth, collaboration_id)
    require(can_moderate(request.auth, collaboration))
    data = validated(ServiceForm(payload.dict()))
    return Status(201, feedback_services.add_service(request.auth, collaboration, **data))


# The register of shortcomings (T2)


class ShortcomingOut(Schema):
    id: int
    collaboration_id: int
    title: str
    evidence: str
    solution: str
    owner_id: int | None
    status: str
    decline_reason: str
    raised_on: date
    decided_on: date | None
    done_on: date | None


class ShortcomingIn(Body):
    title: str = text(200, None, min_length=1)
    evidence: str = text(5000, None, min_length=1)
    solution: str = text(5000, None, min_length=1)
    owner: Id | None = None


class ShortcomingChange(Body):
    """The parts to change while the shortcoming is proposed; one left out stays."""

    title: str = unchanged_text(200, min_length=1)
    evidence: str = unchanged_text(5000, min_length=1)
    solution: str = unchanged_text(5000, min_length=1)
    owner: Id | None = unchanged()


class ShortcomingMoveIn(Body):
    status: Literal["accepted", "in_progress", "done", "declined"]
    seen: Literal["proposed", "accepted", "in_progress", "done", "declined"] | None = None
    reason: str = text(3000)
    owner: Id | None = None


class RegisterOut(Schema):
    published: bool


class RegisterIn(Body):
    published: bool


@router.get(
    "/collaborations/{collaboration_id}/shortcomings",
    response={200: Page[ShortcomingOut], ERROR_CODES: ErrorOut},
    url_name="shortcomings",
)
def list_shortcomings(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The register both sides share: each shortcoming, its solution, owner and status."""
    collaboration = get_collaboration_for(request.auth, collaboration_id)
    return page(register_of(collaboration), params)


@router.post(
    "/collaborations/{collaboration_id}/shortcomings",
    response={201: ShortcomingOut, ERROR_CODES: ErrorOut},
    url_name="shortcoming_create",
)
def raise_shortcoming(request: ApiRequest, collaboration_id: Id, payload: ShortcomingIn):
    """Raise a shortcoming with its evidence and a proposed solution (the civic side); the
    owner, if named, is a person of the institution."""
    collaboration = get_collaboration_for(request.auth, collaboration_id)
    require(can_raise(request.auth, collaboration))
    data = validated(ShortcomingForm(payload.dict(), collaboration=collaboration))
    return Status(201, shortcoming_services.raise_shortcoming(request.auth, collaboration, **data))


@router.patch(
    "/collaborations/{collaboration_id}/shortcomings/{shortcoming_id}",
    response={200: ShortcomingOut, CONFLICT_CODES: ErrorOut},
    url_name="shortcoming_edit",
)
def change_shortcoming(
    request: ApiRequest, collaboration_id: Id, shortcoming_id: Id, payload: ShortcomingChange
):
    """Change a shortcoming while the institution has not decided on it (the civic side)."""
    collaboration = get_collaboration_for(request.auth, collaboration_id)
    shortcoming = shortcoming_of(collaboration, shortcoming_id)
    require(can_change_shortcoming(request.auth, shortcoming))
    initial = {
        "title": shortcoming.title,
        "evidence": shortcoming.evidence,
        "solution": shortcoming.solution,
        "owner": shortcoming.owner_id,
    }
    form = changed(ShortcomingForm, payload, initial=initial, collaboration=collaboration)
    return shortcoming_services.change_shortcoming(request.auth, shortcoming, **validated(form))


@router.post(
    "/collaborations/{collaboration_id}/shortcomings/{shortcoming_id}/status",
    response={200: ShortcomingOut, CONFLICT_CODES: ErrorOut},
    url_name="shortcoming_move",
)
def move_shortcoming(
    request: ApiRequest, collaboration_id: Id, shortcoming_id: Id, payload: ShortcomingMoveIn
):
    """Accept (naming an owner if none), decline (with a reason), start or finish a
    solution (the institution); `seen` is the state the caller read: 409 if it moved on."""
    collaboration = get_collaboration_for(request.auth, collaboration_id)
    shortcoming = shortcoming_of(collaboration, shortcoming_id)
    require(can_decide(request.auth, collaboration))
    body = payload.dict()
    body["seen"] = body["seen"] or shortcoming.status
    data = validated(ShortcomingMoveForm(body, collaboration=collaboration))
    return shortcoming_services.move_shortcoming(
        request.auth,
        shortcoming,
        to=data["status"],
        seen=data["seen"],
        reason=data["reason"],
        owner=data["owner"],
    )


@router.get(
    "/collaborations/{collaboration_id}/shortcoming-register",
    response={200: RegisterOut, ERROR_CODES: ErrorOut},
    url_name="shortcoming_register",
)
def get_register(request: ApiRequest, collaboration_id: Id):
    """Whether the register is published (shown to anyone when the collaboration is public)."""
    collaboration = get_collaboration_for(request.auth, collaboration_id)
    return {"published": register_published(collaboration)}


@router.put(
    "/collaborations/{collaboration_id}/shortcoming-register",
    response={200: RegisterOut, ERROR_CODES: ErrorOut},
    url_name="shortcoming_register_publish",
)
def publish_register(request: ApiRequest, collaboration_id: Id, payload: RegisterIn):
    """Publish the register, or keep it to the two sides (an admin of either side)."""
    collaboration = get_collaboration_for(request.auth, collaboration_id)
    require(can_publish_register(request.auth, collaboration))
    data = validated(RegisterPublishForm(payload.dict()))
    register = shortcoming_services.publish_register(
        request.auth, collaboration, published=data["published"]
    )
    return {"published": register.published}
