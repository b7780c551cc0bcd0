"""A consulting engagement through the API: the same permission helpers, forms and services
as the Engagement and Recommendations tabs.

An engagement is named by its collaboration's id. A deliverable's move names the state its
author saw (`from_status`): a move from a state it has left answers 409 with where it is.
"""

from datetime import date, datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from civicbridge.collaborations.choices import Completion, PracticeChange
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

from . import services
from .choices import DeliverableKind, DeliverableStatus, Priority
from .forms import (
    AdoptionForm,
    ChangesForm,
    DeliverableForm,
    EngagementForm,
    RecommendationForm,
    StateForm,
    VersionForm,
)
from .models import Deliverable, DeliverableVersion
from .permissions import (
    can_review,
    can_submit_version,
    deliverable_of,
    engagement_of,
    get_consulting_for,
    recommendation_of,
)
from .queries import deliverables_shown, recommendations_shown, timeline

router = Router(tags=["consulting"])

ENGAGEMENT = "/consulting/{consulting_id}"
DELIVERABLE = f"{ENGAGEMENT}/deliverables/{{deliverable_id}}"
RECOMMENDATION = f"{ENGAGEMENT}/recommendations/{{recommendation_id}}"


# The engagement: scope and questions.


class EngagementOut(Schema):
    collaboration_id: int
    scope: str
    questions: list[str] = Field(..., description="The institution's questions, as asked.")


# One question: a line of the page's list, so no line break in it.
Question = Annotated[str, Field(min_length=1, max_length=500, pattern=r"^[^\x00\r\n]*$")]


class EngagementIn(Body):
    scope: str = text(10_000, None, min_length=1)
    questions: list[Question] = Field(
        default_factory=list,
        max_length=services.MAX_QUESTIONS,
        description="The institution's questions, one string each.",
    )


@router.get(ENGAGEMENT, response={200: EngagementOut, ERROR_CODES: ErrorOut}, url_name="consulting")
def get_engagement(request: ApiRequest, consulting_id: Id):
    """The scope of the advice and the questions the institution asked; 404 until written."""
    engagement = engagement_of(get_consulting_for(request.auth, consulting_id))
    if engagement is None:
        raise HttpError(404, _("The scope is not written yet."))
    return engagement


@router.put(
    ENGAGEMENT, response={200: EngagementOut, ERROR_CODES: ErrorOut}, url_name="consulting_edit"
)
def put_engagement(request: ApiRequest, consulting_id: Id, payload: EngagementIn):
    """Write or change the scope and the questions (either side)."""
    collaboration = get_consulting_for(request.auth, consulting_id, edit=True)
    form = EngagementForm({"scope": payload.scope, "questions": "\n".join(payload.questions)})
    return services.save_engagement(request.auth, collaboration, **validated(form))


# Deliverables, their versions and the institution's decision.


class DeliverableOut(Schema):
    id: int
    title: str
    kind: DeliverableKind
    description: str
    due_on: date
    status: DeliverableStatus
    submitted_at: datetime | None = Field(..., description="When the latest version went.")


class DeliverableIn(Body):
    title: str = text(200, None, min_length=1)
    kind: DeliverableKind
    due_on: date
    description: str = text(5000)


class DeliverableChange(Body):
    """The parts to change; one left out keeps its value."""

    title: str = unchanged_text(200, min_length=1)
    kind: DeliverableKind = unchanged()
    due_on: date = unchanged()
    description: str = unchanged_text(5000)


class StateIn(Body):
    from_status: DeliverableStatus = Field(..., description="The status the caller saw.")


class ChangesIn(StateIn):
    comment: str = text(5000, None, min_length=1)


class VersionOut(Schema):
    id: int
    number: int
    note: str
    filename: str
    content_type: str
    size: int
    submitted_by_id: int | None
    created_at: datetime
    decision: str | None = Field(..., description="accepted or changes_asked; null if none.")
    comment: str = Field(..., description="What the institution asked to change.")

    @staticmethod
    def resolve_decision(version: DeliverableVersion) -> str | None:
        review = getattr(version, "review", None)
        return review.decision if review else None

    @staticmethod
    def resolve_comment(version: DeliverableVersion) -> str:
        review = getattr(version, "review", None)
        return review.comment if review else ""


def _deliverable(user, consulting_id: int, deliverable_id: int, *, edit: bool = False):
    return deliverable_of(get_consulting_for(user, consulting_id, edit=edit), deliverable_id)


@router.get(
    f"{ENGAGEMENT}/deliverables",
    response={200: Page[DeliverableOut], ERROR_CODES: ErrorOut},
    url_name="consulting_deliverables",
)
def list_deliverables(request: ApiRequest, consulting_id: Id, params: Query[PageParams]):
    """The engagement's deliverables, each with its status at the institution."""
    return page(deliverables_shown(get_consulting_for(request.auth, consulting_id)), params)


@router.post(
    f"{ENGAGEMENT}/deliverables",
    response={201: DeliverableOut, ERROR_CODES: ErrorOut},
    url_name="consulting_deliverable_create",
)
def add_deliverable(request: ApiRequest, consulting_id: Id, payload: DeliverableIn):
    """Plan a deliverable (either side)."""
    collaboration = get_consulting_for(request.auth, consulting_id, edit=True)
    data = validated(DeliverableForm(payload.dict()))
    return Status(201, services.add_deliverable(request.auth, collaboration, **data))


@router.get(
    DELIVERABLE,
    response={200: DeliverableOut, ERROR_CODES: ErrorOut},
    url_name="consulting_deliverable",
)
def get_deliverable(request: ApiRequest, consulting_id: Id, deliverable_id: Id):
    return _deliverable(request.auth, consulting_id, deliverable_id)


@router.patch(
    DELIVERABLE,
    response={200: DeliverableOut, ERROR_CODES: ErrorOut},
    url_name="consulting_deliverable_edit",
)
def change_deliverable(
    request: ApiRequest, consulting_id: Id, deliverable_id: Id, payload: DeliverableChange
):
    """Change what a deliverable is or when it is due (either side)."""
    deliverable = _deliverable(request.auth, consulting_id, deliverable_id, edit=True)
    form = changed(DeliverableForm, payload, instance=Deliverable.objects.get(pk=deliverable.pk))
    return services.change_deliverable(request.auth, deliverable, **validated(form))


@router.get(
    f"{DELIVERABLE}/versions",
    response={200: Page[VersionOut], ERROR_CODES: ErrorOut},
    url_name="consulting_versions",
)
def list_versions(
    request: ApiRequest, consulting_id: Id, deliverable_id: Id, params: Query[PageParams]
):
    """The versions sent, each with the institution's decision; files download from the page."""
    deliverable = _deliverable(request.auth, consulting_id, deliverable_id)
    return page(deliverable.versions.select_related("review"), params)


@router.post(
    f"{DELIVERABLE}/versions",
    response={201: VersionOut, CONFLICT_CODES: ErrorOut},
    url_name="consulting_version_create",
)
def submit_version(
    request: ApiRequest,
    consulting_id: Id,
    deliverable_id: Id,
    from_status: Form[DeliverableStatus],
    file: File[UploadedFile],
    note: Form[str] = "",
):
    """Send a version (multipart; the civic side only): a PDF, an office document or a PNG
    or JPEG image, checked by its content. Only a deliverable not sent yet or sent back
    takes one."""
    deliverable = _deliverable(request.auth, consulting_id, deliverable_id)
    require(can_submit_version(request.auth, deliverable.collaboration))
    form = VersionForm({"from_status": from_status, "note": note}, {"file": file})
    return Status(201, services.submit_version(request.auth, deliverable, **validated(form)))


def _for_review(user, consulting_id: int, deliverable_id: int):
    deliverable = _deliverable(user, consulting_id, deliverable_id)
    require(can_review(user, deliverable.collaboration))
    return deliverable


@router.post(
    f"{DELIVERABLE}/accept",
    response={200: DeliverableOut, CONFLICT_CODES: ErrorOut},
    url_name="consulting_deliverable_accept",
)
def accept_deliverable(
    request: ApiRequest, consulting_id: Id, deliverable_id: Id, payload: StateIn
):
    """Accept the version waiting (the institution only)."""
    deliverable = _for_review(request.auth, consulting_id, deliverable_id)
    data = validated(StateForm(payload.dict()))
    services.accept_deliverable(request.auth, deliverable, **data)
    return deliverable


@router.post(
    f"{DELIVERABLE}/changes",
    response={200: DeliverableOut, CONFLICT_CODES: ErrorOut},
    url_name="consulting_deliverable_changes",
)
def ask_changes(request: ApiRequest, consulting_id: Id, deliverable_id: Id, payload: ChangesIn):
    """Send the version waiting back, saying what to change (the institution only)."""
    deliverable = _for_review(request.auth, consulting_id, deliverable_id)
    data = validated(ChangesForm(payload.dict()))
    services.ask_changes(request.auth, deliverable, **data)
    return deliverable


# Recommendations and their adoption.


class RecommendationOut(Schema):
    id: int
    deliverable_id: int
    title: str
    finding: str
    priority: Priority
    owner_id: int | None = Field(..., description="The person of the institution who owns it.")
    completion: Completion
    practice_change: PracticeChange
    last_update_at: datetime


class RecommendationIn(Body):
    deliverable: Id = Field(..., description="The deliverable of this engagement it came from.")
    title: str = text(300, None, min_length=1)
    finding: str = text(5000, None, min_length=1)
    priority: Priority = Priority.MEDIUM
    owner: Id | None = Field(
        None, description="A person of the institution (a current member); null: not named."
    )


class RecommendationChange(Body):
    """The parts to change; one left out keeps its value."""

    deliverable: Id = unchanged()
    title: str = unchanged_text(300, min_length=1)
    finding: str = unchanged_text(5000, min_length=1)
    priority: Priority = unchanged()
    owner: Id | None = unchanged()


class AdoptionOut(Schema):
    id: int
    completion: Completion
    practice_change: PracticeChange
    evidence: str
    evidence_url: str
    recorded_by_id: int | None
    side_id: int = Field(..., description="The organisation it was recorded for.")
    created_at: datetime


class AdoptionIn(Body):
    completion: Completion
    practice_change: PracticeChange
    evidence: str = text(5000)
    evidence_url: str = text(500)


@router.get(
    f"{ENGAGEMENT}/recommendations",
    response={200: Page[RecommendationOut], ERROR_CODES: ErrorOut},
    url_name="consulting_recommendations",
)
def list_recommendations(request: ApiRequest, consulting_id: Id, params: Query[PageParams]):
    """The engagement's recommendations with their owner and adoption."""
    return page(recommendations_shown(get_consulting_for(request.auth, consulting_id)), params)


@router.post(
    f"{ENGAGEMENT}/recommendations",
    response={201: RecommendationOut, ERROR_CODES: ErrorOut},
    url_name="consulting_recommendation_create",
)
def add_recommendation(request: ApiRequest, consulting_id: Id, payload: RecommendationIn):
    """Record a recommendation (either side); an owner who is not of the institution is
    refused."""
    collaboration = get_consulting_for(request.auth, consulting_id, edit=True)
    form = RecommendationForm(payload.dict(), collaboration=collaboration)
    return Status(201, services.add_recommendation(request.auth, collaboration, **validated(form)))


@router.get(
    RECOMMENDATION,
    response={200: RecommendationOut, ERROR_CODES: ErrorOut},
    url_name="consulting_recommendation",
)
def get_recommendation(request: ApiRequest, consulting_id: Id, recommendation_id: Id):
    collaboration = get_consulting_for(request.auth, consulting_id)
    return recommendation_of(collaboration, recommendation_id)


@router.patch(
    RECOMMENDATION,
    response={200: RecommendationOut, ERROR_CODES: ErrorOut},
    url_name="consulting_recommendation_edit",
)
def change_recommendation(
    request: ApiRequest,
    consulting_id: Id,
    recommendation_id: Id,
    payload: RecommendationChange,
):
    """Change a recommendation's words, priority, deliverable or owner (either side)."""
    collaboration = get_consulting_for(request.auth, consulting_id, edit=True)
    recommendation = recommendation_of(collaboration, recommendation_id)
    form = changed(
        RecommendationForm, payload, instance=recommendation, collaboration=collaboration
    )
    return services.change_recommendation(request.auth, recommendation, **validated(form))


@router.get(
    f"{RECOMMENDATION}/updates",
    response={200: Page[AdoptionOut], ERROR_CODES: ErrorOut},
    url_name="consulting_adoption",
)
def list_updates(
    request: ApiRequest, consulting_id: Id, recommendation_id: Id, params: Query[PageParams]
):
    """The recommendation's adoption history, each update dated, with its evidence."""
    collaboration = get_consulting_for(request.auth, consulting_id)
    return page(timeline(recommendation_of(collaboration, recommendation_id)), params)


@router.post(
    f"{RECOMMENDATION}/updates",
    response={201: AdoptionOut, ERROR_CODES: ErrorOut},
    url_name="consulting_adoption_create",
)
def record_adoption(
    request: ApiRequest, consulting_id: Id, recommendation_id: Id, payload: AdoptionIn
):
    """Record where the recommendation stands, and whether it changed practice, with the
    evidence: a text, a link or both (either side)."""
    collaboration = get_consulting_for(request.auth, consulting_id, edit=True)
    recommendation = recommendation_of(collaboration, recommendation_id)
    data = validated(AdoptionForm(payload.dict(), recommendation=recommendation))
    return Status(201, services.record_adoption(request.auth, recommendation, **data))
