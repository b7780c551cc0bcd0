"""Events, their challenges, registration, participants and teams through the API: the same
permission helpers, forms and services as the web pages.

An event is named by its collaboration's id, as on the pages.
"""

from django.db.models import Count, Q
from ninja import Query, Router, Status
from ninja.errors import HttpError

from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.permissions import visible_collaborations
from civicbridge.core.api.forms import changed, validated
from civicbridge.core.api.schemas import (
    CONFLICT_CODES,
    ERROR_CODES,
    ApiRequest,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
)
from civicbridge.core.permissions import require

from ..choices import ParticipantStatus
from ..forms.challenges import ChallengeForm, ReviewForm
from ..forms.events import EventCreateForm, EventForm
from ..forms.participants import TeamForm
from ..models import Event, Team
from ..permissions import (
    can_organise,
    can_see_participants,
    can_submit_challenge,
    challenge_institutions,
    get_challenge_for,
    get_event_for,
    get_team_for,
    participants_of,
    visible_challenges,
)
from ..services import challenges as challenge_services
from ..services import events as event_services
from ..services import teams as team_services
from .schemas import (
    ChallengeChange,
    ChallengeIn,
    ChallengeOut,
    EventChange,
    EventIn,
    EventOut,
    ParticipantOut,
    ReviewIn,
    TeamIn,
    TeamOut,
)

router = Router(tags=["events"])


def _events():
    """Event collaborations with their facts and place counts, in a fixed number of queries."""
    waiting = Q(event__participants__status=ParticipantStatus.WAITING)
    return (
        Collaboration.objects.filter(model=Model.EVENT, event__isnull=False)
        .select_related("event")
        .prefetch_related("event__partner_institutions", "event__organisers")
        .annotate(
            confirmed=Event.confirmed_places("event__"),
            waiting=Count("event__participants", filter=waiting, distinct=True),
        )
    )


def _event_out(event: Event) -> Collaboration:
    return _events().get(pk=event.collaboration_id)


@router.get("/events", response={200: Page[EventOut], ERROR_CODES: ErrorOut}, url_name="events")
def list_events(request: ApiRequest, params: Query[PageParams]):
    """The events of the user's organisations, and those their institution is a partner of."""
    visible = visible_collaborations(request.auth).values("pk")
    return page(_events().filter(pk__in=visible), params)


@router.post("/events", response={201: EventOut, ERROR_CODES: ErrorOut}, url_name="event_create")
def create_event(request: ApiRequest, payload: EventIn):
    """Create an event and its collaboration at once, as on the web page."""
    data = validated(EventCreateForm(payload.dict(), user=request.auth))
    return Status(201, _event_out(event_services.create_event(request.auth, **data)))


@router.get("/events/{event_id}", response={200: EventOut, ERROR_CODES: ErrorOut}, url_name="event")
def get_event(request: ApiRequest, event_id: Id):
    """One event, with its places and whether registration is open."""
    return _event_out(get_event_for(request.auth, event_id))


@router.patch(
    "/events/{event_id}", response={200: EventOut, ERROR_CODES: ErrorOut}, url_name="event_edit"
)
def change_event(request: ApiRequest, event_id: Id, payload: EventChange):
    """Change the event's facts; a bigger capacity lets the waiting list in."""
    event = get_event_for(request.auth, event_id, organise=True)
    collaboration = event.collaboration
    data = validated(changed(EventForm, payload, instance=event, collaboration=collaboration))
    return _event_out(event_services.save_event(request.auth, collaboration, **data))


@router.post(
    "/events/{event_id}/registration/open",
    response={200: EventOut, CONFLICT_CODES: ErrorOut},
    url_name="event_registration_open",
)
def open_registration(request: ApiRequest, event_id: Id):
    """Open registration; 409 with the reason and the playbook's advice until an
    institution's challenge is published with its owner."""
    event = get_event_for(request.auth, event_id, organise=True)
    try:
        event_services.open_registration(request.auth, event)
    except event_services.RegistrationRefused as refusal:
        raise HttpError(409, refusal.messages[0]) from None
    return _event_out(event)


@router.post(
    "/events/{event_id}/registration/close",
    response={200: EventOut, CONFLICT_CODES: ErrorOut},
    url_name="event_registration_close",
)
def close_registration(request: ApiRequest, event_id: Id):
    """Close registration; those registered keep their place or their turn."""
    event = get_event_for(request.auth, event_id, organise=True)
    return _event_out(event_services.close_registration(request.auth, event))


# Challenges


@router.get(
    "/events/{event_id}/challenges",
    response={200: Page[ChallengeOut], ERROR_CODES: ErrorOut},
    url_name="event_challenges",
)
def list_challenges(request: ApiRequest, event_id: Id, params: Query[PageParams]):
    """Your institution's challenges, every submitted one for the organisers, and the
    published ones for everyone who sees the event."""
    event = get_event_for(request.auth, event_id)
    return page(visible_challenges(request.auth, event), params)


@router.post(
    "/events/{event_id}/challenges",
    response={201: ChallengeOut, ERROR_CODES: ErrorOut},
    url_name="event_challenge_create",
)
def create_challenge(request: ApiRequest, event_id: Id, payload: ChallengeIn):
    """Pose a challenge for an institution of the event you act for."""
    event = get_event_for(request.auth, event_id)
    require(can_submit_challenge(request.auth, event))
    fields = payload.dict()
    submit = fields.pop("submit")
    form = ChallengeForm(fields, institutions=challenge_institutions(request.auth, event))
    data = validated(form)
    return Status(
        201, challenge_services.create_challenge(request.auth, event, submit=submit, **data)
    )


@router.get(
    "/events/{event_id}/challenges/{challenge_id}",
    response={200: ChallengeOut, ERROR_CODES: ErrorOut},
    url_name="event_challenge",
)
def get_challenge(request: ApiRequest, event_id: Id, challenge_id: Id):
    _event, challenge = get_challenge_for(request.auth, event_id, challenge_id)
    return challenge


@router.patch(
    "/events/{event_id}/challenges/{challenge_id}",
    response={200: ChallengeOut, ERROR_CODES: ErrorOut},
    url_name="event_challenge_edit",
)
def change_challenge(request: ApiRequest, event_id: Id, challenge_id: Id, payload: ChallengeChange):
    _event, challenge = get_challenge_for(request.auth, event_id, challenge_id, edit=True)
    form = changed(ChallengeForm, payload, instance=challenge, institutions=None)
    return challenge_services.update_challenge(request.auth, challenge, **validated(form))


@router.post(
    "/events/{event_id}/challenges/{challenge_id}/submit",
    response={200: ChallengeOut, CONFLICT_CODES: ErrorOut},
    url_name="event_challenge_submit",
)
def submit_challenge(request: ApiRequest, event_id: Id, challenge_id: Id):
    """Send a draft to the organisers; it needs its owner, who commits to attend."""
    _event, challenge = get_challenge_for(request.auth, event_id, challenge_id, edit=True)
    return challenge_services.submit_challenge(request.auth, challenge)


@router.post(
    "/events/{event_id}/challenges/{challenge_id}/review",
    response={200: ChallengeOut, CONFLICT_CODES: ErrorOut},
    url_name="event_challenge_review",
)
def review_challenge(request: ApiRequest, event_id: Id, challenge_id: Id, payload: ReviewIn):
    """The organisers publish a submitted challenge, or decline it with a note."""
    event, challenge = get_challenge_for(request.auth, event_id, challenge_id)
    require(can_organise(request.auth, event.collaboration))
    data = validated(ReviewForm(payload.dict()))
    if data["decision"] == "publish":
        return challenge_services.publish_challenge(request.auth, challenge, note=data["note"])
    return challenge_services.decline_challenge(request.auth, challenge, note=data["note"])


# Participants and teams


@router.get(
    "/events/{event_id}/participants",
    response={200: Page[ParticipantOut], ERROR_CODES: ErrorOut},
    url_name="event_participants",
)
def list_participants(request: ApiRequest, event_id: Id, params: Query[PageParams]):
    """Who registered, for the organisers' side only: e-mail addresses are personal data."""
    event = get_event_for(request.auth, event_id)
    require(can_see_participants(request.auth, event.collaboration))
    return page(participants_of(event), params)


@router.get(
    "/events/{event_id}/teams",
    response={200: Page[TeamOut], ERROR_CODES: ErrorOut},
    url_name="event_teams",
)
def list_teams(request: ApiRequest, event_id: Id, params: Query[PageParams]):
    """The teams and their members' ids; both sides read them."""
    event = get_event_for(request.auth, event_id)
    return page(Team.objects.filter(event=event).prefetch_related("members"), params)


@router.post(
    "/events/{event_id}/teams",
    response={201: TeamOut, ERROR_CODES: ErrorOut},
    url_name="event_team_create",
)
def create_team(request: ApiRequest, event_id: Id, payload: TeamIn):
    """Form a team of confirmed participants, none of them in another team."""
    event = get_event_for(request.auth, event_id, organise=True)
    data = validated(TeamForm(payload.dict(), event=event))
    return Status(201, team_services.create_team(request.auth, event, **data))


@router.put(
    "/events/{event_id}/teams/{team_id}",
    response={200: TeamOut, ERROR_CODES: ErrorOut},
    url_name="event_team_edit",
)
def change_team(request: ApiRequest, event_id: Id, team_id: Id, payload: TeamIn):
    """Rename a team or change its members and contact; send them all."""
    event = get_event_for(request.auth, event_id)
    team = get_team_for(request.auth, event, team_id)
    data = validated(TeamForm(payload.dict(), event=event))
    return team_services.update_team(request.auth, team, **data)


@router.delete(
    "/events/{event_id}/teams/{team_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="event_team_delete",
)
def delete_team(request: ApiRequest, event_id: Id, team_id: Id):
    """Dissolve a team; its members are free to join another."""
    event = get_event_for(request.auth, event_id)
    team_services.delete_team(request.auth, get_team_for(request.auth, event, team_id))
    return Status(204, None)
