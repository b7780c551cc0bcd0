"""Template tags other rooms' pages use to show events."""

from django import template

from ..queries import coming_public_events, with_registration

register = template.Library()

SHOWN = 10


@register.inclusion_tag("events/events/_upcoming.html")
def upcoming_public_events() -> dict:
    """The public events that have not ended yet, soonest first: for the public home."""
    return {"events": with_registration(coming_public_events()[:SHOWN])}
