"""The request and response bodies of the collaborations API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from civicbridge.core.api.schemas import (
    Body,
    ChangeRefusingFixed,
    Id,
    text,
    unchanged,
    unchanged_text,
)
from civicbridge.core.choices import Visibility

from ..choices import (
    GoalKind,
    Model,
    ObligationStatus,
    PartySide,
    ReformStatus,
    Stage,
    StakeholderRole,
    TrainingStatus,
)
from ..models import Reform
from ..services.lifecycle import FIXED_FIELDS, PARTIES_ARE_FIXED


class AgreementOut(Schema):
    version: int = Field(..., description="0 until someone writes the MOU.")
    purpose: str
    terms: str


class AgreementChange(Body):
    """The purpose or the terms to change; one left out keeps its words."""

    purpose: str = unchanged_text(20_000)
    terms: str = unchanged_text(100_000)


class AgreementVersionOut(Schema):
    number: int
    content: dict[str, Any] = Field(..., description="The terms and obligations, frozen.")
    made_at: datetime
    made_by_id: int | None
    change: str


class ObligationOut(Schema):
    id: int
    party_id: int
    description: str
    owner_id: int | None
    due_date: date | None
    status: str
    done_on: date | None


class ObligationIn(Body):
    party: Id
    description: str = text(5000, None, min_length=1)
    owner: Id
    due_date: date


class ObligationChange(Body):
    """The obligation's terms to change; every field left out keeps its value."""

    party: Id = unchanged()
    description: str = unchanged_text(5000, min_length=1)
    owner: Id = unchanged()
    due_date: date = unchanged()


class ObligationStatusIn(Body):
    status: ObligationStatus


class SignatureOut(Schema):
    id: int
    version: int
    party_id: int
    signed_by_id: int
    signer_name: str
    signed_at: datetime
    voided_at: datetime | None
    void_reason: str


class SignatureIn(Body):
    version: int = Field(..., ge=1, le=2**31)
    password: str = text(4096, None)


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


class CheckInIn(Body):
    due_on: date
    workflow: str = text(5000, None, min_length=1)
    problems: str = text(5000)
    quality: int = Field(..., ge=1, le=5)
    comment: str = text(5000)
    visibility: Visibility = Visibility.BOTH_SIDES


class CollaborationOut(Schema):
    id: int
    model: str
    title: str
    summary: str
    civic_organisation_id: int
    institution_id: int
    start_date: date | None
    end_date: date | None
    stage: str
    closed_on: date | None
    checkin_every_days: int
    public: bool


class GateOut(Schema):
    condition: str
    statement: dict[str, str]
    check: str | None
    passed: bool | None
    reason: str
    blocking: bool
    mitigations: list[dict[str, str]]


class StartingConditionOut(Schema):
    condition: str
    source: str = Field(
        ...,
        description="`assessment`: read from the assessment's answers when proposed; `gate`: "
        "from the checks on the move to agreed.",
    )
    met: bool | None = Field(..., description="null: unknown (unanswered, or no check).")
    statement: str
    question: str
    answer: int | None
    reason: str
    playbook_version: int


class CollaborationDetailOut(CollaborationOut):
    department_ids: list[int]
    next_stage: str | None
    next_gates: list[GateOut]
    assessment_id: int | None = Field(
        ...,
        description="The assessment it started from, if you may see it (otherwise null).",
    )
    starting_conditions: list[StartingConditionOut] = Field(
        ...,
        description="The conditions at the start; those read from an assessment only if you "
        "may see it.",
    )


class CollaborationIn(Body):
    model: Model
    title: str = text(200, None)
    summary: str = text(10_000)
    civic_organisation: Id
    institution: Id
    assessment: Id | None = Field(
        None,
        description="A finished assessment of the institution that you may see and that "
        "leaves the model open: its answers become the starting conditions. Fixed once "
        "proposed.",
    )
    departments: list[Id] = Field(default_factory=list, max_length=50)
    start_date: date | None = None
    end_date: date | None = None
    checkin_every_days: int = Field(14, ge=1, le=365)
    public: bool = False


class CollaborationChange(ChangeRefusingFixed):
    """The details to change; every field left out keeps its value. The model, the parties
    and the assessment it started from are fixed once proposed: a body naming one is
    refused (propose a party change at `/party-changes` instead)."""

    fixed = FIXED_FIELDS
    fixed_message = PARTIES_ARE_FIXED

    title: str = unchanged_text(200, min_length=1)
    summary: str = unchanged_text(10_000)
    departments: list[Id] = unchanged(max_length=50)
    start_date: date | None = unchanged()
    end_date: date | None = unchanged()
    checkin_every_days: int = unchanged(ge=1, le=365)
    public: bool = unchanged()


class TransitionIn(Body):
    from_stage: Stage = Field(
        ...,
        description="The stage you saw it in. If it has moved on since, nothing moves: 409 "
        "with the current stage.",
    )
    early: bool = Field(
        False,
        description="Confirms a move to closing (or closed) before the planned end date; "
        "without it such a move is refused with 422 and changes nothing.",
    )


class TransitionOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    at: datetime
    actor_id: int | None
    gate_results: list[dict[str, Any]]
    playbook_version: int | None


class RiskOut(Schema):
    id: int
    condition: str
    statement: str
    reason: str
    stage: str = Field(..., description="The stage the collaboration entered with it.")
    resolved_on: date | None


class ActivityOut(Schema):
    id: int
    at: datetime
    actor_id: int | None
    owner_organisation_id: int
    visibility: str
    message: str
    url: str


class NoteOut(Schema):
    id: int
    owner_organisation_id: int
    visibility: str
    author_id: int | None
    body: str
    created_at: datetime


class NoteIn(Body):
    body: str = text(10_000, None, min_length=1)
    visibility: Visibility = Visibility.OWN_SIDE


class CreditStatementOut(Schema):
    id: int
    text: str
    government_contribution: str
    drafted_by_id: int
    civic_approved_by_id: int | None
    civic_approved_at: datetime | None
    institution_approved_by_id: int | None
    institution_approved_at: datetime | None
    published: bool
    digest: str = Field(..., description="Send it back as `seen` to approve these words.")


class CreditStatementIn(Body):
    # `text` last: the field's name hides the helper of that name in the class body.
    government_contribution: str = text(10_000, None, min_length=1)
    text: str = text(10_000, None, min_length=1)


class CreditStatementChange(Body):
    """The words to change; one left out keeps its words. Any change withdraws both
    approvals."""

    government_contribution: str = unchanged_text(10_000, min_length=1)
    text: str = unchanged_text(10_000, min_length=1)


class ApprovalIn(Body):
    seen: str = Field(
        ...,
        max_length=64,
        pattern=r"^[0-9a-f]*$",
        description="The statement's `digest` when you read it: nothing is approved if the "
        "words changed since.",
    )


class ReformOut(Schema):
    id: int
    owner_organisation_id: int
    visibility: str
    title: str
    description: str
    status: str
    asked_on: date
    agreed_on: date | None
    achieved_on: date | None
    champion_ids: list[int]

    @staticmethod
    def resolve_champion_ids(obj: Reform) -> list[int]:
        return [person.pk for person in obj.champions.all()]


class ReformIn(Body):
    title: str = text(300, None, min_length=1)
    description: str = text(10_000)
    champions: list[Id] = Field(default_factory=list, max_length=50)
    visibility: Visibility = Visibility.BOTH_SIDES


class ReformChange(Body):
    """What to change of the reform; every field left out keeps its value. The status only
    moves forward, and reaching a status dates it today."""

    title: str = unchanged_text(300, min_length=1)
    description: str = unchanged_text(10_000)
    status: ReformStatus = unchanged()
    champions: list[Id] = unchanged(max_length=50)
    visibility: Visibility = unchanged()


class GoalOut(Schema):
    id: int
    owner_organisation_id: int
    visibility: str
    kind: str
    title: str


class GoalIn(Body):
    kind: GoalKind
    title: str = text(300, None, min_length=1)
    visibility: Visibility = Visibility.BOTH_SIDES


class GoalChange(Body):
    """What to change of the goal; every field left out keeps its value."""

    kind: GoalKind = unchanged()
    title: str = unchanged_text(300, min_length=1)
    visibility: Visibility = unchanged()


class IndicatorOut(Schema):
    id: int
    goal_id: int
    name: str
    unit: str
    baseline: Decimal
    target: Decimal


class IndicatorIn(Body):
    name: str = text(300, None, min_length=1)
    unit: str = text(50)
    baseline: Decimal = Field(..., max_digits=14, decimal_places=2)
    target: Decimal = Field(..., max_digits=14, decimal_places=2)


class IndicatorValueIn(Body):
    period_end: date
    value: Decimal = Field(..., max_digits=14, decimal_places=2)
    note: str = text(500)


class IndicatorValueOut(Schema):
    id: int
    indicator_id: int
    period_end: date
    value: Decimal
    note: str
    reported_by_id: int | None
    reported_at: datetime


class SuccessorOut(Schema):
    id: int
    person_id: int
    takes_over: str
    training_status: str


class SuccessorIn(Body):
    person: Id
    takes_over: str = text(300)
    training_status: TrainingStatus = TrainingStatus.NOT_STARTED


class SuccessorChange(Body):
    """What the successor takes over, or how far their training has come; a field left out
    keeps its value. Another person is another successor: add them instead."""

    takes_over: str = unchanged_text(300)
    training_status: TrainingStatus = unchanged()


class HandoverTaskOut(Schema):
    id: int
    title: str
    owner_id: int | None
    due_date: date | None
    done_on: date | None


class HandoverTaskIn(Body):
    title: str = text(300, None, min_length=1)
    owner: Id | None = None
    due_date: date | None = None


class StakeholderOut(Schema):
    id: int
    person_id: int
    organisation_id: int
    department_id: int | None
    role: str


class StakeholderIn(Body):
    person: Id
    role: StakeholderRole
    organisation: Id | None = None
    department: Id | None = None


class PartyChangeOut(Schema):
    id: int
    side: str
    replaced_id: int
    successor_id: int
    reason: str
    proposed_by_id: int | None
    civic_approved_by_id: int | None
    civic_approved_at: datetime | None
    institution_approved_by_id: int | None
    institution_approved_at: datetime | None
    status: str
    decided_at: datetime | None


class PartyChangeIn(Body):
    side: PartySide = Field(..., description="The party replaced.")
    successor: Id = Field(..., description="The organisation that takes its place.")
    reason: str = text(5000, None, min_length=1)
