"""The goals tab: each goal with its indicators and the values both sides report (F1)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicbridge.core.choices import Visibility
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids

from .. import permissions
from ..forms.core import name_both_sides
from ..forms.goals import GoalForm, IndicatorForm, ReportForm
from ..models import Collaboration, Goal, Indicator, IndicatorValue
from ..pages import page
from ..services import goals as services
from ..tabs import tab_url


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: list[tuple[IndicatorValue, Decimal]]
    progress: Decimal | None  # of the latest period reported


@dataclass
class GoalRow:
    goal: Goal
    can_change: bool
    can_report: bool
    indicators: list[IndicatorRow] = field(default_factory=list)


def _visible_goals(user, collaboration: Collaboration):
    """The collaboration's goals that `user` may read."""
    return permissions.visible_records(user, Goal.objects.filter(collaboration=collaboration))


def _goal_rows(user, collaboration: Collaboration, side: int | None) -> list[GoalRow]:
    """Each visible goal with its indicators, their values and progress, and what `user` may do."""
    values = IndicatorValue.objects.select_related("reported_by__person")
    goals = (
        _visible_goals(user, collaboration)
        .select_related("owner_organisation")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(Prefetch("values", queryset=values)),
            )
        )
    )
    writes_for = acting_organisation_ids(user, Access.MEMBER)
    rows = []
    for goal in goals:
        own = goal.owner_organisation_id in writes_for
        row = GoalRow(
            goal,
            can_change=own,
            can_report=side is not None and (own or goal.visibility != Visibility.OWN_SIDE),
        )
        for indicator in goal.indicators.all():
            reported = [
                (value, services.progress(indicator.baseline, indicator.target, value.value))
                for value in indicator.values.all()
            ]
            row.indicators.append(
                IndicatorRow(indicator, reported, reported[-1][1] if reported else None)
            )
        rows.append(row)
    return rows


@login_required
@require_GET
def goals(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    side = permissions.side_of(request.user, collaboration)
    return page(
        request,
        collaboration,
        "goals",
        "collaborations/goals.html",
        {"goals": _goal_rows(request.user, collaboration, side)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    form = GoalForm(
        request.POST or None,
        model=collaboration.model,
        initial={"visibility": Visibility.BOTH_SIDES},
    )
    name_both_sides(form, collaboration, request.user)
    if request.method == "POST" and save_form(
        form, lambda data: services.add_goal(request.user, collaboration, **data)
    ):
        messages.success(request, _("The goal was added. Next: say how you will measure it."))
        return redirect("collaborations:goals", collaboration.pk)
    return form_page(
        request,
        form,
        _("Add a goal"),
        intro=_(
            "State what the collaboration sets out to achieve, then add indicators to measure it."
        ),
        submit=_("Add the goal"),
        back=tab_url(collaboration, "goals"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    goal = permissions.get_record_for(
        request.user, collaboration, Goal.objects.all(), goal_pk, edit=True
    )
    form = GoalForm(request.POST or None, instance=goal, model=collaboration.model)
    name_both_sides(form, collaboration, request.user)
    if request.method == "POST" and save_form(
        form, lambda data: services.update_goal(request.user, goal, **data)
    ):
        messages.success(request, _("Your changes were saved."))
        return redirect("collaborations:goals", collaboration.pk)
    return form_page(
        request,
        form,
        _("Change the goal"),
        submit=_("Save the goal"),
        back=tab_url(collaboration, "goals"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    goal = permissions.get_record_for(
        request.user, collaboration, Goal.objects.all(), goal_pk, edit=True
    )
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and save_form(
        form, lambda data: services.add_indicator(request.user, goal, **data)
    ):
        messages.success(request, _("The indicator was added."))
        return redirect("collaborations:goals", collaboration.pk)
    return form_page(
        request,
        form,
        _("Add an indicator"),
        intro=_(
            "How you will know “%(goal)s” is being reached: where it starts and where it should get to."
        )
        % {"goal": goal.title},
        submit=_("Add the indicator"),
        back=tab_url(collaboration, "goals"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_report(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    indicator = get_object_or_404(
        Indicator.objects.select_related("goal__collaboration").filter(
            goal__in=_visible_goals(request.user, collaboration)
        ),
        pk=indicator_pk,
    )
    form = ReportForm(request.POST or None)
    if request.method == "POST" and save_form(
        form, lambda data: services.report_value(request.user, indicator, **data)
    ):
        messages.success(request, _("The value was saved."))
        return redirect("collaborations:goals", collaboration.pk)
    unit = f" {indicator.unit}" if indicator.unit else ""
    return form_page(
        request,
        form,
        _("Report a value"),
        intro=_("“%(name)s”: baseline %(baseline)s%(unit)s, target %(target)s%(unit)s.")
        % {
            "name": indicator.name,
            "baseline": f"{indicator.baseline.normalize():f}",
            "target": f"{indicator.target.normalize():f}",
            "unit": unit,
        },
        submit=_("Save the value"),
        back=tab_url(collaboration, "goals"),
    )


urlpatterns = [
    path("collaborations/<int:pk>/goals/", goals, name="goals"),
    path("collaborations/<int:pk>/goals/new/", goal_create, name="goal_create"),
    path("collaborations/<int:pk>/goals/<int:goal_pk>/edit/", goal_edit, name="goal_edit"),
    path(
        "collaborations/<int:pk>/goals/<int:goal_pk>/indicators/new/",
        indicator_create,
        name="indicator_create",
    ),
    path(
        "collaborations/<int:pk>/indicators/<int:indicator_pk>/report/",
        indicator_report,
        name="indicator_report",
    ),
]
