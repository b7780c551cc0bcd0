"""Who sees a collaboration besides its two parties, as the rooms above say.

A collaboration is seen by the organisations that are its parties. A room may show it to
other organisations too (an event's partner institutions): it registers, in its
AppConfig.ready(), a source that answers which collaborations a set of organisations sees
through it. `Collaboration.objects.seen_by` joins them, and every list, page and API route
asks that one method (through `permissions.visible_collaborations`). Such a viewer reads;
only the two parties write.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Q

# (organisation ids) -> a queryset of collaboration ids, as .values("collaboration_id")
ViewerSource = Callable[[set[int]], Any]

_sources: list[ViewerSource] = []


def add_viewers(source: ViewerSource) -> None:
    """Show collaborations to the organisations for which `source(organisation_ids)` finds them."""
    if source not in _sources:
        _sources.append(source)


def seen_through_rooms(organisation_ids: set[int]) -> Q:
    """The collaborations the rooms show `organisation_ids`, as a condition on Collaboration."""
    condition = Q(pk__in=[])
    for source in _sources:
        condition |= Q(pk__in=source(organisation_ids))
    return condition
