"""Goals through the API: each side's goals, their indicators and the values reported."""

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from civicbridge.core.api.forms import changed, validated
from civicbridge.core.api.schemas import (
    ERROR_CODES,
    ApiRequest,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
    text,
    unchanged,
    unchanged_text,
)
from civicbridge.core.choices import Visibility

from .. import permissions
from ..choices import GoalKind
from ..forms.goals import GoalForm, IndicatorForm, ReportForm
from ..models import Collaboration, Goal, Indicator
from ..services import goals as services

router = Router(tags=["collaborations"])


class GoalOut(Schema):
    id: int
    owner_organisation_id: int
    visibility: str
    kind: str
    title: str


class GoalIn(Schema):
    kind: GoalKind
    title: str = text(300, None, min_length=1)
    visibility: Visibility = Visibility.BOTH_SIDES


class GoalChange(Schema):
    """What to change of the goal; every field left out keeps its value."""

    kind: GoalKind = unchanged()
    title: str = unchanged_text(300, min_length=1)
    visibility: Visibility = unchanged()


@router.get(
    "/collaborations/{collaboration_id}/goals",
    response={200: Page[GoalOut], ERROR_CODES: ErrorOut},
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
    return Status(201, services.add_goal(request.auth, collaboration, **data))


def _goal(user, collaboration_id: int, goal_id: int) -> Goal:
    """A goal `user` may see and change: only the side that set it changes it."""
    collaboration = permissions.get_collaboration_for(user, collaboration_id)
    goal = permissions.get_record_for(user, collaboration, Goal.objects.all(), goal_id, edit=True)
    goal.collaboration = collaboration
    return goal


@router.patch(
    "/collaborations/{collaboration_id}/goals/{goal_id}",
    response={200: GoalOut, ERROR_CODES: ErrorOut},
    url_name="goal_edit",
)
def change_goal(request: ApiRequest, collaboration_id: Id, goal_id: Id, payload: GoalChange):
    """Change a goal of your side: its kind, its words or who sees it."""
    goal = _goal(request.auth, collaboration_id, goal_id)
    form = changed(GoalForm, payload, instance=goal, model=goal.collaboration.model)
    return services.update_goal(request.auth, goal, **validated(form))


# Indicators


class IndicatorOut(Schema):
    id: int
    goal_id: int
    name: str
    unit: str
    baseline: Decimal
    target: Decimal


class IndicatorIn(Schema):
    name: str = text(300, None, min_length=1)
    unit: str = text(50)
    baseline: Decimal = Field(..., max_digits=14, decimal_places=2)
    target: Decimal = Field(..., max_digits=14, decimal_places=2)


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


@router.post(
    "/collaborations/{collaboration_id}/goals/{goal_id}/indicators",
    response={201: IndicatorOut, ERROR_CODES: ErrorOut},
    url_name="goal_indicator_create",
)
def add_indicator(request: ApiRequest, collaboration_id: Id, goal_id: Id, payload: IndicatorIn):
    """Measure a goal; only the side that set the goal may."""
    goal = _goal(request.auth, collaboration_id, goal_id)
    data = validated(IndicatorForm(payload.dict()))
    return Status(201, services.add_indicator(request.auth, goal, **data))


@router.get(
    "/collaborations/{collaboration_id}/indicators",
    response={200: Page[IndicatorOut], ERROR_CODES: ErrorOut},
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
    return Status(201, services.report_value(request.auth, indicator, **data))
