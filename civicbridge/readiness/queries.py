"""Reads of assessments that pages share, in a fixed number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from civicbridge.partners.models import Organisation
from civicbridge.playbook.models import PlaybookVersion

from . import engine, permissions
from .models import Assessment


def assessments_of(user, institution: Organisation) -> QuerySet[Assessment]:
    """The assessments about `institution` that `user` may see, newest first."""
    return (
        permissions.visible_assessments(user)
        .filter(institution=institution)
        .select_related("owner_organisation", "civic_partner")
        .order_by("-assessed_on", "-id")
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One assessment of an institution, with each model's result once it is finished."""

    assessment: Assessment
    fits: dict[str, engine.ModelResult]


def timeline(assessments: Iterable[Assessment]) -> list[TimelineEntry]:
    """Each assessment with its models' results; the playbook versions they were made on are
    read once for all (one query, however many assessments share them)."""
    assessments = list(assessments)
    versions = PlaybookVersion.objects.in_bulk({a.playbook_version_id for a in assessments})
    entries = []
    for assessment in assessments:
        assessment.playbook_version = versions[assessment.playbook_version_id]
        fits = {m.model_id: m for m in assessment.result().models} if assessment.complete else {}
        entries.append(TimelineEntry(assessment, fits))
    return entries
