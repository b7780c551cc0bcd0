"""Each person's inbox, reminder channels and calendar feed through the API: theirs alone,
fetched with their user, written by the same services as the pages."""

from datetime import datetime
from enum import StrEnum

from django.urls import reverse
from ninja import Field, Query, Router, Schema

from civicbridge.collaborations.reminders import chosen_kind_choices
from civicbridge.core.api.forms import validated
from civicbridge.core.api.schemas import (
    ERROR_CODES,
    ApiRequest,
    Body,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
)

from . import services
from .choices import Channel
from .forms import PreferencesForm
from .permissions import channels_of, get_item_for, items_of

router = Router(tags=["notifications"])


class InboxItemOut(Schema):
    id: int
    title: str
    body: str
    url: str = Field(..., description="Where on the site it is about; a path, or empty.")
    created_at: datetime
    read_at: datetime | None


class InboxPage(Page[InboxItemOut]):
    unread: int = Field(..., description="How many of all your messages are unread.")


@router.get("/notifications", response={200: InboxPage, ERROR_CODES: ErrorOut}, url_name="inbox")
def list_inbox(request: ApiRequest, params: Query[PageParams]):
    """Your inbox, oldest first, and how many messages in it are unread."""
    items = items_of(request.auth)
    return {**page(items, params), "unread": items.filter(read_at__isnull=True).count()}


@router.post(
    "/notifications/{item_id}/read",
    response={200: InboxItemOut, ERROR_CODES: ErrorOut},
    url_name="inbox_read",
)
def read_item(request: ApiRequest, item_id: Id):
    """Mark one of your messages read; reading it again changes nothing."""
    return services.mark_read(request.auth, get_item_for(request.auth, item_id))


class MarkedOut(Schema):
    marked: int = Field(..., description="How many messages were unread until now.")


@router.post(
    "/notifications/read-all",
    response={200: MarkedOut, ERROR_CODES: ErrorOut},
    url_name="inbox_read_all",
)
def read_all(request: ApiRequest):
    """Mark every message in your inbox read."""
    return {"marked": services.mark_all_read(request.auth)}


# The kinds every room registered, read once the rooms are loaded (the API's routes are
# built after): the description lists them, and a kind nobody registered is refused.
ReminderKind = StrEnum(  # type: ignore[misc]
    "ReminderKind", [(kind, kind) for kind, _label in chosen_kind_choices()]
)


class PreferencesOut(Schema):
    channels: dict[ReminderKind, Channel] = Field(
        ..., description="How each kind of reminder reaches you."
    )


class PreferencesChange(Body):
    channels: dict[ReminderKind, Channel] = Field(
        ..., description="The kinds to change; every kind left out keeps its channel."
    )


def _preferences(user) -> dict[str, dict[str, str]]:
    chosen = channels_of(user)
    return {"channels": {kind: chosen.get(kind, Channel.BOTH) for kind in ReminderKind}}


@router.get(
    "/notifications/preferences",
    response={200: PreferencesOut, ERROR_CODES: ErrorOut},
    url_name="preferences",
)
def get_preferences(request: ApiRequest):
    """How each kind of reminder reaches you: by e-mail, in the inbox, or both."""
    return _preferences(request.auth)


@router.patch(
    "/notifications/preferences",
    response={200: PreferencesOut, ERROR_CODES: ErrorOut},
    url_name="preferences_edit",
)
def change_preferences(request: ApiRequest, payload: PreferencesChange):
    """Choose how some kinds of reminder reach you, as on the preferences page."""
    data = _preferences(request.auth)["channels"] | payload.channels
    form = PreferencesForm(data, current=channels_of(request.auth))
    services.save_preferences(request.auth, validated(form))
    return _preferences(request.auth)


class CalendarOut(Schema):
    url: str = Field(
        ...,
        description="Your private iCalendar feed of every deadline: anyone with the address "
        "can read it, so keep it to yourself, and reset it if it leaks.",
    )


def _calendar(request: ApiRequest, secret: str) -> dict[str, str]:
    return {"url": request.build_absolute_uri(reverse("notifications:feed", args=[secret]))}


@router.get(
    "/notifications/calendar",
    response={200: CalendarOut, ERROR_CODES: ErrorOut},
    url_name="calendar",
)
def get_calendar(request: ApiRequest):
    """The address of your calendar feed, to subscribe to in a calendar application."""
    return _calendar(request, services.calendar_feed_of(request.auth).secret)


@router.post(
    "/notifications/calendar/reset",
    response={200: CalendarOut, ERROR_CODES: ErrorOut},
    url_name="calendar_reset",
)
def reset_calendar(request: ApiRequest):
    """Give your feed a new address: the old one stops working at once."""
    return _calendar(request, services.reset_calendar_feed(request.auth).secret)
