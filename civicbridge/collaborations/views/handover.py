"""The handover tab (F3): successor officials, handover tasks, and the follow-ups after closing."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids
from civicbridge.playbook import checks

from .. import permissions
from ..choices import Stage, TrainingStatus
from ..forms.handover import (
    FollowUpAnswerForm,
    HandoverTaskForm,
    SuccessorEditForm,
    SuccessorForm,
)
from ..models import FollowUp
from ..pages import page
from ..services import handover as services
from ..services import playbook_advice
from ..tabs import tab_url

HANDOVER_CHECK = "collaborations.handover_complete"
END_WARNING_DAYS = 30


@login_required
@require_GET
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    today = timezone.localdate()
    tasks = list(collaboration.handover_tasks.select_related("owner"))
    overdue_ids = {
        task.pk
        for task in tasks
        if task.done_on is None and task.due_date is not None and task.due_date < today
    }
    open_tasks = sum(1 for task in tasks if task.done_on is None)
    complete, reason = checks.run(HANDOVER_CHECK, collaboration)
    conditions, mitigations = playbook_advice(collaboration, HANDOVER_CHECK)
    closed = collaboration.stage == Stage.CLOSED
    ends_soon = bool(
        not closed
        and open_tasks
        and collaboration.end_date
        and collaboration.end_date - today <= timedelta(days=END_WARNING_DAYS)
    )
    shows_links = collaboration.institution_id in acting_organisation_ids(
        request.user, Access.MEMBER
    )
    follow_ups = [
        {
            "follow_up": follow_up,
            "link": request.build_absolute_uri(follow_up.get_absolute_url()) if shows_links else "",
            "is_open": follow_up.due_on <= today,
        }
        for follow_up in (collaboration.follow_ups.all() if closed else [])
    ]
    return page(
        request,
        collaboration,
        "handover",
        "collaborations/handover.html",
        {
            "successors": collaboration.successors.select_related("person"),
            "tasks": tasks,
            "overdue_ids": overdue_ids,
            "open_tasks": open_tasks,
            "complete": complete,
            "reason": reason,
            "blocks_closing": any(condition["blocking"] for condition in conditions),
            "mitigations": mitigations,
            "closed": closed,
            "ends_soon": ends_soon,
            "follow_ups": follow_ups,
            "shows_links": shows_links,
            "training_choices": TrainingStatus.choices,
            "can_change_plan": not closed,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def successor_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    form = SuccessorForm(request.POST or None, collaboration=collaboration)
    if request.method == "POST" and save_form(
        form, lambda data: services.add_successor(request.user, collaboration, **data)
    ):
        messages.success(request, _("The successor official was added."))
        return redirect(tab_url(collaboration, "handover"))
    return form_page(
        request,
        form,
        _("Name a successor official"),
        intro=_(
            "Successors are the institution's officials who carry the work on when the "
            "collaboration ends. Train them during the collaboration, not after it."
        ),
        submit=_("Add the successor"),
        back=tab_url(collaboration, "handover"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def successor_edit(request: HttpRequest, pk: int, successor_pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    successor = permissions.successor_of(collaboration, successor_pk)
    form = SuccessorEditForm(request.POST or None, instance=successor)
    if request.method == "POST" and save_form(
        form, lambda data: services.update_successor(request.user, successor, **data)
    ):
        messages.success(
            request,
            _("%(name)s: training “%(status)s”.")
            % {"name": successor.person.name, "status": successor.get_training_status_display()},
        )
        return redirect(tab_url(collaboration, "handover"))
    return form_page(
        request,
        form,
        _("Successor: %(name)s") % {"name": successor.person.name},
        submit=_("Save"),
        back=tab_url(collaboration, "handover"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def successor_delete(request: HttpRequest, pk: int, successor_pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    successor = permissions.successor_of(collaboration, successor_pk)
    if request.method == "POST":
        try:
            services.remove_successor(request.user, successor)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The successor official was removed."))
        return redirect(tab_url(collaboration, "handover"))
    return render(
        request,
        "collaborations/handover_confirm_remove.html",
        {
            "collaboration": collaboration,
            "successor": successor,
            "back": tab_url(collaboration, "handover"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    form = HandoverTaskForm(request.POST or None, collaboration=collaboration)
    if request.method == "POST" and save_form(
        form, lambda data: services.add_task(request.user, collaboration, **data)
    ):
        messages.success(request, _("The handover task was added."))
        return redirect(tab_url(collaboration, "handover"))
    return form_page(
        request,
        form,
        _("Add a handover task"),
        intro=_(
            "What must happen before the institution's officials can carry on alone: "
            "documentation, accounts, training sessions, the code's new home."
        ),
        submit=_("Add the task"),
        back=tab_url(collaboration, "handover"),
    )


def _set_task(request: HttpRequest, pk: int, task_pk: int, *, done: bool) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    task = permissions.handover_task_of(collaboration, task_pk)
    try:
        if done:
            services.complete_task(request.user, task)
        else:
            services.reopen_task(request.user, task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (_("“%(task)s” is done.") if done else _("“%(task)s” is open again."))
            % {"task": task.title},
        )
    return redirect(tab_url(collaboration, "handover"))


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    return _set_task(request, pk, task_pk, done=True)


@login_required
@require_POST
def task_reopen(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    return _set_task(request, pk, task_pk, done=False)


@require_http_methods(["GET", "POST"])
def follow_up_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The institution answers a follow-up through its secret link, without an account."""
    follow_up = get_object_or_404(
        FollowUp.objects.select_related(
            "collaboration__civic_organisation", "collaboration__institution"
        ),
        token=token,
    )
    today = timezone.localdate()
    form = None
    refused = ""
    if follow_up.due_on > today:
        state = "not_open"
    elif follow_up.answered_at is not None:
        state = "answered"
        if request.method == "POST":
            refused = _("This follow-up was answered already: your answer was not saved.")
    else:
        state = "open"
        form = FollowUpAnswerForm(request.POST or None)
        if request.method == "POST":
            saved = save_form(form, lambda data: services.answer_follow_up(follow_up.token, **data))
            if saved is not None:
                return redirect(follow_up.get_absolute_url())
            if not form.errors:
                # Someone else's answer was saved a moment earlier.
                follow_up.refresh_from_db()
                state, form = "answered", None
                refused = _("This follow-up was answered already: your answer was not saved.")
    return render(
        request,
        "collaborations/follow_up_answer.html",
        {
            "follow_up": follow_up,
            "collaboration": follow_up.collaboration,
            "state": state,
            "form": form,
            "refused": refused,
        },
    )


urlpatterns = [
    path("collaborations/<int:pk>/handover/", handover, name="handover"),
    path(
        "collaborations/<int:pk>/handover/successors/new/",
        successor_create,
        name="successor_create",
    ),
    path(
        "collaborations/<int:pk>/handover/successors/<int:successor_pk>/",
        successor_edit,
        name="successor_edit",
    ),
    path(
        "collaborations/<int:pk>/handover/successors/<int:successor_pk>/remove/",
        successor_delete,
        name="successor_delete",
    ),
    path("collaborations/<int:pk>/handover/tasks/new/", task_create, name="handover_task_create"),
    path(
        "collaborations/<int:pk>/handover/tasks/<int:task_pk>/done/",
        task_done,
        name="handover_task_done",
    ),
    path(
        "collaborations/<int:pk>/handover/tasks/<int:task_pk>/reopen/",
        task_reopen,
        name="handover_task_reopen",
    ),
    path("follow-ups/<str:token>/", follow_up_answer, name="follow_up_answer"),
]
