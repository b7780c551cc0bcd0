"""The collaboration list, the overview with its stage and gates, activity and public page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.core.choices import Visibility
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.core.permissions import require
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Organisation
from civicbridge.partners.permissions import get_organisation_for

from .. import lifecycle, permissions
from ..choices import Stage
from ..forms.core import (
    CollaborationChangeForm,
    CollaborationFilterForm,
    CollaborationForm,
    MoveForm,
    NoteForm,
    name_both_sides,
)
from ..models import (
    Activity,
    Collaboration,
    CollaborationNote,
    CreditStatement,
    Goal,
    Obligation,
    Reform,
    Risk,
)
from ..pages import page
from ..queries import checkin_overview
from ..services import lifecycle as lifecycle_services
from ..services.notes import add_note
from ..services.starting import NOT_YOURS

PAGE_SIZE = 25


def _with_counts(collaborations):
    """The collaborations with their parties and their count of open risks.

    The count is a subquery of each row, so a page cut from the list counts its own rows'
    risks only, not those of every collaboration before the cut.
    """
    open_risks = (
        Risk.objects.filter(collaboration=OuterRef("pk"), resolved_on__isnull=True)
        .order_by()
        .values("collaboration")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return collaborations.select_related("civic_organisation", "institution").annotate(
        open_risks=Coalesce(Subquery(open_risks), 0)
    )


@login_required
@require_GET
def collaboration_list(request: HttpRequest) -> HttpResponse:
    visible = permissions.visible_collaborations(request.user)
    partners = Organisation.objects.filter(
        Q(pk__in=visible.values("civic_organisation_id"))
        | Q(pk__in=visible.values("institution_id"))
    )
    form = CollaborationFilterForm(request.GET or None, partners=partners)
    collaborations = _with_counts(form.filter(visible)).order_by("-start_date", "-id")
    page_ = Paginator(collaborations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    any_partner = query.copy()
    any_partner.pop("partner", None)
    return render(
        request,
        "collaborations/list.html",
        {
            "form": form,
            "collaborations": page_.object_list,
            "page": page_,
            "query": query.urlencode(),
            "partner": form.cleaned_data.get("partner") if form.is_bound else None,
            "any_partner": any_partner.urlencode(),
            "filtered": any(request.GET.get(name) for name in form.fields),
            "can_create": permissions.can_create_collaboration(request.user)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def collaboration_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_create_collaboration(request.user))
    form = CollaborationForm(
        request.POST or None, initial=_from_assessment(request), user=request.user
    )
    if request.method == "POST" and (
        created := save_form(
            form,
            lambda data: lifecycle_services.create_collaboration(request.user, **data),
        )
    ):
        messages.success(request, _("The collaboration was proposed. Next: the agreement."))
        return redirect(created)
    return form_page(request, form, _("Propose a collaboration"))


def _from_assessment(request: HttpRequest) -> dict:
    """What an assessment's "Propose a collaboration with this model" fills in: the
    assessment, its institution and the model (`?assessment=…&model=…`). An assessment the
    user may not see fills in nothing and says so."""
    if request.method != "GET" or "assessment" not in request.GET:
        return {}
    assessment = permissions.assessment_for(request.user, request.GET["assessment"])
    if assessment is None:
        messages.error(request, str(NOT_YOURS))
        return {}
    owner = assessment.owner_organisation
    return {
        "assessment": assessment.pk,
        "institution": assessment.institution_id,
        # The civic side: the partner it names, else the civic organisation that made it.
        "civic_organisation": assessment.civic_partner_id
        or (owner.pk if owner.kind != OrganisationKind.GOVERNMENT else None),
        "model": request.GET.get("model", ""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def collaboration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    form = CollaborationChangeForm(request.POST or None, instance=collaboration)
    if request.method == "POST" and save_form(
        form,
        lambda data: lifecycle_services.update_collaboration(request.user, collaboration, **data),
    ):
        messages.success(request, _("Your changes were saved."))
        return redirect(collaboration)
    return form_page(request, form, _("Change the details"), back=collaboration.get_absolute_url())


def _overview(request, collaboration: Collaboration, *, refused=None, status=200):
    """The overview tab: the next stage and its gates, health at a glance, stage history."""
    next_stage, results = lifecycle_services.gate_results(collaboration)
    today = timezone.localdate()
    overview = checkin_overview(collaboration, today)
    started_from, starting = permissions.starting_for(request.user, collaboration)
    return page(
        request,
        collaboration,
        "overview",
        "collaborations/detail.html",
        {
            "next_stage": next_stage,
            "next_stage_label": Stage(next_stage).label if next_stage else None,
            "early": collaboration.winds_down_early(next_stage, today),
            "results": results,
            "refused": refused,
            "risks": collaboration.risks.filter(resolved_on__isnull=True),
            "transitions": collaboration.transitions.select_related("actor__person"),
            "overdue_obligations": Obligation.objects.filter(agreement__collaboration=collaboration)
            .overdue(today)
            .count(),
            "missing_checkins": len(overview.missing),
            "divergent_checkins": len(overview.divergent),
            "departments": collaboration.departments.all(),
            "has_follow_ups": collaboration.follow_ups.exists(),
            "started_from": started_from,
            "starting_conditions": list(starting),
        },
        status=status,
    )


@login_required
@require_GET
def collaboration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _overview(request, permissions.get_collaboration_for(request.user, pk))


@login_required
@require_POST
def collaboration_advance(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing moved: reload the page and try again."))
        return redirect(collaboration)
    try:
        lifecycle_services.advance(
            request.user,
            collaboration,
            from_stage=form.cleaned_data["from_stage"],
            early=form.cleaned_data["early"],
        )
    except lifecycle_services.EarlyMove:
        return _confirm_early_move(request, collaboration, form.cleaned_data["from_stage"])
    except lifecycle_services.GateRefused as refusal:
        collaboration.refresh_from_db()
        return _overview(request, collaboration, refused=refusal, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(collaboration)
    messages.success(
        request,
        _("The collaboration is now “%(stage)s”.") % {"stage": collaboration.get_stage_display()},
    )
    return redirect(collaboration)


def _confirm_early_move(request, collaboration: Collaboration, from_stage: str) -> HttpResponse:
    """Ask before a move that starts closing the collaboration before its planned end."""
    next_stage = lifecycle.next_stage(from_stage)
    assert next_stage is not None and collaboration.end_date is not None
    return render(
        request,
        "collaborations/advance_early.html",
        {
            "collaboration": collaboration,
            "from_stage": from_stage,
            "next_stage_label": Stage(next_stage).label,
            "days_left": (collaboration.end_date - timezone.localdate()).days,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def collaboration_activity(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    form = NoteForm(request.POST or None, initial={"visibility": Visibility.OWN_SIDE})
    name_both_sides(form, collaboration, request.user)
    if request.method == "POST":
        require(permissions.can_edit(request.user, collaboration))
        if save_form(form, lambda data: add_note(request.user, collaboration, **data)):
            messages.success(request, _("Your note was saved."))
            return redirect("collaborations:activity", collaboration.pk)
    activities = permissions.visible_records(
        request.user, Activity.objects.filter(collaboration=collaboration)
    ).select_related("actor", "owner_organisation")
    feed = Paginator(activities, 50).get_page(request.GET.get("page"))
    notes = permissions.visible_records(
        request.user, CollaborationNote.objects.filter(collaboration=collaboration)
    ).select_related("author__person", "owner_organisation")
    return page(
        request,
        collaboration,
        "activity",
        "collaborations/activity.html",
        {"feed": feed.object_list, "page": feed, "notes": notes, "form": form},
    )


@login_required
@require_GET
def organisation_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every collaboration of one organisation that the user may see, by partner (X1)."""
    organisation = get_organisation_for(request.user, pk)
    collaborations = _with_counts(
        (permissions.visible_collaborations(request.user) | Collaboration.objects.public())
        .distinct()
        .of_organisations({organisation.pk})
    ).order_by("-start_date", "-id")
    by_partner: dict[Organisation, list[Collaboration]] = {}
    for collaboration in collaborations:
        partner = (
            collaboration.institution
            if collaboration.civic_organisation_id == organisation.pk
            else collaboration.civic_organisation
        )
        by_partner.setdefault(partner, []).append(collaboration)
    return render(
        request,
        "collaborations/organisation_history.html",
        {
            "organisation": organisation,
            "by_partner": sorted(by_partner.items(), key=lambda item: item[0].name),
        },
    )


@require_GET
def public_page(request: HttpRequest, pk: int) -> HttpResponse:
    """What anyone may know of a public collaboration: only its public records."""
    collaboration = permissions.get_public_collaboration(pk)
    return render(
        request,
        "collaborations/public.html",
        {
            "collaboration": collaboration,
            "goals": Goal.objects.filter(
                collaboration=collaboration, visibility=Visibility.PUBLIC
            ).prefetch_related("indicators__values"),
            "credits": CreditStatement.objects.filter(collaboration=collaboration).published(),
            "reforms": Reform.objects.filter(
                collaboration=collaboration, visibility=Visibility.PUBLIC
            ).prefetch_related("champions"),
            # Whether the institution still runs the work; who answered and how stays private.
            "follow_ups": collaboration.follow_ups.exclude(answer=""),
        },
    )


urlpatterns = [
    path("collaborations/", collaboration_list, name="list"),
    path("collaborations/new/", collaboration_create, name="create"),
    path("collaborations/<int:pk>/", collaboration_detail, name="detail"),
    path("collaborations/<int:pk>/edit/", collaboration_edit, name="edit"),
    path("collaborations/<int:pk>/advance/", collaboration_advance, name="advance"),
    path("collaborations/<int:pk>/activity/", collaboration_activity, name="activity"),
    path(
        "organisations/<int:pk>/collaborations/", organisation_history, name="organisation_history"
    ),
    path("public/collaborations/<int:pk>/", public_page, name="public"),
]
