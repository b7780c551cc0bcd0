"""Reads the events' pages share, in a fixed number of queries."""

from django.utils import timezone

from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration

from .choices import RegistrationState
from .models import Event


def coming_public_events():
    """The public events that have not ended yet, soonest first, each with its count of
    confirmed places (`confirmed`) for `Event.registration_state`."""
    return (
        Collaboration.objects.public()
        .filter(model=Model.EVENT, event__isnull=False, end_date__gte=timezone.localdate())
        .select_related("event", "civic_organisation", "institution")
        .annotate(confirmed=Event.confirmed_places("event__"))
        .order_by("start_date", "id")
    )


def registration_of(collaboration) -> RegistrationState | None:
    """The registration state of an event collaboration read with its `confirmed` places
    (`Event.confirmed_places("event__")`); None for a collaboration without its event."""
    event = getattr(collaboration, "event", None)
    return None if event is None else event.registration_state(collaboration.confirmed)


def with_registration(collaborations) -> list:
    """Each event collaboration with its registration state."""
    return [(collaboration, registration_of(collaboration)) for collaboration in collaborations]
