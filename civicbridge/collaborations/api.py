"""Collaborations through the API: the same permission helpers, forms and services as the
web pages, so a script meets exactly the rules a user meets in the browser."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import BaseForm
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from civicbridge.api.schemas import ERROR_CODES, ApiRequest, ErrorOut, Id, PageParams, page, text
from civicbridge.core.choices import Visibility
from civicbridge.core.permissions import require
from civicbridge.partners.models import Organisation

from . import permissions
from .choices import GoalKind, Model, ObligationStatus, Stage, StakeholderRole, TrainingStatus
from .forms.agreement import ObligationForm, SignForm, StatusForm
from .forms.core import CollaborationFilterForm, CollaborationForm, NoteForm
from .forms.credit import CreditForm, ReformForm
from .forms.goals import GoalForm, IndicatorForm, ReportForm
from .forms.handover import HandoverTaskForm, SuccessorForm
from .forms.people import StakeholderForm
from .models import (
    CheckIn,
    Collaboration,
    CollaborationNote,
    Goal,
    Indicator,
    Obligation,
    Reform,
    Signature,
    Transition,
)
from .services import agreement as agreement_services
from .services import checkins as checkin_services
from .services import credit as credit_services
from .services import goals as goal_services
from .services import handover as handover_services
from .services import lifecycle as lifecycle_services
from .services import notes as note_services
from .services import people as people_services

router = Router(tags=["collaborations"])


def validated(form: BaseForm) -> dict[str, Any]:
    """The form's cleaned data, or a ValidationError with its errors (answered as 422)."""
    if not form.is_valid():
        raise ValidationError(
            {field: [str(e) for e in errors] for field, errors in form.errors.items()}
        )
    return form.cleaned_data


# Collaborations


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


class CollaborationPage(Schema):
    items: list[CollaborationOut]
    next: int | None


class GateOut(Schema):
    condition: str
    statement: dict[str, str]
    check: str | None
    passed: bool | None
    reason: str
    blocking: bool
    mitigations: list[dict[str, str]]


class CollaborationDetailOut(CollaborationOut):
    department_ids: list[int]
    next_stage: str | None
    next_gates: list[GateOut]


class CollaborationFilters(PageParams):
    """The web list's filters (CollaborationFilterForm), by the same names."""

    q: str = text(100)
    model: Model | None = None
    stage: Stage | None = None
    partner: Id | None = None


def _partners(visible):
    return Organisation.objects.filter(
        Q(pk__in=visible.values("civic_organisation_id"))
        | Q(pk__in=visible.values("institution_id"))
    )


@router.get(
    "/collaborations",
    response={200: CollaborationPage, ERROR_CODES: ErrorOut},
    url_name="collaborations",
)
def list_collaborations(request: ApiRequest, filters: Query[CollaborationFilters]):
    """The collaborations of the user's organisations, filtered as on the web list."""
    visible = permissions.visible_collaborations(request.auth)
    data = {
        "q": filters.q,
        "model": filters.model or "",
        "stage": filters.stage or "",
        "partner": filters.partner or "",
    }
    form = CollaborationFilterForm(data, partners=_partners(visible))
    validated(form)
    return page(form.filter(visible), filters)


class CollaborationIn(Schema):
    model: Model
    title: str = text(200, None)
    summary: str = text(10_000)
    civic_organisation: Id
    institution: Id
    departments: list[Id] = Field(default_factory=list, max_length=50)
    start_date: date | None = None
    end_date: date | None = None
    checkin_every_days: int = Field(14, ge=1, le=365)
    public: bool = False


@router.post(
    "/collaborations",
    response={201: CollaborationOut, ERROR_CODES: ErrorOut},
    url_name="collaboration_create",
)
def create_collaboration(request: ApiRequest, payload: CollaborationIn):
    """Propose a collaboration, as on the web page."""
    require(permissions.can_create_collaboration(request.auth))
    data = validated(CollaborationForm(payload.dict()))
    return Status(201, lifecycle_services.create_collaboration(request.auth, **data))


@router.get(
    "/collaborations/{collaboration_id}",
    response={200: CollaborationDetailOut, ERROR_CODES: ErrorOut},
    url_name="collaboration",
)
def get_collaboration(request: ApiRequest, collaboration_id: Id):
    """One collaboration, its stage, and what the gates to its next stage say now."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    next_stage, results = lifecycle_services.gate_results(collaboration)
    out = CollaborationOut.from_orm(collaboration).dict()
    return {
        **out,
        "department_ids": list(collaboration.departments.values_list("pk", flat=True)),
        "next_stage": next_stage,
        "next_gates": [result.as_record() for result in results],
    }


class TransitionOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    at: datetime
    actor_id: int | None
    gate_results: list[dict[str, Any]]
    playbook_version: int | None


@router.post(
    "/collaborations/{collaboration_id}/transitions",
    response={201: TransitionOut, ERROR_CODES: ErrorOut},
    url_name="collaboration_transitions",
)
def advance_collaboration(request: ApiRequest, collaboration_id: Id):
    """Move to the next stage; 409 with each refused gate and its mitigations if one blocks."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    return Status(201, lifecycle_services.advance(request.auth, collaboration))


class TransitionPage(Schema):
    items: list[TransitionOut]
    next: int | None


@router.get(
    "/collaborations/{collaboration_id}/transitions",
    response={200: TransitionPage, ERROR_CODES: ErrorOut},
    url_name="transitions",
)
def list_transitions(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The stage history, oldest first: who moved it, and what each gate said then."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(Transition.objects.filter(collaboration=collaboration), params)


# Stakeholders


class StakeholderOut(Schema):
    id: int
    person_id: int
    organisation_id: int
    department_id: int | None
    role: str


class StakeholderPage(Schema):
    items: list[StakeholderOut]
    next: int | None


class StakeholderIn(Schema):
    person: Id
    role: StakeholderRole
    organisation: Id | None = None
    department: Id | None = None


@router.get(
    "/collaborations/{collaboration_id}/stakeholders",
    response={200: StakeholderPage, ERROR_CODES: ErrorOut},
    url_name="stakeholders",
)
def list_stakeholders(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(collaboration.stakeholders.all(), params)


@router.post(
    "/collaborations/{collaboration_id}/stakeholders",
    response={201: StakeholderOut, ERROR_CODES: ErrorOut},
    url_name="stakeholder_create",
)
def add_stakeholder(request: ApiRequest, collaboration_id: Id, payload: StakeholderIn):
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(StakeholderForm(payload.dict(), collaboration=collaboration))
    return Status(201, people_services.add_stakeholder(request.auth, collaboration, **data))


# Obligations and signatures


class ObligationOut(Schema):
    id: int
    party_id: int
    description: str
    owner_id: int | None
    due_date: date | None
    status: str
    done_on: date | None


class ObligationPage(Schema):
    items: list[ObligationOut]
    next: int | None


class ObligationIn(Schema):
    party: Id
    description: str = text(5000, None, min_length=1)
    owner: Id
    due_date: date


@router.get(
    "/collaborations/{collaboration_id}/obligations",
    response={200: ObligationPage, ERROR_CODES: ErrorOut},
    url_name="obligations",
)
def list_obligations(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(Obligation.objects.filter(agreement__collaboration=collaboration), params)


@router.post(
    "/collaborations/{collaboration_id}/obligations",
    response={201: ObligationOut, ERROR_CODES: ErrorOut},
    url_name="obligation_create",
)
def add_obligation(request: ApiRequest, collaboration_id: Id, payload: ObligationIn):
    """Add an obligation to the MOU: a change of terms that voids earlier signatures."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(ObligationForm(payload.dict(), collaboration=collaboration))
    return Status(201, agreement_services.add_obligation(request.auth, collaboration, **data))


class ObligationStatusIn(Schema):
    status: ObligationStatus


@router.post(
    "/collaborations/{collaboration_id}/obligations/{obligation_id}/status",
    response={200: ObligationOut, ERROR_CODES: ErrorOut},
    url_name="obligation_status",
)
def set_obligation_status(
    request: ApiRequest, collaboration_id: Id, obligation_id: Id, payload: ObligationStatusIn
):
    """Track an obligation to done: not a change of terms, so no signature is voided."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    obligation = get_object_or_404(
        Obligation.objects.filter(agreement__collaboration=collaboration).select_related(
            "agreement"
        ),
        pk=obligation_id,
    )
    obligation.agreement.collaboration = collaboration
    data = validated(StatusForm(payload.dict()))
    return agreement_services.set_obligation_status(request.auth, obligation, **data)


class SignatureOut(Schema):
    id: int
    version: int
    party_id: int
    signed_by_id: int
    signer_name: str
    signed_at: datetime
    voided_at: datetime | None
    void_reason: str


class SignaturePage(Schema):
    items: list[SignatureOut]
    next: int | None


class SignatureIn(Schema):
    version: int = Field(..., ge=1, le=2**31)
    password: str = text(4096, None)


@router.get(
    "/collaborations/{collaboration_id}/signatures",
    response={200: SignaturePage, ERROR_CODES: ErrorOut},
    url_name="signatures",
)
def list_signatures(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(Signature.objects.filter(agreement__collaboration=collaboration), params)


@router.post(
    "/collaborations/{collaboration_id}/signatures",
    response={201: SignatureOut, ERROR_CODES: ErrorOut},
    url_name="signature_create",
)
def sign_agreement(request: ApiRequest, collaboration_id: Id, payload: SignatureIn):
    """Sign the MOU's current version for your side, re-entering your password."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    require(permissions.can_sign(request.auth, collaboration))
    data = validated(SignForm(payload.dict()))
    # Through authenticate(), so wrong passwords count toward the same lockout as signing in.
    email = request.auth.get_username()
    if authenticate(request, username=email, password=data["password"]) is None:
        if getattr(request, "axes_locked_out", False):
            # Answer in the API's format; the lockout itself stands, as on the web page.
            setattr(request, "axes_locked_out", False)  # noqa: B010
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            raise HttpError(
                429,
                _("Too many wrong passwords: try again in %(minutes)d minutes.")
                % {"minutes": minutes},
            )
        raise ValidationError({"password": agreement_services.WRONG_PASSWORD})
    return Status(201, agreement_services.sign_agreement(request.auth, collaboration, **data))


# Check-ins


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


class CheckInPage(Schema):
    items: list[CheckInOut]
    next: int | None


class CheckInIn(Schema):
    due_on: date
    workflow: str = text(5000, None, min_length=1)
    problems: str = text(5000)
    quality: int = Field(..., ge=1, le=5)
    comment: str = text(5000)
    visibility: Visibility = Visibility.BOTH_SIDES


@router.get(
    "/collaborations/{collaboration_id}/checkins",
    response={200: CheckInPage, ERROR_CODES: ErrorOut},
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
    return Status(
        201, checkin_services.submit_checkin(request.auth, collaboration, **payload.dict())
    )


# Indicators


class IndicatorOut(Schema):
    id: int
    goal_id: int
    name: str
    unit: str
    baseline: Decimal
    target: Decimal


class IndicatorPage(Schema):
    items: list[IndicatorOut]
    next: int | None


class IndicatorValueIn(Schema):
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


def _indicators(user, collaboration: Collaboration):
    goals = permissions.visible_records(user, Goal.objects.filter(collaboration=collaboration))
    return Indicator.objects.filter(goal__in=goals)


@router.get(
    "/collaborations/{collaboration_id}/indicators",
    response={200: IndicatorPage, ERROR_CODES: ErrorOut},
    url_name="indicators",
)
def list_indicators(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The indicators of the goals the user may see."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(_indicators(request.auth, collaboration), params)


@router.post(
    "/collaborations/{collaboration_id}/indicators/{indicator_id}/values",
    response={201: IndicatorValueOut, ERROR_CODES: ErrorOut},
    url_name="indicator_value_create",
)
def report_value(
    request: ApiRequest, collaboration_id: Id, indicator_id: Id, payload: IndicatorValueIn
):
    """Report the actual value for a period; reporting a period again corrects it."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    indicator = get_object_or_404(
        _indicators(request.auth, collaboration).select_related("goal__collaboration"),
        pk=indicator_id,
    )
    data = validated(ReportForm(payload.dict()))
    return Status(201, goal_services.report_value(request.auth, indicator, **data))


# Goals


class GoalOut(Schema):
    id: int
    owner_organisation_id: int
    visibility: str
    kind: str
    title: str


class GoalPage(Schema):
    items: list[GoalOut]
    next: int | None


class GoalIn(Schema):
    kind: GoalKind
    title: str = text(300, None, min_length=1)
    visibility: Visibility = Visibility.BOTH_SIDES


class IndicatorIn(Schema):
    name: str = text(300, None, min_length=1)
    unit: str = text(50)
    baseline: Decimal = Field(..., max_digits=14, decimal_places=2)
    target: Decimal = Field(..., max_digits=14, decimal_places=2)


@router.get(
    "/collaborations/{collaboration_id}/goals",
    response={200: GoalPage, ERROR_CODES: ErrorOut},
    url_name="goals",
)
def list_goals(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The goals the user may see: their side's and those shared with them."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    goals = Goal.objects.filter(collaboration=collaboration)
    return page(permissions.visible_records(request.auth, goals), params)


@router.post(
    "/collaborations/{collaboration_id}/goals",
    response={201: GoalOut, ERROR_CODES: ErrorOut},
    url_name="goal_create",
)
def add_goal(request: ApiRequest, collaboration_id: Id, payload: GoalIn):
    """State a goal for your side, seen by your side, both sides or everyone."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(GoalForm(payload.dict(), model=collaboration.model))
    return Status(201, goal_services.add_goal(request.auth, collaboration, **data))


@router.post(
    "/collaborations/{collaboration_id}/goals/{goal_id}/indicators",
    response={201: IndicatorOut, ERROR_CODES: ErrorOut},
    url_name="goal_indicator_create",
)
def add_indicator(request: ApiRequest, collaboration_id: Id, goal_id: Id, payload: IndicatorIn):
    """Measure a goal; only the side that set the goal may."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    goal = permissions.get_record_for(
        request.auth, collaboration, Goal.objects.all(), goal_id, edit=True
    )
    data = validated(IndicatorForm(payload.dict()))
    return Status(201, goal_services.add_indicator(request.auth, goal, **data))


# Handover


class SuccessorOut(Schema):
    id: int
    person_id: int
    takes_over: str
    training_status: str


class SuccessorPage(Schema):
    items: list[SuccessorOut]
    next: int | None


class SuccessorIn(Schema):
    person: Id
    takes_over: str = text(300)
    training_status: TrainingStatus = TrainingStatus.NOT_STARTED


@router.get(
    "/collaborations/{collaboration_id}/successors",
    response={200: SuccessorPage, ERROR_CODES: ErrorOut},
    url_name="successors",
)
def list_successors(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The institution's officials who carry the work on, and their training."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(collaboration.successors.all(), params)


@router.post(
    "/collaborations/{collaboration_id}/successors",
    response={201: SuccessorOut, ERROR_CODES: ErrorOut},
    url_name="successor_create",
)
def add_successor(request: ApiRequest, collaboration_id: Id, payload: SuccessorIn):
    """Name an official of the institution who will carry the work on."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(SuccessorForm(payload.dict(), collaboration=collaboration))
    return Status(201, handover_services.add_successor(request.auth, collaboration, **data))


class HandoverTaskOut(Schema):
    id: int
    title: str
    owner_id: int | None
    due_date: date | None
    done_on: date | None


class HandoverTaskPage(Schema):
    items: list[HandoverTaskOut]
    next: int | None


class HandoverTaskIn(Schema):
    title: str = text(300, None, min_length=1)
    owner: Id | None = None
    due_date: date | None = None


@router.get(
    "/collaborations/{collaboration_id}/handover-tasks",
    response={200: HandoverTaskPage, ERROR_CODES: ErrorOut},
    url_name="handover_tasks",
)
def list_handover_tasks(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """What must happen before the institution's officials carry on alone."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(collaboration.handover_tasks.all(), params)


@router.post(
    "/collaborations/{collaboration_id}/handover-tasks",
    response={201: HandoverTaskOut, ERROR_CODES: ErrorOut},
    url_name="handover_task_create",
)
def add_handover_task(request: ApiRequest, collaboration_id: Id, payload: HandoverTaskIn):
    """Add a task to the handover plan; its owner is a person of either side."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(HandoverTaskForm(payload.dict(), collaboration=collaboration))
    return Status(201, handover_services.add_task(request.auth, collaboration, **data))


@router.post(
    "/collaborations/{collaboration_id}/handover-tasks/{task_id}/done",
    response={200: HandoverTaskOut, ERROR_CODES: ErrorOut},
    url_name="handover_task_done",
)
def complete_handover_task(request: ApiRequest, collaboration_id: Id, task_id: Id):
    """Mark a handover task done today; a task done already stays as it was."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    task = get_object_or_404(collaboration.handover_tasks, pk=task_id)
    task.collaboration = collaboration
    return handover_services.complete_task(request.auth, task)


# Credit statements and reforms


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


class CreditStatementPage(Schema):
    items: list[CreditStatementOut]
    next: int | None


class CreditStatementIn(Schema):
    # `text` last: the field's name hides the helper of that name in the class body.
    government_contribution: str = text(10_000, None, min_length=1)
    text: str = text(10_000, None, min_length=1)


class ApprovalIn(Schema):
    seen: str = Field(
        ...,
        max_length=64,
        pattern=r"^[0-9a-f]*$",
        description="The statement's `digest` when you read it: nothing is approved if the "
        "words changed since.",
    )


@router.get(
    "/collaborations/{collaboration_id}/credit-statements",
    response={200: CreditStatementPage, ERROR_CODES: ErrorOut},
    url_name="credit_statements",
)
def list_credit_statements(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The credit statements, with each side's approval; both approved means public."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(collaboration.credit_statements.all(), params)


@router.post(
    "/collaborations/{collaboration_id}/credit-statements",
    response={201: CreditStatementOut, ERROR_CODES: ErrorOut},
    url_name="credit_statement_create",
)
def draft_credit_statement(request: ApiRequest, collaboration_id: Id, payload: CreditStatementIn):
    """Draft a credit statement for your side; an admin of each side approves it."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(CreditForm(payload.dict()))
    return Status(201, credit_services.draft_credit(request.auth, collaboration, **data))


@router.post(
    "/collaborations/{collaboration_id}/credit-statements/{credit_id}/approvals",
    response={200: CreditStatementOut, ERROR_CODES: ErrorOut},
    url_name="credit_statement_approve",
)
def approve_credit_statement(
    request: ApiRequest, collaboration_id: Id, credit_id: Id, payload: ApprovalIn
):
    """Approve the statement for your side (admins only); approving twice changes nothing."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    statement = get_object_or_404(collaboration.credit_statements, pk=credit_id)
    statement.collaboration = collaboration
    return credit_services.approve_credit(request.auth, statement, seen=payload.seen)


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


class ReformPage(Schema):
    items: list[ReformOut]
    next: int | None


class ReformIn(Schema):
    title: str = text(300, None, min_length=1)
    description: str = text(10_000)
    champions: list[Id] = Field(default_factory=list, max_length=50)
    visibility: Visibility = Visibility.BOTH_SIDES


@router.get(
    "/collaborations/{collaboration_id}/reforms",
    response={200: ReformPage, ERROR_CODES: ErrorOut},
    url_name="reforms",
)
def list_reforms(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The reforms ledger, as far as the user may see it."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    reforms = permissions.visible_records(
        request.auth, Reform.objects.filter(collaboration=collaboration)
    ).prefetch_related("champions")
    return page(reforms, params)


@router.post(
    "/collaborations/{collaboration_id}/reforms",
    response={201: ReformOut, ERROR_CODES: ErrorOut},
    url_name="reform_create",
)
def ask_reform(request: ApiRequest, collaboration_id: Id, payload: ReformIn):
    """Record a reform asked for, with the institution's officials who champion it."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(ReformForm(payload.dict(), collaboration=collaboration))
    data["champions"] = list(data["champions"])
    return Status(201, credit_services.ask_reform(request.auth, collaboration, **data))


# Notes


class NoteOut(Schema):
    id: int
    owner_organisation_id: int
    visibility: str
    author_id: int | None
    body: str
    created_at: datetime


class NotePage(Schema):
    items: list[NoteOut]
    next: int | None


class NoteIn(Schema):
    body: str = text(10_000, None, min_length=1)
    visibility: Visibility = Visibility.OWN_SIDE


@router.get(
    "/collaborations/{collaboration_id}/notes",
    response={200: NotePage, ERROR_CODES: ErrorOut},
    url_name="notes",
)
def list_notes(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """Your side's notes, and the other side's notes shared with both sides."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    notes = CollaborationNote.objects.filter(collaboration=collaboration)
    return page(permissions.visible_records(request.auth, notes), params)


@router.post(
    "/collaborations/{collaboration_id}/notes",
    response={201: NoteOut, ERROR_CODES: ErrorOut},
    url_name="note_create",
)
def add_note(request: ApiRequest, collaboration_id: Id, payload: NoteIn):
    """Keep a note for your side, private unless shared with both sides; never public."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    require(permissions.can_edit(request.auth, collaboration))
    data = validated(NoteForm(payload.dict()))
    return Status(201, note_services.add_note(request.auth, collaboration, **data))
