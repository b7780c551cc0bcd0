"""Template helpers of the follow-ups: shares as percentages, and where a collaboration came from."""

from django import template

from civicbridge.collaborations.models import Collaboration
from civicbridge.core import formats

from ..models import Project

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """0.46875 as "46.9%"; nothing known as "—"."""
    if share is None:
        return "—"
    return f"{formats.number(round(share * 100, 1), 1)}%"


@register.inclusion_tag("events/followups/_grew_from.html")
def grew_from(collaboration: Collaboration) -> dict:
    """The event projects that led to `collaboration`, for its overview: one query."""
    projects = Project.objects.filter(led_to=collaboration).select_related("event__collaboration")
    return {"projects": list(projects)}
