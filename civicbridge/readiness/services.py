"""Every write to assessments."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import audit
from civicbridge.core.permissions import require
from civicbridge.core.services import create_record, update_record
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids
from civicbridge.playbook.models import PlaybookVersion

from . import engine, permissions
from .models import Assessment

CONTEXT_FIELDS = frozenset(
    {
        "title",
        "owner_organisation",
        "institution",
        "civic_partner",
        "country",
        "assessed_on",
        "visibility",
    }
)


def _require_own_side(actor, owner) -> None:
    if owner is None or owner.pk not in acting_organisation_ids(actor, Access.MEMBER):
        raise ValidationError({"owner_organisation": _("Make assessments for your own side.")})


@transaction.atomic
def start_assessment(actor, owner, **fields: Any) -> Assessment:
    """Begin an assessment for `owner` on the current playbook."""
    require(permissions.can_start_assessment(actor))
    _require_own_side(actor, owner)
    version = PlaybookVersion.objects.current()
    if version is None:
        raise ValidationError(_("No playbook has been loaded yet."))
    return create_record(
        actor,
        Assessment,
        owner_organisation=owner,
        playbook_version=version,
        created_by=actor,
        **fields,
    )


@transaction.atomic
def update_context(actor, assessment: Assessment, **fields: Any) -> Assessment:
    require(permissions.can_change_assessment(actor, assessment))
    # Only the context changes here: answers and completion have their own services.
    unknown = sorted(set(fields) - CONTEXT_FIELDS)
    if unknown:
        raise ValueError(f"Not context fields of an assessment: {', '.join(unknown)}")
    if "owner_organisation" in fields:
        # The assessment may move between the actor's own organisations, never away from them.
        _require_own_side(actor, fields["owner_organisation"])
    return update_record(actor, assessment, **fields)


@transaction.atomic
def save_answers(actor, assessment: Assessment, answers: Mapping[str, int | None]) -> Assessment:
    """Merge `answers` into the assessment; None clears an answer."""
    require(permissions.can_change_assessment(actor, assessment))
    merged = {**assessment.answers}
    for question, value in answers.items():
        if value is None:
            merged.pop(question, None)
        else:
            merged[question] = value
    document = assessment.playbook_version.content
    known = {q["id"] for q in document["questions"]}
    # Clearing a question the playbook does not have is as wrong as answering it.
    problems = [
        _("Question “%(id)s” is not in the playbook.") % {"id": question}
        for question in sorted(
            q for q, value in answers.items() if value is None and q not in known
        )
    ] + engine.check_answers(document, merged)
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(assessment)
    assessment.answers = merged
    if assessment.completed_at and len(merged) < len(known):
        assessment.completed_at = None
    assessment.save(update_fields=["answers", "completed_at", "updated_at"])
    audit.log_updated(actor, assessment, before)
    return assessment


@transaction.atomic
def complete_assessment(actor, assessment: Assessment) -> Assessment:
    """Mark the assessment complete; every question must have an answer."""
    require(permissions.can_change_assessment(actor, assessment))
    problems = engine.check_answers(
        assessment.playbook_version.content, assessment.answers, complete=True
    )
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(assessment)
    assessment.completed_at = timezone.now()
    assessment.save(update_fields=["completed_at", "updated_at"])
    audit.log_updated(actor, assessment, before)
    return assessment


@transaction.atomic
def repeat_assessment(actor, assessment: Assessment) -> Assessment:
    """A new assessment of the same context, dated today on the current playbook, with the
    earlier answers filled in to review: repeated over time, an institution's assessments
    show how its context moves. Answers the current playbook no longer asks, or asks on
    another scale, are left out."""
    require(permissions.can_change_assessment(actor, assessment))
    version = PlaybookVersion.objects.current()
    if version is None:
        raise ValidationError(_("No playbook has been loaded yet."))
    document = version.content
    answers = {
        question: value
        for question, value in assessment.answers.items()
        if not engine.check_answers(document, {question: value})
    }
    return create_record(
        actor,
        Assessment,
        title=assessment.title,
        owner_organisation=assessment.owner_organisation,
        institution=assessment.institution,
        civic_partner=assessment.civic_partner,
        country=assessment.country,
        visibility=assessment.visibility,
        assessed_on=timezone.localdate(),
        playbook_version=version,
        answers=answers,
        created_by=actor,
    )
