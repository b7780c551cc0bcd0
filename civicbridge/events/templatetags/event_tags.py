"""Template tags other rooms' pages use to show events."""

from django import template
from django.utils import timezone

from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration

register = template.Library()

SHOWN = 10


@register.inclusion_tag("events/events/_upcoming.html")
def upcoming_public_events() -> dict:
    """The public events that have not ended yet, soonest first: for the public home."""
    events = (
        Collaboration.objects.public()
        .filter(model=Model.EVENT, event__isnull=False, end_date__gte=timezone.localdate())
        .select_related("event", "civic_organisation", "institution")
        .order_by("start_date", "id")[:SHOWN]
    )
    return {"events": events}
