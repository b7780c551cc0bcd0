"""Participants (E4): the organisers' list and its CSV, and the public registration with
its confirmation and cancellation links."""

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from civicbridge.collaborations.pages import page
from civicbridge.collaborations.permissions import get_public_collaboration
from civicbridge.core.documents import download
from civicbridge.core.forms import save_form
from civicbridge.core.permissions import require
from civicbridge.core.public_forms import within_allowance

from ..choices import Discipline, ParticipantStatus
from ..forms.participants import RegistrationForm
from ..models import Event
from ..permissions import (
    can_organise,
    can_see_participants,
    event_of,
    get_event_for,
    participants_of,
)
from ..services import participants as services
from ..services.events import registration_closed
from ..services.teams import team_mix
from .teams import labels, mix_advice

LINK_PROBLEMS = {
    services.LinkProblem.FORGED: (
        400,
        _lazy("This link is not valid"),
        _lazy(
            "It may be cut short or mistyped: copy the whole link from the e-mail. Links "
            "are signed, so a changed one never works."
        ),
    ),
    services.LinkProblem.EXPIRED: (
        410,
        _lazy("This link has expired"),
        _lazy(
            "A confirmation link works for 48 hours. Register again on the event's page "
            "with the same e-mail address and we send you a new one."
        ),
    ),
    services.LinkProblem.REPLACED: (
        410,
        _lazy("A newer link replaced this one"),
        _lazy("You registered again since we sent it: use the link in our latest e-mail."),
    ),
    services.LinkProblem.USED: (
        409,
        _lazy("This link was used already"),
        _lazy("Each link works once. Your registration is as our last e-mail said."),
    ),
    services.LinkProblem.OVER: (
        410,
        _lazy("The event is over"),
        _lazy("There is no place to give up any more."),
    ),
}


@login_required
@require_GET
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk)
    collaboration = event.collaboration
    context: dict = {
        "event": event,
        "mix": team_mix(event),
        "mix_advice": mix_advice(collaboration),
        "places": services.places(event),
        "sees_people": can_see_participants(request.user, collaboration)[0],
        "can_organise": can_organise(request.user, collaboration)[0],
    }
    if context["sees_people"]:
        context["participants"] = [
            {
                "participant": participant,
                "position": position,
                "disciplines": labels(participant.disciplines),
            }
            for participant, position in services.with_positions(participants_of(event))
        ]
    else:
        context["disciplines"] = _discipline_counts(event)
    return page(request, collaboration, "participants", "events/participants/list.html", context)


def _discipline_counts(event: Event) -> list[tuple[str, int]]:
    """How many confirmed participants bring each discipline: what the institution sees."""
    counts = {value: 0 for value in Discipline.values}
    confirmed = event.participants.filter(status=ParticipantStatus.CONFIRMED)
    for disciplines in confirmed.values_list("disciplines", flat=True):
        for value in disciplines:
            counts[value] = counts.get(value, 0) + 1
    return [(str(Discipline(value).label), count) for value, count in counts.items()]


@login_required
@require_GET
def participants_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk)
    require(can_see_participants(request.user, event.collaboration))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Name"),
            _("E-mail address"),
            _("Disciplines"),
            _("Status"),
            _("Waiting list position"),
            _("Registered"),
            _("Confirmed"),
            _("Team"),
        ]
    )
    for participant, position in services.with_positions(participants_of(event)):
        writer.writerow(
            [
                _cell(participant.name),
                _cell(participant.email),
                "; ".join(participant.disciplines),
                participant.status,
                position or "",
                participant.consent_at.isoformat(),
                participant.confirmed_at.isoformat() if participant.confirmed_at else "",
                _cell(participant.team.name) if participant.team else "",
            ]
        )
    return download(
        out.getvalue(), "text/csv; charset=utf-8", f"participants-{event.collaboration_id}.csv"
    )


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: what starts like a formula gets a quote first."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register for a public event without an account."""
    collaboration = get_public_collaboration(pk)
    event = event_of(collaboration)
    if event is None:
        return redirect("collaborations:public", pk)
    closed = registration_closed(event)
    form = None if closed else RegistrationForm(request.POST or None, event=event)
    status = 200
    if request.method == "POST" and form is not None:
        if not within_allowance(
            request, "event-registration", settings.EVENT_REGISTRATIONS_PER_MINUTE
        ):
            messages.error(
                request,
                _(
                    "Too many registrations came from your network this minute: wait a minute "
                    "and send the form again."
                ),
            )
            status = 429
        elif registration := save_form(
            form,
            lambda data: services.register(
                event,
                name=data["name"],
                email=data["email"],
                disciplines=data["disciplines"],
                consent=data["consent"],
            ),
        ):
            message = (
                _(
                    "You had registered before without confirming: we sent a new link to "
                    "%(email)s, and the old one no longer works. Open it within 48 hours."
                )
                if registration.again
                else _(
                    "Almost done: we sent a link to %(email)s. Open it within 48 hours to "
                    "confirm your place."
                )
            )
            messages.success(request, message % {"email": registration.participant.email})
            return redirect("events:public", pk)
    return render(
        request,
        "events/participants/register.html",
        {
            "collaboration": collaboration,
            "event": event,
            "form": form,
            "places": services.places(event),
        },
        status=status,
    )


def _link_refused(request: HttpRequest, refusal: services.LinkRefused) -> HttpResponse:
    status, title, body = LINK_PROBLEMS[refusal.problem]
    participant = refusal.participant
    return render(
        request,
        "events/participants/link_refused.html",
        {
            "title": title,
            "body": body,
            "collaboration": participant.event.collaboration if participant else None,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the first e-mail: one press on the button confirms the registration.

    A GET only shows the button, so a mail scanner that opens links confirms nothing.
    """
    try:
        participant = services.participant_for_link(token)
        if request.method == "POST":
            participant = services.confirm(participant)
    except services.LinkRefused as refusal:
        return _link_refused(request, refusal)
    position = (
        services.waiting_position(participant)
        if participant.status == ParticipantStatus.WAITING
        else None
    )
    return render(
        request,
        "events/participants/confirm.html",
        {
            "participant": participant,
            "collaboration": participant.event.collaboration,
            "position": position,
            "token": token,
        },
    )


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation e-mail: give the place up, for someone on the list."""
    try:
        participant = services.participant_for_link(token, cancel=True)
        if request.method == "POST":
            participant = services.cancel(participant)
    except services.LinkRefused as refusal:
        return _link_refused(request, refusal)
    return render(
        request,
        "events/participants/cancel.html",
        {
            "participant": participant,
            "collaboration": participant.event.collaboration,
            "token": token,
        },
    )
