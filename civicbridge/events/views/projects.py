"""The Projects tab (E3): the teams' projects, their design artefacts, and the team's own
link to enter its project without an account."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.collaborations.pages import page
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page

from ..forms.projects import ArtefactForm, ProjectForm, TeamProjectForm
from ..models import Event, Team
from ..permissions import (
    can_organise,
    can_see_results,
    get_artefact_for,
    get_event_for,
    get_event_for_projects,
    get_team_for,
    judge_of,
    project_of,
    projects_shown,
)
from ..services import projects as services
from ..services.judging import is_recused

LAYOUT = "collaborations/_layout.html"
JUDGE_LAYOUT = "events/judging/_judge_layout.html"


def event_page(
    request: HttpRequest,
    event: Event,
    sees_collaboration: bool,
    tab: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A tab of the event's page; a judge who is no party to it sees it without the tabs."""
    context = {"event": event, **context}
    if sees_collaboration:
        return page(request, event.collaboration, tab, template, {"layout": LAYOUT, **context})
    return render(
        request,
        template,
        {"collaboration": event.collaboration, "layout": JUDGE_LAYOUT, "tab": tab, **context},
    )


def _project_url(event: Event, project_pk: int) -> str:
    return reverse("events:project", args=[event.collaboration_id, project_pk])


@login_required
@require_GET
def projects(request: HttpRequest, pk: int) -> HttpResponse:
    event, sees = get_event_for_projects(request.user, pk)
    organising = can_organise(request.user, event.collaboration)[0]
    rows = list(projects_shown(event).annotate(artefact_count=Count("artefacts")))
    teams_without = (
        Team.objects.filter(event=event, project__isnull=True).select_related("contact")
        if organising
        else Team.objects.none()
    )
    judge = judge_of(request.user, event)
    return event_page(
        request,
        event,
        sees,
        "projects",
        "events/projects/list.html",
        {
            "projects": rows,
            "teams_without": list(teams_without),
            "can_organise": organising,
            "judge": judge,
            "recused": {p.pk for p in rows if judge and is_recused(judge, p)},
            "sees_results": can_see_results(request.user, event)[0],
            "results_published": event.results_published_at is not None,
        },
    )


@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    event, sees = get_event_for_projects(request.user, pk)
    project = project_of(event, project_pk)
    judge = judge_of(request.user, event)
    return event_page(
        request,
        event,
        sees,
        "projects",
        "events/projects/detail.html",
        {
            "project": project,
            "artefacts": list(project.artefacts.order_by("created_at", "id")),
            "can_organise": can_organise(request.user, event.collaboration)[0],
            "can_score": bool(judge and not is_recused(judge, project))
            and event.results_published_at is None,
            "sees_collaboration": sees,
            "artefact_form": ArtefactForm(),
            "max_artefacts": services.MAX_ARTEFACTS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk, organise=True)
    form = ProjectForm(request.POST or None, event=event)
    project = request.method == "POST" and save_form(
        form, lambda data: services.create_project(request.user, event, **data)
    )
    if project:
        messages.success(request, _("The project was entered. Add its design artefacts here."))
        return redirect(_project_url(event, project.pk))
    return form_page(
        request,
        form,
        _("Enter a team's project"),
        intro=_(
            "Design first: the problem, the users and the concept come before the code, which "
            "is optional. You can also send the team a link to enter its project itself."
        ),
        submit=_("Enter the project"),
        back=reverse("events:projects", args=[pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk, organise=True)
    project = project_of(event, project_pk)
    form = ProjectForm(request.POST or None, instance=project, event=event)
    if request.method == "POST" and save_form(
        form, lambda data: services.update_project(request.user, project, **data)
    ):
        messages.success(request, _("The project was saved."))
        return redirect(_project_url(event, project.pk))
    return form_page(
        request,
        form,
        _("Change the project “%(project)s”") % {"project": project.title},
        back=_project_url(event, project.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def artefact_upload(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk, organise=True)
    project = project_of(event, project_pk)
    form = ArtefactForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and save_form(
        form, lambda data: services.add_artefact(request.user, project, **data)
    ):
        messages.success(request, _("The artefact was added."))
        return redirect(_project_url(event, project.pk))
    return render(
        request,
        "events/projects/artefact_form.html",
        {
            "form": form,
            "title": _("Add a design artefact to “%(project)s”") % {"project": project.title},
            "back": _project_url(event, project.pk),
        },
    )


@login_required
@require_GET
def artefact_download(request: HttpRequest, pk: int, project_pk: int, artefact_pk: int):
    """The file, always as a download: a browser never renders an upload as a page."""
    artefact = get_artefact_for(request.user, pk, project_pk, artefact_pk)
    response = FileResponse(
        artefact.file.open("rb"),
        as_attachment=True,
        filename=artefact.filename,
        content_type=artefact.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def artefact_remove(request: HttpRequest, pk: int, project_pk: int, artefact_pk: int):
    artefact = get_artefact_for(request.user, pk, project_pk, artefact_pk, organise=True)
    services.remove_artefact(request.user, artefact)
    messages.success(request, _("The artefact was removed."))
    return redirect(_project_url(artefact.project.event, artefact.project_id))


@login_required
@require_POST
def team_link_send(request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk, organise=True)
    team = get_team_for(request.user, event, team_pk)
    try:
        recipient = services.send_team_link(request.user, team)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(team)s's link was sent to %(email)s.") % {"team": team.name, "email": recipient},
        )
    return redirect("events:projects", pk)


# The team's own pages: the signed link is the key, no account.


def _team_or_refusal(request: HttpRequest, token: str) -> Team | HttpResponse:
    try:
        return services.team_for_link(token)
    except services.TeamLinkRefused as refusal:
        return render(
            request, "events/projects/team_link_refused.html", {"reason": str(refusal)}, status=400
        )


def _team_page(request, team: Team, token: str, form, artefact_form, status=200):
    project = projects_shown(team.event).filter(team=team).first()
    return render(
        request,
        "events/projects/team_project.html",
        {
            "team": team,
            "event": team.event,
            "collaboration": team.event.collaboration,
            "project": project,
            "artefacts": list(project.artefacts.order_by("created_at", "id")) if project else [],
            "form": form,
            "artefact_form": artefact_form,
            "token": token,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def team_project(request: HttpRequest, token: str) -> HttpResponse:
    team = _team_or_refusal(request, token)
    if isinstance(team, HttpResponse):
        return team
    existing = projects_shown(team.event).filter(team=team).first()
    form = TeamProjectForm(request.POST or None, instance=existing, event=team.event)
    if request.method == "POST" and save_form(
        form, lambda data: services.save_team_project(team, **data)
    ):
        messages.success(request, _("Your project was saved. The organisers see it now."))
        return redirect("events:team_project", token)
    return _team_page(request, team, token, form, ArtefactForm())


@require_POST
def team_artefact_upload(request: HttpRequest, token: str) -> HttpResponse:
    team = _team_or_refusal(request, token)
    if isinstance(team, HttpResponse):
        return team
    project = projects_shown(team.event).filter(team=team).first()
    form = ArtefactForm(request.POST, request.FILES)
    if project is None:
        messages.error(request, _("Save your project first, then add its artefacts."))
        return redirect("events:team_project", token)
    if save_form(form, lambda data: services.add_artefact(None, project, **data)):
        messages.success(request, _("The artefact was added."))
        return redirect("events:team_project", token)
    project_form = TeamProjectForm(instance=project, event=team.event)
    return _team_page(request, team, token, project_form, form, status=400)
