"""Goals through the API: each side's goals, their indicators and the values reported."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from civicbridge.core.api.forms import changed, validated
from civicbridge.core.api.schemas import (
    ERROR_CODES,
    ApiRequest,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
)

from .. import permissions
from ..forms.goals import GoalForm, IndicatorForm, ReportForm
from ..models import Collaboration, Goal, Indicator
from ..services import goals as services
from .schemas import (
    GoalChange,
    GoalIn,
    GoalOut,
    IndicatorIn,
    IndicatorOut,
    IndicatorValueIn,
    IndicatorValueOut,
)

router = Router(tags=["collaborations"])


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
