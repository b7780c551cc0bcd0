"""The consulting room's pages: the Engagement tab (scope, questions, deliverables, their
versions and the institution's acceptance) and the Recommendations tab (each with the
timeline of its adoption)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.collaborations.pages import page
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core.forms import save_form
from civicbridge.core.pages import edit_page, form_page
from civicbridge.core.permissions import require

from . import files, services
from .forms import (
    AdoptionForm,
    ChangesForm,
    DeliverableForm,
    EngagementForm,
    RecommendationForm,
    StateForm,
    VersionForm,
)
from .models import Deliverable
from .permissions import (
    can_review,
    can_submit_version,
    deliverable_of,
    engagement_of,
    get_consulting_for,
    recommendation_of,
    version_of,
)
from .queries import (
    completion_counts,
    deliverables_shown,
    recommendations_shown,
    timeline,
    versions_shown,
)


def _deliverable_url(deliverable: Deliverable) -> str:
    return reverse("consulting:deliverable", args=[deliverable.collaboration_id, deliverable.pk])


@login_required
@require_GET
def engagement(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_consulting_for(request.user, pk)
    deliverables = list(deliverables_shown(collaboration))
    return page(
        request,
        collaboration,
        "engagement",
        "consulting/engagement.html",
        {
            "engagement": engagement_of(collaboration),
            "deliverables": deliverables,
            "accepted": sum(1 for d in deliverables if d.accepted),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_consulting_for(request.user, pk, edit=True)
    current = engagement_of(collaboration)
    initial = {"scope": current.scope, "questions": current.questions} if current else None
    return edit_page(
        request,
        EngagementForm(request.POST or None, initial=initial),
        lambda data: services.save_engagement(request.user, collaboration, **data),
        title=_("The scope and the institution's questions"),
        intro=_(
            "Say what the civic organisation advises on, and write down the questions the "
            "institution asked. Both sides see them."
        ),
        back=tab_url(collaboration, "engagement"),
        saved=_("The engagement was saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_consulting_for(request.user, pk, edit=True)
    return edit_page(
        request,
        DeliverableForm(request.POST or None),
        lambda data: services.add_deliverable(request.user, collaboration, **data),
        title=_("Plan a deliverable"),
        intro=_(
            "What the civic organisation hands over, and by when. The civic organisation "
            "sends its versions; the institution accepts it or asks for changes."
        ),
        back=tab_url(collaboration, "engagement"),
        saved=_("The deliverable was planned."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_edit(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    collaboration = get_consulting_for(request.user, pk, edit=True)
    deliverable = deliverable_of(collaboration, deliverable_pk)
    return edit_page(
        request,
        DeliverableForm(request.POST or None, instance=deliverable),
        lambda data: services.change_deliverable(request.user, deliverable, **data),
        title=_("Change “%(title)s”") % {"title": deliverable.title},
        back=_deliverable_url(deliverable),
        saved=_("The deliverable was changed."),
    )


@login_required
@require_GET
def deliverable(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    collaboration = get_consulting_for(request.user, pk)
    item = deliverable_of(collaboration, deliverable_pk)
    return page(
        request,
        collaboration,
        "engagement",
        "consulting/deliverable.html",
        {
            "deliverable": item,
            "versions": list(versions_shown(item)),
            "recommendations": list(item.recommendations.select_related("owner")),
            "can_submit": can_submit_version(request.user, collaboration)[0],
            "can_review": can_review(request.user, collaboration)[0],
            "state_form": StateForm(deliverable=item),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_submit(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    collaboration = get_consulting_for(request.user, pk)
    require(can_submit_version(request.user, collaboration))
    item = deliverable_of(collaboration, deliverable_pk)
    form = VersionForm(request.POST or None, request.FILES or None, deliverable=item)
    if request.method == "POST" and save_form(
        form, lambda data: services.submit_version(request.user, item, **data)
    ):
        messages.success(
            request,
            _("The version went to %(institution)s for acceptance.")
            % {"institution": collaboration.institution.name},
        )
        return redirect(_deliverable_url(item))
    return render(
        request,
        "consulting/version_form.html",
        {
            "form": form,
            "deliverable": item,
            "title": _("Send a version of “%(title)s”") % {"title": item.title},
            "back": _deliverable_url(item),
            "max_mb": files.max_megabytes(),
        },
    )


@login_required
@require_GET
def version_download(
    request: HttpRequest, pk: int, deliverable_pk: int, version_pk: int
) -> FileResponse:
    """The file, always as a download: a browser never renders an upload as a page."""
    collaboration = get_consulting_for(request.user, pk)
    version = version_of(deliverable_of(collaboration, deliverable_pk), version_pk)
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def deliverable_accept(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    collaboration = get_consulting_for(request.user, pk)
    require(can_review(request.user, collaboration))
    item = deliverable_of(collaboration, deliverable_pk)
    form = StateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Reload the page and try again."))
        services.accept_deliverable(request.user, item, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” is accepted: %(institution)s owns the result.")
            % {"title": item.title, "institution": collaboration.institution.name},
        )
    return redirect(_deliverable_url(item))


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_changes(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    collaboration = get_consulting_for(request.user, pk)
    require(can_review(request.user, collaboration))
    item = deliverable_of(collaboration, deliverable_pk)
    form = ChangesForm(request.POST or None, deliverable=item)
    if request.method == "POST" and save_form(
        form, lambda data: services.ask_changes(request.user, item, **data)
    ):
        messages.success(
            request,
            _("The civic organisation was asked for changes. Their new version comes here."),
        )
        return redirect(_deliverable_url(item))
    return form_page(
        request,
        form,
        _("Ask for changes to “%(title)s”") % {"title": item.title},
        intro=_(
            "Say what should change before %(institution)s can accept it. The civic "
            "organisation reads your comment and sends a new version."
        )
        % {"institution": collaboration.institution.name},
        submit=_("Ask for changes"),
        back=_deliverable_url(item),
    )


@login_required
@require_GET
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_consulting_for(request.user, pk)
    return page(
        request,
        collaboration,
        "recommendations",
        "consulting/recommendations.html",
        {
            "recommendations": list(recommendations_shown(collaboration)),
            "completion": completion_counts(collaboration),
            "has_deliverables": collaboration.deliverables.exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_consulting_for(request.user, pk, edit=True)
    form = RecommendationForm(request.POST or None, collaboration=collaboration)
    if request.method == "GET" and "deliverable" in request.GET:
        form.initial["deliverable"] = request.GET["deliverable"]
    return edit_page(
        request,
        form,
        lambda data: services.add_recommendation(request.user, collaboration, **data),
        title=_("Add a recommendation"),
        intro=_(
            "One thing the institution should do, the finding it rests on, the deliverable "
            "it comes from, and the person of the institution who owns it."
        ),
        back=tab_url(collaboration, "recommendations"),
        saved=_("The recommendation was recorded. Follow its adoption from its page."),
    )


@login_required
@require_GET
def recommendation(request: HttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    collaboration = get_consulting_for(request.user, pk)
    item = recommendation_of(collaboration, recommendation_pk)
    return page(
        request,
        collaboration,
        "recommendations",
        "consulting/recommendation.html",
        {"recommendation": item, "timeline": list(timeline(item))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    collaboration = get_consulting_for(request.user, pk, edit=True)
    item = recommendation_of(collaboration, recommendation_pk)
    back = reverse("consulting:recommendation", args=[collaboration.pk, item.pk])
    return edit_page(
        request,
        RecommendationForm(request.POST or None, instance=item, collaboration=collaboration),
        lambda data: services.change_recommendation(request.user, item, **data),
        title=_("Change the recommendation"),
        back=back,
        saved=_("The recommendation was changed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def adoption_create(request: HttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    collaboration = get_consulting_for(request.user, pk, edit=True)
    item = recommendation_of(collaboration, recommendation_pk)
    return edit_page(
        request,
        AdoptionForm(request.POST or None, recommendation=item),
        lambda data: services.record_adoption(request.user, item, **data),
        title=_("How far is “%(title)s” adopted?") % {"title": item.title},
        intro=_(
            "Record where the recommendation stands today on the Open Government "
            "Partnership's completion scale, whether it changed how the institution works, "
            "and the evidence. Both sides see every update on the recommendation's timeline."
        ),
        back=reverse("consulting:recommendation", args=[collaboration.pk, item.pk]),
        saved=_("The update was recorded on the recommendation's timeline."),
    )
