"""The request and response bodies of the events API."""

from datetime import date, datetime

from ninja import Field, Schema

from civicbridge.collaborations.models import Collaboration
from civicbridge.core.api.schemas import (
    Body,
    Id,
    text,
    unchanged,
    unchanged_text,
)

from ..choices import EventKind, RegistrationState
from ..models import Judge, Team
from ..queries import registration_of


class EventOut(Schema):
    """An event: its collaboration's id, title, parties and dates, and its own facts."""

    id: int
    title: str
    summary: str
    kind: str
    civic_organisation_id: int
    institution_id: int
    partner_institution_ids: list[int]
    organiser_ids: list[int]
    start_date: date | None
    end_date: date | None
    stage: str
    public: bool
    venue: str
    online: bool
    capacity: int | None
    url: str
    registration_open: bool
    registration: RegistrationState = Field(
        description="open; full (a new registration joins the waiting list); or closed."
    )
    confirmed: int = Field(description="Confirmed places.")
    waiting: int = Field(description="People on the waiting list.")

    @staticmethod
    def resolve_kind(obj: Collaboration) -> str:
        return obj.event.kind

    @staticmethod
    def resolve_partner_institution_ids(obj: Collaboration) -> list[int]:
        return [o.pk for o in obj.event.partner_institutions.all()]

    @staticmethod
    def resolve_organiser_ids(obj: Collaboration) -> list[int]:
        return [p.pk for p in obj.event.organisers.all()]

    @staticmethod
    def resolve_venue(obj: Collaboration) -> str:
        return obj.event.venue

    @staticmethod
    def resolve_online(obj: Collaboration) -> bool:
        return obj.event.online

    @staticmethod
    def resolve_capacity(obj: Collaboration) -> int | None:
        return obj.event.capacity

    @staticmethod
    def resolve_url(obj: Collaboration) -> str:
        return obj.event.url

    @staticmethod
    def resolve_registration_open(obj: Collaboration) -> bool:
        return obj.event.takes_registrations()

    @staticmethod
    def resolve_registration(obj: Collaboration) -> RegistrationState:
        state = registration_of(obj)
        assert state is not None
        return state


class EventIn(Body):
    title: str = text(200, None, min_length=1)
    summary: str = text(10_000)
    kind: EventKind
    civic_organisation: Id
    institution: Id
    partner_institutions: list[Id] = Field(default_factory=list, max_length=50)
    start_date: date
    end_date: date
    venue: str = text(300)
    online: bool = False
    capacity: int | None = Field(None, ge=1, le=1_000_000)
    url: str = text(500)
    public: bool = False


class EventChange(Body):
    """The event's own facts; a field left out keeps its value. Its title, dates and public
    switch are the collaboration's: change them there."""

    kind: EventKind = unchanged()
    venue: str = unchanged_text(300)
    online: bool = unchanged()
    capacity: int | None = unchanged(ge=1, le=1_000_000)
    url: str = unchanged_text(500)
    organisers: list[Id] = unchanged(max_length=50)
    partner_institutions: list[Id] = unchanged(max_length=50)


class ChallengeOut(Schema):
    id: int
    institution_id: int
    title: str
    problem: str
    affected_users: str
    data_available: str
    constraints: str
    success_criteria: str
    owner_id: int | None
    owner_attends: bool
    receiving_capacity: str
    status: str
    submitted_by_id: int | None
    reviewed_by_id: int | None
    review_note: str
    published_at: datetime | None


class ChallengeIn(Body):
    institution: Id
    title: str = text(200, None, min_length=1)
    problem: str = text(10_000, None, min_length=1)
    affected_users: str = text(10_000, None, min_length=1)
    data_available: str = text(10_000)
    constraints: str = text(10_000)
    success_criteria: str = text(10_000, None, min_length=1)
    owner: Id | None = None
    owner_attends: bool = False
    receiving_capacity: str = text(10_000)
    submit: bool = Field(False, description="Submit it for review now, instead of a draft.")


class ChallengeChange(Body):
    """The challenge's text, owner and commitment; a field left out keeps its value. A
    published challenge goes back to review; a declined one becomes a draft."""

    title: str = unchanged_text(200, min_length=1)
    problem: str = unchanged_text(10_000, min_length=1)
    affected_users: str = unchanged_text(10_000, min_length=1)
    data_available: str = unchanged_text(10_000)
    constraints: str = unchanged_text(10_000)
    success_criteria: str = unchanged_text(10_000, min_length=1)
    owner: Id | None = unchanged()
    owner_attends: bool = unchanged()
    receiving_capacity: str = unchanged_text(10_000)


class ReviewIn(Body):
    decision: str = Field(..., pattern="^(publish|decline)$")
    note: str = text(5000)


class ParticipantOut(Schema):
    id: int
    name: str
    email: str
    disciplines: list[str]
    status: str
    consent_at: datetime
    confirmed_at: datetime | None
    team_id: int | None


class TeamOut(Schema):
    id: int
    name: str
    contact_id: int | None
    member_ids: list[int]

    @staticmethod
    def resolve_member_ids(obj: Team) -> list[int]:
        return [member.pk for member in obj.members.all()]


class TeamIn(Body):
    name: str = text(200, None, min_length=1)
    members: list[Id] = Field(..., min_length=1, max_length=100)
    contact: Id | None = None


class FollowUpOut(Schema):
    id: int
    project_id: int
    project_title: str = Field(..., alias="project.title")
    months: int
    due_on: date
    respondent: str
    name: str = Field(
        ...,
        alias="shown_name",
        description="A team contact's name is given to the organisers' side only.",
    )
    sent_at: datetime | None
    reminded_at: datetime | None
    answered_at: datetime | None
    status: str
    evidence_url: str
    note: str


class StepOut(Schema):
    months: int
    at_risk: int
    deaths: int
    censored: int
    survival: float


class GroupOut(Schema):
    projects: int
    answered: int
    followed_to_horizon: int
    alive_at_horizon: float | None
    too_few_to_tell: bool


class ComparisonOut(Schema):
    feature: str
    with_it: GroupOut
    without_it: GroupOut


class SurvivalOut(GroupOut):
    label: str
    horizon_months: int
    adopted: int
    handed_over: int
    abandoned: int
    adoption: float | None
    steps: list[StepOut]
    comparisons: list[ComparisonOut]


class EventSurvivalOut(GroupOut):
    collaboration_id: int
    title: str
    start_date: date | None
    adoption: float | None


class AcrossEventsOut(SurvivalOut):
    events: list[EventSurvivalOut]


class LedToIn(Body):
    led_to: Id | None = Field(
        ...,
        description="A fellowship, contract or other collaboration of the organisers; null "
        "clears the link.",
    )


class ProjectOut(Schema):
    id: int
    title: str
    team_id: int | None
    challenge_id: int | None
    problem: str
    users: str
    concept: str
    prototype_url: str
    repository_url: str
    winner: bool
    status: str
    led_to_id: int | None = Field(
        ..., description="The fellowship, contract or other collaboration it led to."
    )
    created_at: datetime


class ProjectIn(Body):
    team: Id
    challenge: Id
    title: str = text(300, None, min_length=1)
    problem: str = text(10_000, None, min_length=1)
    users: str = text(10_000, None, min_length=1)
    concept: str = text(10_000, None, min_length=1)
    prototype_url: str = text(500)
    repository_url: str = text(500)


class ProjectChange(Body):
    """A project's parts; a field left out keeps its value."""

    team: Id = unchanged()
    challenge: Id = unchanged()
    title: str = unchanged_text(300, min_length=1)
    problem: str = unchanged_text(10_000, min_length=1)
    users: str = unchanged_text(10_000, min_length=1)
    concept: str = unchanged_text(10_000, min_length=1)
    prototype_url: str = unchanged_text(500)
    repository_url: str = unchanged_text(500)


class ArtefactOut(Schema):
    id: int
    kind: str
    filename: str
    content_type: str
    size: int
    created_at: datetime


class TeamLinkOut(Schema):
    team_id: int
    sent_to: str = Field(..., description="The team contact's address the link went to.")


class CriterionOut(Schema):
    id: int
    name: str
    description: str
    weight: int
    order: int


class CriterionIn(Body):
    name: str = text(200, None, min_length=1)
    description: str = text(5000)
    weight: int = Field(..., ge=1, le=10)
    order: int = Field(0, ge=0, le=1000)


class CriterionChange(Body):
    """A line of the rubric to change; every field left out keeps its value."""

    name: str = unchanged_text(200, min_length=1)
    description: str = unchanged_text(5000)
    weight: int = unchanged(ge=1, le=10)
    order: int = unchanged(ge=0, le=1000)


class JudgeOut(Schema):
    id: int
    user_id: int
    name: str
    recused_from: list[int] = Field(description="The teams the judge has a stake in.")

    @staticmethod
    def resolve_name(obj: Judge) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_recused_from(obj: Judge) -> list[int]:
        return [team.pk for team in obj.recused_from.all()]


class JudgeIn(Body):
    email: str = text(254, None, min_length=3)


class RecusalIn(Body):
    team: Id


class SheetIn(Body):
    scores: dict[int, int] = Field(
        ..., description="A score from 1 to 5 for every criterion, by the criterion's id."
    )


class SheetOut(Schema):
    scores: dict[int, int]


class ResultOut(Schema):
    project_id: int
    title: str
    rank: int | None
    total: float | None = Field(description="The weighted mean over the judges, 1 to 5.")
    judges: int
    decided_by: str | None = Field(
        description="How a tie with the project above was broken: heaviest, judges or entry."
    )
    winner: bool


class ResultsOut(Schema):
    published_at: datetime | None
    tie_break: str
    results: list[ResultOut]


class WinnerIn(Body):
    winner: bool


class PlanOut(Schema):
    project_id: int
    worth_continuing: bool
    owner_id: int | None
    capacity: str


class PlanIn(Body):
    worth_continuing: bool
    owner: Id | None = None
    capacity: str = text(10_000)


class CommitmentOut(Schema):
    id: int
    official_id: int
    next_step: str
    due_on: date
    done_on: date | None


class CommitmentIn(Body):
    official: Id
    next_step: str = text(5000, None, min_length=1)
    due_on: date


class DoneIn(Body):
    done: bool
