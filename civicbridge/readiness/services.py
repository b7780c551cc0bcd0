"""Every write to assessments."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import audit
from civicbridge.core.permissions import require
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids
from civicbridge.playbook.models import PlaybookVersion

from . import engine, permissions
from .models import Assessment


@transaction.atomic
def start_assessment(actor, owner, **fields: Any) -> Assessment:
    """Begin an assessment for `owner` on the current playbook."""
    require(permissions.can_start_assessment(actor))
    if owner.pk not in acting_organisation_ids(actor, Access.MEMBER):
        raise ValidationError({"owner_organisation": _("Make assessments for your own side.")})
    version = PlaybookVersion.objects.current()
    if version is None:
        raise ValidationError(_("No playbook has been loaded yet."))
    assessment = Assessment(
        owner_organisation=owner, playbook_version=version, created_by=actor, **fields
    )
    assessment.full_clean()
    assessment.save()
    audit.log_created(actor, assessment)
    return assessment


@transaction.atomic
def update_context(actor, assessment: Assessment, **fields: Any) -> Assessment:
    require(permissions.can_change_assessment(actor, assessment))
    before = audit.snapshot(Assessment.objects.get(pk=assessment.pk))
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.full_clean()
    assessment.save()
    audit.log_updated(actor, assessment, before)
    return assessment


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
    problems = engine.check_answers(assessment.playbook_version.content, merged)
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(assessment)
    assessment.answers = merged
    if assessment.completed_at and len(merged) < len(
        assessment.playbook_version.content["questions"]
    ):
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
