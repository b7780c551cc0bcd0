"""The Engagement plan tab (E1): what happens to each project after the event, who in the
institution owns it, and the officials' commitments; the event closes only once it is done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.collaborations.pages import page
from civicbridge.collaborations.services import playbook_advice
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.core.permissions import require
from civicbridge.playbook import checks
from civicbridge.playbook.templatetags.playbook import tr

from ..forms.engagement import CommitmentForm, PlanForm
from ..models import EngagementPlan
from ..permissions import (
    can_add_commitment,
    can_decide_plan,
    get_commitment_for,
    get_event_for,
    project_of,
)
from ..services import engagement as services
from ..services.engagement import PLAN_CHECK

CAPACITY_CHECK = "events.capacity_to_absorb"


def _tab(pk: int, anchor: str = "") -> str:
    url = reverse("events:engagement", args=[pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_GET
def engagement(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk)
    collaboration = event.collaboration
    gate = checks.run(PLAN_CHECK, collaboration)
    capacity = checks.run(CAPACITY_CHECK, collaboration)
    return page(
        request,
        collaboration,
        "engagement",
        "events/engagement/plan.html",
        {
            "event": event,
            "statuses": services.plans_of(event),
            "gate": gate,
            "capacity": capacity,
            "advice": [tr(text) for text in playbook_advice(collaboration, PLAN_CHECK)[1]],
            "can_decide": can_decide_plan(request.user, collaboration)[0],
            "person_id": getattr(request.user, "person_id", None),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk)
    require(can_decide_plan(request.user, event.collaboration))
    project = project_of(event, project_pk)
    plan = EngagementPlan.objects.filter(project=project).first()
    form = PlanForm(request.POST or None, instance=plan, project=project)
    if request.method == "POST" and save_form(
        form, lambda data: services.decide(request.user, project, **data)
    ):
        messages.success(
            request, _("The decision on “%(project)s” was saved.") % {"project": project.title}
        )
        return redirect(_tab(pk, f"project-{project.pk}"))
    return form_page(
        request,
        form,
        _("What happens to “%(project)s” after the event?") % {"project": project.title},
        intro=_(
            "Decide it with the institution. A project worth continuing needs someone in the "
            "institution to own it, the capacity the institution puts behind it, and at least "
            "one official's commitment: the next step and a date."
        ),
        back=_tab(pk, f"project-{project.pk}"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_create(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk)
    project = project_of(event, project_pk)
    person = getattr(request.user, "person", None)
    require(can_add_commitment(request.user, project, person))
    plan = EngagementPlan.objects.filter(project=project).first()
    if plan is None or not plan.worth_continuing:
        messages.info(request, _("Decide first that the project is worth continuing."))
        return redirect(_tab(pk, f"project-{project.pk}"))
    plan.project = project
    initial = {} if can_decide_plan(request.user, event.collaboration)[0] else {"official": person}
    form = CommitmentForm(request.POST or None, initial=initial, project=project)
    if request.method == "POST" and save_form(
        form, lambda data: services.add_commitment(request.user, plan, **data)
    ):
        messages.success(request, _("The commitment was recorded."))
        return redirect(_tab(pk, f"project-{project.pk}"))
    return form_page(
        request,
        form,
        _("An official's commitment for “%(project)s”") % {"project": project.title},
        intro=_(
            "Who in the institution takes the next step, what it is, and by when. Officials "
            "record their own commitments; either side may record one for them."
        ),
        submit=_("Record the commitment"),
        back=_tab(pk, f"project-{project.pk}"),
    )


def _set_done(request: HttpRequest, pk: int, commitment_pk: int, *, done: bool) -> HttpResponse:
    commitment = get_commitment_for(request.user, pk, commitment_pk)
    services.set_commitment_done(request.user, commitment, done=done)
    messages.success(
        request,
        (_("“%(step)s” is done.") if done else _("“%(step)s” is open again."))
        % {"step": commitment.next_step},
    )
    return redirect(_tab(pk, f"project-{commitment.plan.project_id}"))


@login_required
@require_POST
def commitment_done(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    return _set_done(request, pk, commitment_pk, done=True)


@login_required
@require_POST
def commitment_reopen(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    return _set_done(request, pk, commitment_pk, done=False)


@login_required
@require_POST
def commitment_remove(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    commitment = get_commitment_for(request.user, pk, commitment_pk)
    try:
        services.remove_commitment(request.user, commitment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The commitment was removed."))
    return redirect(_tab(pk, f"project-{commitment.plan.project_id}"))
