"""Teams (E4): the organisers form them from confirmed participants; both sides read them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.pages import page
from civicbridge.collaborations.services import playbook_advice
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.playbook.templatetags.playbook import tr

from ..choices import Discipline, ParticipantStatus
from ..forms.participants import TeamForm
from ..models import Participant, Team
from ..permissions import can_organise, can_see_participants, get_event_for, get_team_for
from ..services import teams as services

MIX_CHECKS = ("events.multidisciplinary", "events.users_present")


def mix_advice(collaboration: Collaboration) -> list[str]:
    """The playbook's mitigations for the conditions the team-mix check proves."""
    advice: list[str] = []
    for check in MIX_CHECKS:
        for text in playbook_advice(collaboration, check)[1]:
            if tr(text) not in advice:
                advice.append(tr(text))
    return advice


def labels(disciplines: list[str]) -> str:
    """The disciplines in words."""
    return ", ".join(str(Discipline(value).label) for value in disciplines)


@login_required
@require_GET
def teams(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk)
    collaboration = event.collaboration
    members = Participant.objects.filter(status=ParticipantStatus.CONFIRMED).order_by("name", "id")
    rows = (
        Team.objects.filter(event=event)
        .prefetch_related(Prefetch("members", queryset=members, to_attr="confirmed_members"))
        .select_related("contact")
    )
    organising = can_organise(request.user, collaboration)[0]
    teamless = (
        event.participants.filter(status=ParticipantStatus.CONFIRMED, team__isnull=True).order_by(
            "name", "id"
        )
        if organising
        else []
    )
    return page(
        request,
        collaboration,
        "participants",
        "events/teams/list.html",
        {
            "event": event,
            "teams": [
                {
                    "team": team,
                    "members": [
                        (m.name, labels(m.disciplines), m.pk == team.contact_id)
                        for m in team.confirmed_members
                    ],
                }
                for team in rows
            ],
            "teamless": [(p.name, labels(p.disciplines)) for p in teamless],
            "mix": services.team_mix(event),
            "mix_advice": mix_advice(collaboration),
            "can_organise": organising,
            "sees_people": can_see_participants(request.user, collaboration)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk, organise=True)
    form = TeamForm(request.POST or None, event=event)
    if request.method == "POST" and save_form(
        form, lambda data: services.create_team(request.user, event, **data)
    ):
        messages.success(request, _("The team was formed."))
        return redirect("events:teams", pk)
    return form_page(
        request,
        form,
        _("Form a team"),
        intro=_(
            "Mix the disciplines: a team made only of developers is flagged, as the playbook "
            "advises against it."
        ),
        submit=_("Form the team"),
        back=_teams_url(pk),
    )


def _teams_url(pk: int) -> str:
    return reverse("events:teams", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk)
    team = get_team_for(request.user, event, team_pk)
    initial = {
        "name": team.name,
        "members": list(team.members.values_list("pk", flat=True)),
        "contact": team.contact_id,
    }
    form = TeamForm(request.POST or None, initial=initial, event=event)
    if request.method == "POST" and save_form(
        form, lambda data: services.update_team(request.user, team, **data)
    ):
        messages.success(request, _("The team was saved."))
        return redirect("events:teams", pk)
    return form_page(
        request, form, _("Change the team “%(team)s”") % {"team": team.name}, back=_teams_url(pk)
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_delete(request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk)
    team = get_team_for(request.user, event, team_pk)
    if request.method == "POST":
        try:
            services.delete_team(request.user, team)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The team “%(team)s” was dissolved.") % {"team": team.name})
        return redirect("events:teams", pk)
    return render(
        request,
        "events/teams/delete.html",
        {"team": team, "event": event, "back": _teams_url(pk)},
    )
