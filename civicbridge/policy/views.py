"""The policy room's pages: policy changes and their stages, the consultation, and the
action plan's commitments with their milestones and assessments (C1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicbridge.collaborations.choices import StakeholderRole
from civicbridge.collaborations.pages import page
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core.forms import save_form
from civicbridge.core.pages import edit_page, form_page
from civicbridge.core.permissions import require

from . import queries, services
from .choices import next_stages
from .forms import (
    AssessmentForm,
    CommitmentForm,
    ImportForm,
    MilestoneDoneForm,
    MilestoneForm,
    NewPolicyChangeForm,
    PolicyChangeForm,
    ResponseForm,
    StageMoveForm,
)
from .importer import DEFAULT_COLUMNS, queue_import
from .permissions import (
    can_submit_response,
    commitment_of,
    get_policy_for,
    milestone_of,
    policy_change_of,
    policy_collaborations_for,
    response_of,
)

PAGE_SIZE = 50


# Policy changes


@login_required
@require_GET
def changes(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk)
    return page(
        request,
        collaboration,
        "policy-changes",
        "policy/changes.html",
        {
            "changes": queries.policy_changes(collaboration),
            "decision_makers": collaboration.stakeholders.filter(
                role=StakeholderRole.DECISION_MAKER
            )
            .select_related("person", "organisation")
            .order_by("person__name"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk, edit=True)
    form = NewPolicyChangeForm(request.POST or None)
    if request.method == "POST" and (
        change := save_form(
            form, lambda data: services.add_policy_change(request.user, collaboration, **data)
        )
    ):
        messages.success(request, _("The policy change was recorded as a draft."))
        return redirect("policy:change", collaboration.pk, change.pk)
    return form_page(
        request,
        form,
        _("Record a policy change"),
        intro=_(
            "The rule the collaboration wants to change: what it says now, what you propose, "
            "and who decides. It starts as a draft, dated, with where the draft can be read."
        ),
        back=tab_url(collaboration, "policy-changes"),
    )


@login_required
@require_GET
def change(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk)
    policy_change = policy_change_of(collaboration, change_pk)
    return page(
        request,
        collaboration,
        "policy-changes",
        "policy/change.html",
        {
            "change": policy_change,
            "stages": queries.stage_entries(policy_change),
            "responses": queries.responses(collaboration).filter(policy_change=policy_change),
            "can_move": bool(next_stages(policy_change.stage)),
            "can_respond": can_submit_response(request.user, collaboration)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_edit(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk, edit=True)
    policy_change = policy_change_of(collaboration, change_pk)
    back = reverse("policy:change", args=[collaboration.pk, policy_change.pk])
    return edit_page(
        request,
        PolicyChangeForm(request.POST or None, instance=policy_change),
        lambda data: services.update_policy_change(request.user, policy_change, **data),
        title=_("Change “%(title)s”") % {"title": policy_change.title},
        back=back,
        saved=_("Your changes were saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_move(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk, edit=True)
    policy_change = policy_change_of(collaboration, change_pk)
    back = reverse("policy:change", args=[collaboration.pk, policy_change.pk])
    if not next_stages(policy_change.stage):
        messages.info(
            request,
            _("This change is %(stage)s: it has no stage after this one.")
            % {"stage": policy_change.get_stage_display()},
        )
        return redirect(back)
    return edit_page(
        request,
        StageMoveForm(request.POST or None, change=policy_change),
        lambda data: services.move_policy_change(request.user, policy_change, **data),
        title=_("Record the next stage of “%(title)s”") % {"title": policy_change.title},
        intro=_(
            "It is %(stage)s now. Say what it became, on which day, and where that can be read."
        )
        % {"stage": policy_change.get_stage_display()},
        back=back,
        saved=_("The new stage was recorded."),
    )


# Consultation


@login_required
@require_GET
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk)
    return page(
        request,
        collaboration,
        "consultation",
        "policy/consultation.html",
        {
            "responses": queries.responses(collaboration),
            "changes": queries.policy_changes(collaboration),
            "can_respond": can_submit_response(request.user, collaboration)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_create(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk)
    require(can_submit_response(request.user, collaboration))
    policy_change = policy_change_of(collaboration, change_pk)
    form = ResponseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and save_form(
        form, lambda data: services.add_response(request.user, policy_change, **data)
    ):
        messages.success(request, _("The consultation response was added."))
        return redirect("policy:consultation", collaboration.pk)
    return render(
        request,
        "policy/response_form.html",
        {"form": form, "change": policy_change, "back": tab_url(collaboration, "consultation")},
    )


@login_required
@require_GET
def response_file(request: HttpRequest, pk: int, response_pk: int) -> FileResponse:
    """The response's file, always as a download."""
    collaboration = get_policy_for(request.user, pk)
    response = response_of(collaboration, response_pk)
    if not response.file:
        raise Http404
    download = FileResponse(
        response.file.open("rb"),
        as_attachment=True,
        filename=response.filename,
        content_type=response.content_type,
    )
    download["X-Content-Type-Options"] = "nosniff"
    download["Cache-Control"] = "private, no-store"
    return download


# Commitments


@login_required
@require_GET
def commitments(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk)
    today = timezone.localdate()
    listed = Paginator(queries.commitments(collaboration, today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return page(
        request,
        collaboration,
        "commitments",
        "policy/commitments.html",
        {
            "commitments": listed.object_list,
            "page": listed,
            "completion": queries.completion_counts(collaboration),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk, edit=True)
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and (
        commitment := save_form(
            form, lambda data: services.save_commitment(request.user, collaboration, **data)
        )
    ):
        messages.success(request, _("The commitment was added. Now add its milestones."))
        return redirect("policy:commitment", collaboration.pk, commitment.pk)
    return form_page(
        request,
        form,
        _("Add a commitment"),
        intro=_(
            "A promise of the action plan: what will be done, by which institutions, from "
            "when to when. Its completion is assessed later, with evidence."
        ),
        back=tab_url(collaboration, "commitments"),
    )


@login_required
@require_GET
def commitment(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk)
    found = commitment_of(collaboration, commitment_pk)
    return page(
        request,
        collaboration,
        "commitments",
        "policy/commitment.html",
        {
            "commitment": found,
            "institutions": found.institutions.select_related("organisation"),
            "milestones": found.milestones.all(),
            "assessments": queries.assessments(found),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk, edit=True)
    found = commitment_of(collaboration, commitment_pk)
    return edit_page(
        request,
        CommitmentForm(request.POST or None, instance=found),
        lambda data: services.save_commitment(request.user, collaboration, found, **data),
        title=_("Change the commitment"),
        back=reverse("policy:commitment", args=[collaboration.pk, found.pk]),
        saved=_("Your changes were saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_create(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk, edit=True)
    found = commitment_of(collaboration, commitment_pk)
    return edit_page(
        request,
        MilestoneForm(request.POST or None),
        lambda data: services.add_milestone(request.user, found, **data),
        title=_("Add a milestone"),
        intro=_("A step of the commitment and the day it is due."),
        back=reverse("policy:commitment", args=[collaboration.pk, found.pk]),
        saved=_("The milestone was added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_done(
    request: HttpRequest, pk: int, commitment_pk: int, milestone_pk: int
) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk, edit=True)
    found = commitment_of(collaboration, commitment_pk)
    milestone = milestone_of(found, milestone_pk)
    form = MilestoneDoneForm(
        request.POST or None,
        initial={"done_on": milestone.done_on or timezone.localdate()},
    )
    return edit_page(
        request,
        form,
        lambda data: services.set_milestone_done(request.user, milestone, **data),
        title=_("When was “%(milestone)s” done?") % {"milestone": milestone.title},
        back=reverse("policy:commitment", args=[collaboration.pk, found.pk]),
        saved=_("The milestone was saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_assess(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    collaboration = get_policy_for(request.user, pk, edit=True)
    found = commitment_of(collaboration, commitment_pk)
    return edit_page(
        request,
        AssessmentForm(request.POST or None, commitment=found),
        lambda data: services.assess_commitment(request.user, found, **data),
        title=_("Assess the commitment"),
        intro=_(
            "How far it got (not started, limited, substantial, complete, or withdrawn), "
            "whether it opened government, and what shows it. Both sides see every assessment."
        ),
        back=reverse("policy:commitment", args=[collaboration.pk, found.pk]),
        saved=_("The assessment was recorded."),
    )


# Import


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Members of a policy collaboration's sides import its action plan's commitments. The
    task worker imports the file and its run page follows it."""
    if not policy_collaborations_for(request.user, edit=True).exists():
        raise PermissionDenied(
            _("Commitments are imported by members of a policy development collaboration.")
        )
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        return redirect(queue_import(request.user, form.cleaned_data))
    return render(request, "policy/import.html", {"form": form, "columns": DEFAULT_COLUMNS})
