"""Reads the policy pages and the API share, each in a fixed number of queries."""

from datetime import date

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from civicbridge.collaborations.choices import Completion
from civicbridge.collaborations.models import Collaboration

from .models import (
    Commitment,
    CommitmentAssessment,
    CommitmentInstitution,
    ConsultationResponse,
    PolicyChange,
    StageEntry,
)


def policy_changes(collaboration: Collaboration) -> QuerySet[PolicyChange]:
    """The collaboration's policy changes, with their responses counted and the day of
    their latest stage."""
    return (
        PolicyChange.objects.filter(collaboration=collaboration)
        .annotate(response_count=Count("responses", distinct=True), stage_on=Max("stages__on"))
        .order_by("id")
    )


def stage_entries(change: PolicyChange) -> QuerySet[StageEntry]:
    return change.stages.select_related("recorded_by__person").order_by("on", "id")


def responses(collaboration: Collaboration) -> QuerySet[ConsultationResponse]:
    """The civic side's consultation responses on the collaboration's policy changes."""
    return ConsultationResponse.objects.filter(
        policy_change__collaboration=collaboration
    ).select_related("policy_change", "submitted_by__person")


def commitments(collaboration: Collaboration, today: date) -> QuerySet[Commitment]:
    """The action plan's commitments with their institutions and milestones counted."""
    return (
        Commitment.objects.filter(collaboration=collaboration)
        .annotate(
            milestone_count=Count("milestones", distinct=True),
            milestones_done=Count(
                "milestones", filter=Q(milestones__done_on__isnull=False), distinct=True
            ),
            milestones_overdue=Count(
                "milestones",
                filter=Q(milestones__done_on__isnull=True, milestones__due_on__lt=today),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch(
                "institutions",
                queryset=CommitmentInstitution.objects.select_related("organisation"),
            )
        )
        .order_by("identifier", "id")
    )


def completion_counts(collaboration: Collaboration) -> list[dict]:
    """How many commitments stand at each completion, in the scale's order, counted in the
    database."""
    counted = dict(
        Commitment.objects.filter(collaboration=collaboration)
        .values_list("completion")
        .annotate(n=Count("id"))
        .values_list("completion", "n")
    )
    return [
        {"completion": value, "label": label, "count": counted.get(value, 0)}
        for value, label in Completion.choices
    ]


def assessments(commitment: Commitment) -> QuerySet[CommitmentAssessment]:
    return commitment.assessments.select_related("recorded_by__person")
