"""What the consulting tabs and the API read, each in a fixed number of queries."""

from django.db.models import Count, QuerySet

from civicbridge.collaborations.choices import Completion
from civicbridge.collaborations.models import Collaboration

from .models import Deliverable, DeliverableVersion, Recommendation


def deliverables_shown(collaboration: Collaboration) -> QuerySet[Deliverable]:
    """The engagement's deliverables by due date, each with how many versions it has."""
    return collaboration.deliverables.annotate(version_count=Count("versions")).order_by(
        "due_on", "id"
    )


def versions_shown(deliverable: Deliverable) -> QuerySet[DeliverableVersion]:
    """A deliverable's versions, newest first, with who sent each and what was decided."""
    return deliverable.versions.select_related(
        "submitted_by__person", "review__decided_by__person"
    ).order_by("-number")


def recommendations_shown(collaboration: Collaboration) -> QuerySet[Recommendation]:
    """The engagement's recommendations with their owner and deliverable."""
    return collaboration.recommendations.select_related("owner", "deliverable").order_by(
        "deliverable__due_on", "deliverable_id", "id"
    )


def completion_counts(collaboration: Collaboration) -> list[dict]:
    """How many recommendations stand at each step of the completion scale, counted in the
    database, every step shown (a zero too)."""
    counts = dict(collaboration.recommendations.values_list("completion").annotate(n=Count("id")))
    return [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Completion.choices
    ]


def timeline(recommendation: Recommendation):
    """A recommendation's adoption history, oldest first, with who recorded each step."""
    return recommendation.updates.select_related("recorded_by__person", "side").order_by(
        "created_at", "id"
    )
