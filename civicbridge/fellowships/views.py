"""The fellowship room: the placement tab (F2) and the preparation tab (F4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.pages import page
from civicbridge.collaborations.services import playbook_model
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.core.permissions import require

from . import services
from .choices import Signatory
from .forms import BriefForm, PlacementForm, StatementForm, TaskForm
from .models import PreparationBrief
from .permissions import (
    can_record_statement,
    can_write_brief,
    get_fellowship_for,
    get_placement_for_statement,
    placement_of,
    preparation_task_of,
)
from .queries import countdown, signatory_of

CONDITIONS = {
    Signatory.FELLOW: "fellowship.fellow_willing",
    Signatory.SUPERVISOR: "fellowship.supervisor_willing",
}


def _no_placement(request: HttpRequest, collaboration: Collaboration) -> HttpResponse:
    messages.info(request, _("Record the placement first: who the fellow is, and where."))
    return redirect("fellowships:placement", collaboration.pk)


def _condition_statements(collaboration: Collaboration) -> dict[str, dict]:
    """The playbook's wording of the statement conditions, by condition id."""
    model = playbook_model(collaboration) or {}
    wanted = set(CONDITIONS.values())
    return {c["id"]: c["statement"] for c in model.get("conditions", []) if c["id"] in wanted}


@login_required
@require_GET
def placement(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_fellowship_for(request.user, pk)
    placement = placement_of(collaboration)
    statements = []
    if placement is not None:
        conditions = _condition_statements(collaboration)
        for who in Signatory:
            person, side = signatory_of(placement, who)
            statements.append(
                {
                    "who": who,
                    "label": who.label,
                    "person": person,
                    "side": side,
                    "text": getattr(placement, f"{who}_statement"),
                    "by": getattr(placement, f"{who}_statement_by"),
                    "at": getattr(placement, f"{who}_statement_at"),
                    "condition": conditions.get(CONDITIONS[who]),
                    "can_record": can_record_statement(request.user, placement, who)[0],
                }
            )
    return page(
        request,
        collaboration,
        "placement",
        "fellowships/placement.html",
        {"placement": placement, "statements": statements},
    )


@login_required
@require_http_methods(["GET", "POST"])
def placement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_fellowship_for(request.user, pk, edit=True)
    placement = placement_of(collaboration)
    form = PlacementForm(request.POST or None, instance=placement, collaboration=collaboration)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.create_or_update_placement(request.user, collaboration, **data),
    ):
        messages.success(
            request,
            _("The placement was saved.")
            if placement
            else _("The placement was recorded. Next: both statements and the preparation brief."),
        )
        return redirect("fellowships:placement", collaboration.pk)
    return form_page(
        request,
        form,
        _("Change the placement") if placement else _("Record the placement"),
        intro=_(
            "Name the fellow, the official who supervises them, the office they join and "
            "their first and last day. Both sides see the placement."
        ),
        back=tab_url(collaboration, "placement"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement(request: HttpRequest, pk: int, who: str) -> HttpResponse:
    if who not in Signatory.values:
        raise Http404
    collaboration, placement, sees_page = get_placement_for_statement(request.user, pk)
    if placement is None:
        return _no_placement(request, collaboration)
    require(can_record_statement(request.user, placement, who))
    signatory = Signatory(who)
    person, _side = signatory_of(placement, signatory)
    form = StatementForm(
        request.POST or None, initial={"text": getattr(placement, f"{who}_statement")}
    )
    if request.method == "POST" and save_form(
        form,
        lambda data: services.record_statement(request.user, placement, who=who, text=data["text"]),
    ):
        messages.success(
            request, _("The statement of %(person)s was recorded.") % {"person": person}
        )
        if sees_page:
            return redirect("fellowships:placement", pk)
        return redirect("collaborations:home")
    condition = _condition_statements(collaboration).get(CONDITIONS[signatory])
    return render(
        request,
        "fellowships/statement.html",
        {
            "form": form,
            "placement": placement,
            "person": person,
            "signatory": signatory,
            "condition": condition,
            "back": tab_url(collaboration, "placement") if sees_page else None,
        },
    )


@login_required
@require_GET
def brief(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_fellowship_for(request.user, pk)
    placement = placement_of(collaboration)
    context: dict = {"placement": placement, "can_write_brief": False}
    if placement is not None:
        brief_ = (
            PreparationBrief.objects.select_related("delivered_by__person")
            .filter(placement=placement)
            .first()
        )
        today = timezone.localdate()
        can_write = can_write_brief(request.user, collaboration)[0]
        context.update(
            brief=brief_,
            countdown=countdown(
                placement, brief_, services.brief_days_before_start(collaboration), today
            ),
            can_write_brief=can_write,
            can_deliver=bool(
                can_write
                and brief_
                and brief_.complete
                and (brief_.delivered_at is None or services.changed_since_delivery(brief_))
            ),
            has_email=bool(services.fellow_email(placement)) if can_write else True,
            task_form=TaskForm(),
        )
    return page(request, collaboration, "brief", "fellowships/brief.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def brief_edit(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_fellowship_for(request.user, pk)
    require(can_write_brief(request.user, collaboration))
    placement = placement_of(collaboration)
    if placement is None:
        return _no_placement(request, collaboration)
    existing = PreparationBrief.objects.filter(placement=placement).first()
    form = BriefForm(request.POST or None, instance=existing)
    if request.method == "POST" and save_form(
        form, lambda data: services.save_brief(request.user, placement, **data)
    ):
        messages.success(request, _("The brief was saved. Send it to the fellow when it is ready."))
        return redirect("fellowships:brief", collaboration.pk)
    return form_page(
        request,
        form,
        _("The preparation brief for %(fellow)s") % {"fellow": placement.fellow},
        intro=_(
            "Tell the fellow, before their first day, what is possible here, what matters "
            "most and what will be hard. The fellow receives it by e-mail; both sides can "
            "read it here."
        ),
        back=tab_url(collaboration, "brief"),
    )


@login_required
@require_POST
def brief_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_fellowship_for(request.user, pk)
    require(can_write_brief(request.user, collaboration))
    placement = placement_of(collaboration)
    if placement is None:
        return _no_placement(request, collaboration)
    try:
        services.deliver_brief(request.user, placement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The brief is on its way to %(fellow)s.") % {"fellow": placement.fellow}
        )
    return redirect("fellowships:brief", collaboration.pk)


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_fellowship_for(request.user, pk, edit=True)
    placement = placement_of(collaboration)
    if placement is None:
        return _no_placement(request, collaboration)
    form = TaskForm(request.POST or None)
    if request.method == "POST" and save_form(
        form, lambda data: services.add_task(request.user, placement, **data)
    ):
        messages.success(request, _("The task was added to the countdown."))
        return redirect("fellowships:brief", collaboration.pk)
    return form_page(
        request,
        form,
        _("Add a preparation task"),
        intro=_("A step either side must take before the fellow's first day."),
        submit=_("Add the task"),
        back=tab_url(collaboration, "brief"),
    )


def _set_done(request: HttpRequest, pk: int, task_pk: int, *, done: bool) -> HttpResponse:
    collaboration = get_fellowship_for(request.user, pk, edit=True)
    task = preparation_task_of(collaboration, task_pk)
    services.set_task_done(request.user, task, done=done)
    messages.success(
        request,
        (_("“%(task)s” is done.") if done else _("“%(task)s” is open again."))
        % {"task": task.title},
    )
    return redirect("fellowships:brief", collaboration.pk)


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    return _set_done(request, pk, task_pk, done=True)


@login_required
@require_POST
def task_reopen(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    return _set_done(request, pk, task_pk, done=False)
