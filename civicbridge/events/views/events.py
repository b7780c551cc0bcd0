"""The events list, creating an event, its Event tab, registration and its public page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.pages import page
from civicbridge.collaborations.permissions import get_public_collaboration, visible_collaborations
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.core.permissions import require
from civicbridge.partners.permissions import acting_organisation_ids, is_platform_admin

from ..forms.events import EventCreateForm, EventForm
from ..models import Event
from ..permissions import (
    can_organise,
    can_organise_events,
    event_of,
    get_event_collaboration_for,
    get_event_for,
)
from ..queries import coming_public_events, registration_of, with_registration
from ..services import events as services
from ..services.challenges import published
from ..services.participants import places

PAGE_SIZE = 25


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """The events of the user's organisations, and those their institution is a partner of."""
    mine = acting_organisation_ids(request.user)
    events = visible_collaborations(request.user).filter(model=Model.EVENT)
    events = (
        events.select_related("civic_organisation", "institution", "event")
        .annotate(confirmed=Event.confirmed_places("event__"))
        .order_by("-start_date", "-id")
    )
    page_ = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    everything = is_platform_admin(request.user)
    rows = [
        {
            "collaboration": collaboration,
            "event": getattr(collaboration, "event", None),
            "registration": registration_of(collaboration),
            "party": everything or bool(mine.intersection(collaboration.party_ids)),
        }
        for collaboration in page_.object_list
    ]
    return render(
        request,
        "events/events/list.html",
        {
            "rows": rows,
            "page": page_,
            "can_create": can_organise_events(request.user)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    require(can_organise_events(request.user))
    form = EventCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and (
        event := save_form(form, lambda data: services.create_event(request.user, **data))
    ):
        messages.success(
            request,
            _("The event was created. Next: ask the institutions for their challenges."),
        )
        return redirect("events:event", event.collaboration_id)
    return form_page(
        request,
        form,
        _("Create an event"),
        intro=_(
            "A hackathon, design sprint, datathon, challenge or civic workshop, run with an "
            "institution that poses real problems. You can change all of it later."
        ),
        submit=_("Create the event"),
        back=reverse("events:list"),
    )


@login_required
@require_GET
def event_tab(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_event_collaboration_for(request.user, pk)
    event = event_of(collaboration)
    return _event_page(request, collaboration, event)


def _event_page(
    request: HttpRequest,
    collaboration: Collaboration,
    event: Event | None,
    *,
    refusal: services.RegistrationRefused | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict = {
        "event": event,
        "can_organise": can_organise(request.user, collaboration)[0],
        "refusal": refusal,
    }
    if event is not None:
        passed, reason, mitigations = services.registration_gate(event)
        context.update(
            places=places(event),
            organisers=event.organisers.all(),
            partners=event.partner_institutions.all(),
            gate={"passed": passed, "reason": reason, "mitigations": mitigations},
        )
    return page(request, collaboration, "event", "events/events/event.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_event_collaboration_for(request.user, pk)
    require(can_organise(request.user, collaboration))
    event = event_of(collaboration)
    form = EventForm(request.POST or None, instance=event, collaboration=collaboration)
    if request.method == "POST" and save_form(
        form, lambda data: services.save_event(request.user, collaboration, **data)
    ):
        messages.success(request, _("The event's facts were saved."))
        return redirect("events:event", collaboration.pk)
    return form_page(
        request,
        form,
        _("Change the event") if event else _("Record the event"),
        intro=_(
            "What kind of event it is, where it takes place, how many can come, who "
            "organises it and which other institutions pose challenges. Its title, dates "
            "and public page are the collaboration's details."
        ),
        back=tab_url(collaboration, "event"),
    )


@login_required
@require_POST
def registration_open(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk, organise=True)
    try:
        services.open_registration(request.user, event)
    except services.RegistrationRefused as refusal:
        return _event_page(request, event.collaboration, event, refusal=refusal, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Registration is open: people register on the public page."))
    return redirect("events:event", pk)


@login_required
@require_POST
def registration_close(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk, organise=True)
    try:
        services.close_registration(request.user, event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Registration is closed. Those registered keep their place or turn.")
        )
    return redirect("events:event", pk)


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """The public events that have not ended yet, soonest first, and whether each has a place."""
    page_ = Paginator(coming_public_events(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/events/public_list.html",
        {"events": with_registration(page_.object_list), "page": page_},
    )


@require_GET
def public_page(request: HttpRequest, pk: int) -> HttpResponse:
    """What anyone may know of a public event: what, when, where, its published challenges,
    and whether there is a place."""
    collaboration = get_public_collaboration(pk)
    event = event_of(collaboration) if collaboration.model == Model.EVENT else None
    if event is None:
        return redirect("collaborations:public", pk)
    return render(
        request,
        "events/events/public.html",
        {
            "collaboration": collaboration,
            "event": event,
            "challenges": published(event),
            "places": places(event),
            "organisers": event.organisers.all(),
            "partners": event.partner_institutions.all(),
        },
    )
