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
from .choices import Model, Stage, StakeholderRole
from .forms.agreement import ObligationForm, SignForm
from .forms.core import CollaborationFilterForm, CollaborationForm
from .forms.goals import ReportForm
from .forms.people import StakeholderForm
from .models import CheckIn, Collaboration, Goal, Indicator, Obligation, Signature
from .services import agreement as agreement_services
from .services import checkins as checkin_services
from .services import goals as goal_services
from .services import lifecycle as lifecycle_services
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
