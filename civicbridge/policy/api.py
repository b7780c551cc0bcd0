"""Policy development through the API: policy changes and their stages, the consultation
responses, and the action plan's commitments with milestones and assessments. The same
permission helpers, forms and services as the room's tabs."""

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

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
    unchanged,
    unchanged_text,
)
from civicbridge.core.api.schemas import (
    text as text_field,
)

from . import queries, services
from .choices import Instrument, PolicyStage
from .forms import (
    AssessmentForm,
    CommitmentForm,
    MilestoneDoneForm,
    MilestoneForm,
    NewPolicyChangeForm,
    PolicyChangeForm,
    StageMoveForm,
)
from .permissions import commitment_of, get_policy_for, milestone_of, policy_change_of

router = Router(tags=["policy"])

BASE = "/collaborations/{policy_id}"


# Policy changes and their stages


class PolicyStageOut(Schema):
    id: int
    from_stage: str = Field(..., description="The stage it moved from; empty for the first.")
    stage: PolicyStage
    on: date
    source_url: str
    source_text: str
    recorded_by_id: int | None


class PolicyChangeOut(Schema):
    id: int
    collaboration_id: int
    title: str
    instrument: Instrument
    current_text: str
    proposed_change: str
    deciding_body: str
    stage: PolicyStage


class PolicyChangeDetailOut(PolicyChangeOut):
    stages: list[PolicyStageOut]

    @staticmethod
    def resolve_stages(change) -> list:
        return list(change.stages.order_by("on", "id"))


class PolicyChangeIn(Body):
    title: str = text_field(200, None, min_length=1)
    instrument: Instrument
    deciding_body: str = text_field(200, None, min_length=1)
    current_text: str = text_field(20_000)
    proposed_change: str = text_field(20_000, None, min_length=1)
    on: date = Field(..., description="The day the draft stood.")
    source_url: str = text_field(500)
    source_text: str = text_field(5000)


class PolicyChangeChange(Body):
    """What the change says; its stage moves only by a new stage."""

    title: str = unchanged_text(200, min_length=1)
    instrument: Instrument = unchanged()
    deciding_body: str = unchanged_text(200, min_length=1)
    current_text: str = unchanged_text(20_000)
    proposed_change: str = unchanged_text(20_000, min_length=1)


class PolicyStageIn(Body):
    from_stage: PolicyStage = Field(..., description="The stage it is in now, as you read it.")
    stage: PolicyStage
    on: date
    source_url: str = text_field(500)
    source_text: str = text_field(5000)


@router.get(
    f"{BASE}/policy-changes",
    response={200: Page[PolicyChangeOut], ERROR_CODES: ErrorOut},
    url_name="policy_changes",
)
def list_policy_changes(request: ApiRequest, policy_id: Id, params: Query[PageParams]):
    """The changes of law, regulation, rule, guidance or standard the collaboration seeks."""
    collaboration = get_policy_for(request.auth, policy_id)
    return page(queries.policy_changes(collaboration), params)


@router.post(
    f"{BASE}/policy-changes",
    response={201: PolicyChangeDetailOut, ERROR_CODES: ErrorOut},
    url_name="policy_change_create",
)
def create_policy_change(request: ApiRequest, policy_id: Id, payload: PolicyChangeIn):
    """Record a change sought, as a draft on `on`, with its source (a link or the text)."""
    collaboration = get_policy_for(request.auth, policy_id, edit=True)
    data = validated(NewPolicyChangeForm(payload.dict()))
    return Status(201, services.add_policy_change(request.auth, collaboration, **data))


@router.get(
    f"{BASE}/policy-changes/{{policy_change_id}}",
    response={200: PolicyChangeDetailOut, ERROR_CODES: ErrorOut},
    url_name="policy_change",
)
def get_policy_change(request: ApiRequest, policy_id: Id, policy_change_id: Id):
    """A policy change with every stage it reached, dated and sourced."""
    collaboration = get_policy_for(request.auth, policy_id)
    return policy_change_of(collaboration, policy_change_id)


@router.patch(
    f"{BASE}/policy-changes/{{policy_change_id}}",
    response={200: PolicyChangeDetailOut, ERROR_CODES: ErrorOut},
    url_name="policy_change_edit",
)
def change_policy_change(
    request: ApiRequest, policy_id: Id, policy_change_id: Id, payload: PolicyChangeChange
):
    """Change what a policy change says."""
    collaboration = get_policy_for(request.auth, policy_id, edit=True)
    found = policy_change_of(collaboration, policy_change_id)
    data = validated(changed(PolicyChangeForm, payload, instance=found))
    return services.update_policy_change(request.auth, found, **data)


@router.post(
    f"{BASE}/policy-changes/{{policy_change_id}}/stages",
    response={201: PolicyStageOut, CONFLICT_CODES: ErrorOut},
    url_name="policy_change_stage",
)
def move_policy_change(
    request: ApiRequest, policy_id: Id, policy_change_id: Id, payload: PolicyStageIn
):
    """Record the next stage, naming the stage it moves from: 409 if it moved already."""
    collaboration = get_policy_for(request.auth, policy_id, edit=True)
    found = policy_change_of(collaboration, policy_change_id)
    data = validated(StageMoveForm(payload.dict(), change=found))
    return Status(201, services.move_policy_change(request.auth, found, **data))


class ConsultationResponseOut(Schema):
    id: int
    policy_change_id: int
    title: str
    submitted_on: date
    summary: str
    filename: str
    size: int
    content_type: str
    submitted_by_id: int | None


@router.get(
    f"{BASE}/consultation-responses",
    response={200: Page[ConsultationResponseOut], ERROR_CODES: ErrorOut},
    url_name="consultation_responses",
)
def list_responses(request: ApiRequest, policy_id: Id, params: Query[PageParams]):
    """What the civic side submitted to the consultations (the files through the page)."""
    collaboration = get_policy_for(request.auth, policy_id)
    return page(queries.responses(collaboration), params)


# Commitments


class CommitmentInstitutionOut(Schema):
    role: str
    name: str
    organisation_id: int | None


class PolicyCommitmentOut(Schema):
    id: int
    collaboration_id: int
    identifier: str
    title: str
    short_title: str
    text: str
    country: str
    start_date: date | None
    end_date: date | None
    url: str
    completion: Completion
    practice_change: str = Field(..., description="Did it open government? Empty: not assessed.")
    institutions: list[CommitmentInstitutionOut]
    extra: dict[str, Any] = Field(..., description="Columns of an imported file no field took.")

    @staticmethod
    def resolve_institutions(commitment) -> list:
        return list(commitment.institutions.all())


class CommitmentMilestoneOut(Schema):
    id: int
    title: str
    due_on: date | None
    done_on: date | None


class CommitmentAssessmentOut(Schema):
    id: int
    on: date
    from_completion: Completion
    completion: Completion
    from_practice_change: str
    practice_change: str
    evidence: str
    evidence_url: str
    recorded_by_id: int | None
    created_at: datetime


class PolicyCommitmentDetailOut(PolicyCommitmentOut):
    milestones: list[CommitmentMilestoneOut]
    assessments: list[CommitmentAssessmentOut]

    @staticmethod
    def resolve_milestones(commitment) -> list:
        return list(commitment.milestones.all())

    @staticmethod
    def resolve_assessments(commitment) -> list:
        return list(commitment.assessments.all())


class PolicyCommitmentIn(Body):
    identifier: str = text_field(100)
    title: str = text_field(20_000, None, min_length=1)
    short_title: str = text_field(200)
    text: str = text_field(100_000)
    country: str = text_field(200)
    start_date: date | None = None
    end_date: date | None = None
    url: str = text_field(500)
    lead_institution: Id | None = None
    supporting_institutions: list[Id] = Field(default_factory=list, max_length=50)


class PolicyCommitmentChange(Body):
    identifier: str = unchanged_text(100)
    title: str = unchanged_text(20_000, min_length=1)
    short_title: str = unchanged_text(200)
    text: str = unchanged_text(100_000)
    country: str = unchanged_text(200)
    start_date: date | None = unchanged()
    end_date: date | None = unchanged()
    url: str = unchanged_text(500)
    lead_institution: Id | None = unchanged()
    supporting_institutions: list[Id] = unchanged(max_length=50)


class CommitmentMilestoneIn(Body):
    title: str = text_field(500, None, min_length=1)
    due_on: date | None = None


class CommitmentMilestoneChange(Body):
    done_on: date | None = Field(..., description="The day it was done; null opens it again.")


class CommitmentAssessmentIn(Body):
    from_completion: Completion = Field(..., description="Its completion now, as you read it.")
    completion: Completion
    practice_change: PracticeChange | None = None
    on: date
    evidence: str = text_field(5000, None, min_length=1)
    evidence_url: str = text_field(500)


@router.get(
    f"{BASE}/commitments",
    response={200: Page[PolicyCommitmentOut], ERROR_CODES: ErrorOut},
    url_name="commitments",
)
def list_commitments(request: ApiRequest, policy_id: Id, params: Query[PageParams]):
    """The action plan's commitments, with their institutions."""
    collaboration = get_policy_for(request.auth, policy_id)
    return page(queries.commitments(collaboration, timezone.localdate()), params)


@router.post(
    f"{BASE}/commitments",
    response={201: PolicyCommitmentDetailOut, ERROR_CODES: ErrorOut},
    url_name="commitment_create",
)
def create_commitment(request: ApiRequest, policy_id: Id, payload: PolicyCommitmentIn):
    """Add a commitment to the action plan; it starts not started."""
    collaboration = get_policy_for(request.auth, policy_id, edit=True)
    data = validated(CommitmentForm(payload.dict()))
    return Status(201, services.save_commitment(request.auth, collaboration, **data))


@router.get(
    f"{BASE}/commitments/{{policy_commitment_id}}",
    response={200: PolicyCommitmentDetailOut, ERROR_CODES: ErrorOut},
    url_name="commitment",
)
def get_commitment(request: ApiRequest, policy_id: Id, policy_commitment_id: Id):
    """A commitment with its milestones and every assessment, newest first."""
    collaboration = get_policy_for(request.auth, policy_id)
    return commitment_of(collaboration, policy_commitment_id)


@router.patch(
    f"{BASE}/commitments/{{policy_commitment_id}}",
    response={200: PolicyCommitmentDetailOut, ERROR_CODES: ErrorOut},
    url_name="commitment_edit",
)
def change_commitment(
    request: ApiRequest, policy_id: Id, policy_commitment_id: Id, payload: PolicyCommitmentChange
):
    """Change what a commitment says; its completion changes only by an assessment."""
    collaboration = get_policy_for(request.auth, policy_id, edit=True)
    found = commitment_of(collaboration, policy_commitment_id)
    data = validated(changed(CommitmentForm, payload, instance=found))
    return services.save_commitment(request.auth, collaboration, found, **data)


@router.post(
    f"{BASE}/commitments/{{policy_commitment_id}}/milestones",
    response={201: CommitmentMilestoneOut, ERROR_CODES: ErrorOut},
    url_name="commitment_milestone_create",
)
def add_milestone(
    request: ApiRequest, policy_id: Id, policy_commitment_id: Id, payload: CommitmentMilestoneIn
):
    """Add a step of the commitment, due on a day."""
    collaboration = get_policy_for(request.auth, policy_id, edit=True)
    found = commitment_of(collaboration, policy_commitment_id)
    data = validated(MilestoneForm(payload.dict()))
    return Status(201, services.add_milestone(request.auth, found, **data))


@router.patch(
    f"{BASE}/commitments/{{policy_commitment_id}}/milestones/{{policy_milestone_id}}",
    response={200: CommitmentMilestoneOut, ERROR_CODES: ErrorOut},
    url_name="commitment_milestone_edit",
)
def record_milestone(
    request: ApiRequest,
    policy_id: Id,
    policy_commitment_id: Id,
    policy_milestone_id: Id,
    payload: CommitmentMilestoneChange,
):
    """Record the day a milestone was done, or open it again with null."""
    collaboration = get_policy_for(request.auth, policy_id, edit=True)
    milestone = milestone_of(
        commitment_of(collaboration, policy_commitment_id), policy_milestone_id
    )
    data = validated(MilestoneDoneForm(payload.dict()))
    return services.set_milestone_done(request.auth, milestone, **data)


@router.post(
    f"{BASE}/commitments/{{policy_commitment_id}}/assessments",
    response={201: CommitmentAssessmentOut, CONFLICT_CODES: ErrorOut},
    url_name="commitment_assess",
)
def assess_commitment(
    request: ApiRequest, policy_id: Id, policy_commitment_id: Id, payload: CommitmentAssessmentIn
):
    """Record how far it got and whether it opened government, with evidence: 409 if its
    completion is no longer `from_completion`."""
    collaboration = get_policy_for(request.auth, policy_id, edit=True)
    found = commitment_of(collaboration, policy_commitment_id)
    body = payload.dict()
    body["practice_change"] = body["practice_change"] or ""
    data = validated(AssessmentForm(body, commitment=found))
    return Status(201, services.assess_commitment(request.auth, found, **data))
