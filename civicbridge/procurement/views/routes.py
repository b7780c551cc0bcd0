"""Pages of procurement routes: the rules of each jurisdiction, and a collaboration's route."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicbridge.collaborations.pages import page
from civicbridge.collaborations.permissions import visible_collaborations
from civicbridge.collaborations.services import playbook_advice
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.core.permissions import require

from ..forms.routes import JurisdictionForm, RouteChoiceForm, RouteRuleForm, StatutoryStepForm
from ..models import Jurisdiction, ProcurementPlan
from ..permissions import (
    can_edit_rules,
    can_read_rules,
    get_jurisdiction_for,
    get_rule_for,
    get_service_delivery_for,
    get_step_for,
)
from ..services import routes
from ..services.routes import UNKNOWN_ROUTE

HISTORY_SHOWN = 50
PLAN_FIELDS = ("route", "jurisdiction", "estimated_value", "currency", "procurement_starts_on")


@login_required
@require_GET
def jurisdictions(request: HttpRequest) -> HttpResponse:
    require(can_read_rules(request.user))
    places = Jurisdiction.objects.select_related("parent").annotate(
        rule_count=Count("route_rules", distinct=True),
        step_count=Count("statutory_steps", distinct=True),
    )
    return render(
        request,
        "procurement/routes/jurisdictions.html",
        {"jurisdictions": places, "can_edit": can_edit_rules(request.user)[0]},
    )


@login_required
@require_GET
def jurisdiction(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_jurisdiction_for(request.user, pk)
    history = list(
        place.rule_history.select_related("changed_by__person", "because_of")[:HISTORY_SHOWN]
    )
    named = {entry.because_of_id for entry in history if entry.because_of_id}
    seen = set(
        visible_collaborations(request.user).filter(pk__in=named).values_list("pk", flat=True)
    )
    return render(
        request,
        "procurement/routes/jurisdiction.html",
        {
            "jurisdiction": place,
            "history": history,
            "seen_collaborations": seen,
            "rules": place.route_rules.all(),
            "steps": place.statutory_steps.all(),
            "parts": place.children.all(),
            "can_edit": can_edit_rules(request.user)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def jurisdiction_create(request: HttpRequest) -> HttpResponse:
    require(can_edit_rules(request.user))
    form = JurisdictionForm(request.POST or None)
    if request.method == "POST" and (
        created := save_form(form, lambda data: routes.create_jurisdiction(request.user, **data))
    ):
        messages.success(request, _("%(name)s was added. Now add its rules.") % {"name": created})
        return redirect("procurement:jurisdiction", created.pk)
    return form_page(
        request,
        form,
        _("Add a jurisdiction"),
        back=reverse("procurement:jurisdictions"),
        intro=_(
            "A country, state or city whose procurement law applies. A place that is part of "
            "another takes the other's rules for every route it sets no rule of its own for."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def jurisdiction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_jurisdiction_for(request.user, pk, edit=True)
    form = JurisdictionForm(request.POST or None, instance=place)
    if request.method == "POST" and save_form(
        form, lambda data: routes.update_jurisdiction(request.user, place, **data)
    ):
        messages.success(request, _("Your changes were saved."))
        return redirect("procurement:jurisdiction", place.pk)
    return form_page(
        request,
        form,
        _("Change %(name)s") % {"name": place},
        back=reverse("procurement:jurisdiction", args=[place.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_form(request: HttpRequest, pk: int, rule_pk: int | None = None) -> HttpResponse:
    """Add a route rule to the jurisdiction, or change the rule `rule_pk`."""
    place = get_jurisdiction_for(request.user, pk, edit=True)
    rule = get_rule_for(request.user, place, rule_pk) if rule_pk else None
    form = RouteRuleForm(request.POST or None, instance=rule, jurisdiction=place, user=request.user)
    if request.method == "POST" and save_form(
        form, lambda data: routes.save_rule(request.user, place, rule, **data)
    ):
        messages.success(request, _("The rule was saved."))
        return redirect("procurement:jurisdiction", place.pk)
    title = _("Change the rule") if rule else _("Add a route rule")
    return form_page(
        request,
        form,
        f"{title}: {place}",
        back=reverse("procurement:jurisdiction", args=[place.pk]),
        intro=_(
            "Say whether an institution here may use the route and up to what value, in the "
            "law's own terms, and where the rule comes from."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_form(request: HttpRequest, pk: int, step_pk: int | None = None) -> HttpResponse:
    """Add a statutory step to the jurisdiction, or change the step `step_pk`."""
    place = get_jurisdiction_for(request.user, pk, edit=True)
    step = get_step_for(request.user, place, step_pk) if step_pk else None
    form = StatutoryStepForm(request.POST or None, instance=step, jurisdiction=place)
    if request.method == "POST" and save_form(
        form, lambda data: routes.save_step(request.user, place, step, **data)
    ):
        messages.success(request, _("The step was saved."))
        return redirect("procurement:jurisdiction", place.pk)
    title = _("Change the step") if step else _("Add a statutory step")
    return form_page(
        request,
        form,
        f"{title}: {place}",
        back=reverse("procurement:jurisdiction", args=[place.pk]),
        intro=_(
            "A step the law requires on a route, such as publishing a notice, with the fewest "
            "days it may take. The steps are laid one after another from the day buying starts."
        ),
    )


def _choice_form(request: HttpRequest, plan: ProcurementPlan | None) -> RouteChoiceForm:
    """The form starts from the current plan without touching it: a refused choice must not
    show on the page as if it were saved."""
    initial = {name: getattr(plan, name) for name in PLAN_FIELDS} if plan else {}
    return RouteChoiceForm(request.POST or None, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The Procurement tab: the route, what the rules say of it, and its timeline."""
    collaboration = get_service_delivery_for(request.user, pk, edit=request.method == "POST")
    current = routes.plan_of(collaboration)
    form = _choice_form(request, current)
    if request.method == "POST" and save_form(
        form, lambda data: routes.choose_route(request.user, collaboration, **data)
    ):
        messages.success(request, _("The procurement route was saved."))
        return redirect("procurement:plan", collaboration.pk)
    conditions, mitigations = playbook_advice(collaboration, "procurement.route_allowed")
    context: dict[str, Any] = {
        "plan": current,
        "form": form,
        "conditions": conditions,
        "mitigations": mitigations,
        "risk": collaboration.risks.filter(condition=UNKNOWN_ROUTE, resolved_on=None).first(),
    }
    if current is not None:
        context["timeline"] = routes.plan_timeline(current)
        context["every_route"] = routes.every_route(
            current.jurisdiction, current.estimated_value, current.currency
        )
    return page(request, collaboration, "procurement", "procurement/routes/plan.html", context)
