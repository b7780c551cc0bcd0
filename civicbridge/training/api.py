"""A training programme through the API: the same permission helpers, forms and services as
its curriculum, sessions, participants and capacity tabs (T1)."""

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status

from civicbridge.core.api.forms import validated
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
)
from civicbridge.core.permissions import require

from . import queries
from .choices import SeatStatus
from .forms import AttendanceForm, ModuleForm, ObjectiveForm, ParticipantForm, SessionForm
from .models import Module
from .permissions import (
    can_register,
    can_run,
    get_training_for,
    module_of,
    participant_of,
    session_of,
)
from .services import curriculum, participants, sessions

router = Router(tags=["training"])


class TrainingObjectiveOut(Schema):
    id: int
    text: str
    position: int


class TrainingModuleOut(Schema):
    id: int
    title: str
    summary: str
    required: bool
    position: int
    objectives: list[TrainingObjectiveOut]

    @staticmethod
    def resolve_objectives(module: Module) -> list:
        return list(module.objectives.all())


class TrainingModuleIn(Body):
    title: str = text(200, None, min_length=1)
    summary: str = text(20_000)
    required: bool = True
    position: int = Field(1, ge=1, le=32767)


class TrainingObjectiveIn(Body):
    text: str = text(300, None, min_length=1)


@router.get(
    "/collaborations/{training_id}/training/modules",
    response={200: Page[TrainingModuleOut], ERROR_CODES: ErrorOut},
    url_name="training_modules",
)
def list_modules(request: ApiRequest, training_id: Id, params: Query[PageParams]):
    """The curriculum: modules with their learning objectives (both sides read it)."""
    collaboration = get_training_for(request.auth, training_id)
    return page(queries.curriculum(collaboration), params)


@router.post(
    "/collaborations/{training_id}/training/modules",
    response={201: TrainingModuleOut, ERROR_CODES: ErrorOut},
    url_name="training_module_create",
)
def add_module(request: ApiRequest, training_id: Id, payload: TrainingModuleIn):
    """Add a module to the curriculum (the civic side runs the programme)."""
    collaboration = get_training_for(request.auth, training_id)
    require(can_run(request.auth, collaboration))
    data = validated(ModuleForm(payload.dict()))
    return Status(201, curriculum.add_module(request.auth, collaboration, **data))


@router.post(
    "/collaborations/{training_id}/training/modules/{module_id}/objectives",
    response={201: TrainingObjectiveOut, ERROR_CODES: ErrorOut},
    url_name="training_objective_create",
)
def add_objective(
    request: ApiRequest, training_id: Id, module_id: Id, payload: TrainingObjectiveIn
):
    """Add a learning objective to a module."""
    collaboration = get_training_for(request.auth, training_id)
    require(can_run(request.auth, collaboration))
    module = module_of(collaboration, module_id)
    data = validated(ObjectiveForm(payload.dict()))
    return Status(201, curriculum.add_objective(request.auth, module, **data))


class TrainingSessionOut(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    online_link: str
    capacity: int
    taken: int = Field(..., description="Seats registered or attended.")
    attended: int
    module_ids: list[int]
    trainer_ids: list[int]

    @staticmethod
    def resolve_module_ids(session) -> list[int]:
        return [module.pk for module in session.modules.all()]

    @staticmethod
    def resolve_trainer_ids(session) -> list[int]:
        return [person.pk for person in session.trainers.all()]


class TrainingSessionIn(Body):
    title: str = text(200, None, min_length=1)
    starts_at: datetime
    ends_at: datetime
    place: str = text(300)
    online_link: str = text(500)
    capacity: int = Field(..., ge=1, le=1000)
    modules: list[Id] = Field(default_factory=list, max_length=100)
    trainers: list[Id] = Field(default_factory=list, max_length=100)


@router.get(
    "/collaborations/{training_id}/training/sessions",
    response={200: Page[TrainingSessionOut], ERROR_CODES: ErrorOut},
    url_name="training_sessions",
)
def list_sessions(request: ApiRequest, training_id: Id, params: Query[PageParams]):
    """The sessions with their seats taken, attendance, modules and trainers."""
    collaboration = get_training_for(request.auth, training_id)
    return page(queries.sessions(collaboration), params)


@router.post(
    "/collaborations/{training_id}/training/sessions",
    response={201: TrainingSessionOut, ERROR_CODES: ErrorOut},
    url_name="training_session_create",
)
def add_session(request: ApiRequest, training_id: Id, payload: TrainingSessionIn):
    """Plan a session: a place or an online link, trainers of either side."""
    collaboration = get_training_for(request.auth, training_id)
    require(can_run(request.auth, collaboration))
    data = validated(SessionForm(payload.dict(), collaboration=collaboration))
    created = sessions.add_session(request.auth, collaboration, **data)
    return Status(201, queries.sessions(collaboration).get(pk=created.pk))


class TrainingSeatOut(Schema):
    participant_id: int
    status: SeatStatus


class TrainingSeatIn(Body):
    participant: Id


class TrainingAttendanceIn(Body):
    attended: list[Id] = Field(..., max_length=1000, description="Participants who came.")


class TrainingAttendanceOut(Schema):
    attended: int
    absent: int


@router.post(
    "/collaborations/{training_id}/training/sessions/{session_id}/seats",
    response={200: TrainingSeatOut, ERROR_CODES: ErrorOut},
    url_name="training_seat_create",
)
def register(request: ApiRequest, training_id: Id, session_id: Id, payload: TrainingSeatIn):
    """Register a participant while a seat is free (the runners or the institution's admins)."""
    collaboration = get_training_for(request.auth, training_id)
    require(can_register(request.auth, collaboration))
    session = session_of(collaboration, session_id)
    participant = participant_of(collaboration, payload.participant)
    return sessions.register(request.auth, session, participant)


@router.post(
    "/collaborations/{training_id}/training/sessions/{session_id}/attendance",
    response={200: TrainingAttendanceOut, ERROR_CODES: ErrorOut},
    url_name="training_attendance",
)
def take_attendance(
    request: ApiRequest, training_id: Id, session_id: Id, payload: TrainingAttendanceIn
):
    """Record who came: each participant named attended, every other seat did not."""
    collaboration = get_training_for(request.auth, training_id)
    require(can_run(request.auth, collaboration))
    session = session_of(collaboration, session_id)
    form = AttendanceForm(payload.dict(), seats=list(queries.seats_of(session)))
    return sessions.take_attendance(request.auth, session, validated(form)["attended"])


class TrainingParticipantOut(Schema):
    id: int
    person_id: int
    department_id: int | None
    attended: int = Field(..., description="Sessions attended.")
    covered: int = Field(..., description="Required modules those sessions covered.")
    earned: bool = Field(..., description="Earned the certificate.")
    before_done: bool = Field(..., description="Rated their capacity before the first session.")
    after_done: bool = Field(..., description="Rated their capacity after the last session.")


class TrainingParticipantIn(Body):
    person: Id
    department: Id | None = None


@router.get(
    "/collaborations/{training_id}/training/participants",
    response={200: Page[TrainingParticipantOut], ERROR_CODES: ErrorOut},
    url_name="training_participants",
)
def list_participants(request: ApiRequest, training_id: Id, params: Query[PageParams]):
    """The participants with their department and progress; never their own ratings."""
    collaboration = get_training_for(request.auth, training_id)
    return page(queries.participants(collaboration), params)


@router.post(
    "/collaborations/{training_id}/training/participants",
    response={201: TrainingParticipantOut, ERROR_CODES: ErrorOut},
    url_name="training_participant_create",
)
def add_participant(request: ApiRequest, training_id: Id, payload: TrainingParticipantIn):
    """Name an official of the institution as a participant (the runners or its admins)."""
    collaboration = get_training_for(request.auth, training_id)
    require(can_register(request.auth, collaboration))
    data = validated(ParticipantForm(payload.dict(), collaboration=collaboration))
    created = participants.add_participant(request.auth, collaboration, **data)
    return Status(201, queries.participants(collaboration).get(pk=created.pk))


class TrainingSpreadOut(Schema):
    count: int
    shown: bool = Field(..., description="False below five answers: the group is kept back.")
    low: float | None
    q1: float | None
    median: float | None
    q3: float | None
    high: float | None


class TrainingCapacityRowOut(Schema):
    objective_id: int
    objective: str
    department: str = Field(..., description="Empty for everyone.")
    before: TrainingSpreadOut
    after: TrainingSpreadOut
    months_3: TrainingSpreadOut
    months_6: TrainingSpreadOut
    change: TrainingSpreadOut = Field(..., description="After minus before, of who answered both.")


@router.get(
    "/collaborations/{training_id}/training/capacity",
    response={200: list[TrainingCapacityRowOut], ERROR_CODES: ErrorOut},
    url_name="training_capacity",
)
def capacity(request: ApiRequest, training_id: Id):
    """Self-rated capacity per objective, for everyone and per department, with its spread."""
    collaboration = get_training_for(request.auth, training_id)
    return [
        {
            "objective_id": row.objective.pk,
            "objective": row.objective.text,
            "department": row.department,
            "before": _spread(row.moments["before"]),
            "after": _spread(row.moments["after"]),
            "months_3": _spread(row.moments["3m"]),
            "months_6": _spread(row.moments["6m"]),
            "change": _spread(row.change),
        }
        for row in queries.capacity_change(collaboration)["rows"]
    ]


def _spread(spread: queries.Spread) -> dict:
    return {**vars(spread), "shown": spread.shown}
