"""The Follow-ups tab (E5), what a project led to, and the answer page behind each link."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicbridge.collaborations.pages import page
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core import formats
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page

from ..choices import ProjectStatus, Respondent
from ..forms.followups import AnswerForm, LedToForm
from ..models import Project, ProjectFollowUp
from ..permissions import can_organise, can_see_participants, get_event_for, get_project_for
from ..services import followups as services


@dataclass(frozen=True)
class Asked:
    """One follow-up as the tab shows it."""

    follow_up: ProjectFollowUp
    who: str  # the team contact's name only for the organisers' side: it is personal data
    state: str


def _state(follow_up: ProjectFollowUp, today: date) -> str:
    """Where the follow-up stands, in words."""
    if follow_up.answered_at:
        return _("Answered %(date)s: %(status)s") % {
            "date": _day(timezone.localdate(follow_up.answered_at)),
            "status": follow_up.get_status_display(),
        }
    if follow_up.status == ProjectStatus.UNKNOWN:
        return _("No answer after a reminder: unknown")
    if follow_up.reminded_at:
        return _("Reminded %(date)s") % {"date": _day(timezone.localdate(follow_up.reminded_at))}
    if follow_up.sent_at:
        return _("Sent %(date)s") % {"date": _day(timezone.localdate(follow_up.sent_at))}
    if follow_up.due_on > today:
        return _("Due %(date)s") % {"date": _day(follow_up.due_on)}
    return _("Due %(date)s: goes out with the next reminders") % {"date": _day(follow_up.due_on)}


def _day(day: date) -> str:
    return formats.day(day)


@login_required
@require_GET
def follow_ups(request: HttpRequest, pk: int) -> HttpResponse:
    """Every project, what each follow-up found, and what the project led to."""
    event = get_event_for(request.user, pk)
    collaboration = event.collaboration
    projects = list(
        Project.objects.filter(event=event)
        .select_related("led_to__institution")
        .prefetch_related(
            Prefetch("follow_ups", ProjectFollowUp.objects.order_by("months", "respondent", "pk"))
        )
    )
    today = timezone.localdate()
    names = can_see_participants(request.user, collaboration)[0]
    rows = []
    for project in projects:
        asked = []
        for follow_up in project.follow_ups.all():
            shown = names or follow_up.respondent == Respondent.OFFICIAL
            who = follow_up.name if shown else follow_up.get_respondent_display()
            asked.append(Asked(follow_up, who, _state(follow_up, today)))
        rows.append({"project": project, "asked": asked})
    return page(
        request,
        collaboration,
        "follow-ups",
        "events/followups/tab.html",
        {
            "event": event,
            "months": services.project_follow_up_months(collaboration),
            "rows": rows,
            "planned": any(project.follow_ups.all() for project in projects),
            "can_organise": can_organise(request.user, collaboration)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_led_to(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    """The organisers link a project to the fellowship or contract it led to."""
    project = get_project_for(request.user, pk, project_pk, organise=True)
    collaboration = project.event.collaboration
    form = LedToForm(
        request.POST or None, collaboration=collaboration, initial={"led_to": project.led_to_id}
    )
    if request.method == "POST" and save_form(
        form, lambda data: services.set_led_to(request.user, project, data["led_to"])
    ):
        messages.success(request, _("Saved what “%(title)s” led to.") % {"title": project.title})
        return redirect("events:follow_ups", collaboration.pk)
    return form_page(
        request,
        form,
        _("What “%(title)s” led to") % {"title": project.title},
        intro=_(
            "When a project grows into a fellowship, a contract or other work with an "
            "institution, link it here: both pages show the link."
        ),
        back=tab_url(collaboration, "follow-ups"),
    )


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, follow_up_pk: int, token: str) -> HttpResponse:
    """A team contact or an official answers one follow-up through its link, no account."""
    try:
        follow_up = services.follow_up_for_link(follow_up_pk, token)
    except services.LinkRefused as refusal:
        return render(
            request,
            "events/followups/refused.html",
            {"reason": str(refusal)},
            status=refusal.status,
        )
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        saved = save_form(form, lambda data: services.answer_follow_up(follow_up, **data))
        if saved:
            return redirect("events:follow_up_thanks")
        if form.is_valid():  # valid, yet not saved: someone answered a moment earlier
            return render(
                request,
                "events/followups/refused.html",
                {"reason": _("This follow-up was answered already: a link works once.")},
                status=410,
            )
    project = follow_up.project
    return render(
        request,
        "events/followups/answer.html",
        {
            "form": form,
            "follow_up": follow_up,
            "project": project,
            "collaboration": project.event.collaboration,
        },
    )


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "events/followups/thanks.html")
