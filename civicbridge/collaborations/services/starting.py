"""A collaboration's starting conditions: from the assessment it was proposed from, and from
the checks on its move to *agreed*. See `StartingCondition` for what each row means."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from civicbridge.core import audit
from civicbridge.core.choices import AuditAction
from civicbridge.readiness.models import Assessment
from civicbridge.readiness.observations import eligible_models, observed_conditions
from civicbridge.readiness.permissions import visible_assessments

from .. import lifecycle
from ..choices import StartingSource
from ..models import Collaboration, StartingCondition

# The same words whether the assessment does not exist or is not the actor's to see.
NOT_YOURS = _lazy(
    "This assessment is not one you may see, so the collaboration cannot start from it. "
    "Open it from your list of assessments, or propose without one."
)


def _text(statement: dict[str, str], language: str = "en") -> str:
    return statement.get(language) or next(iter(statement.values()), "")


def check_assessment(actor, collaboration: Collaboration, assessment: Assessment) -> None:
    """Refuse an assessment the actor may not see, an unfinished one, one about another
    institution, or one that excludes the collaboration's model."""
    if not visible_assessments(actor).filter(pk=assessment.pk).exists():
        raise ValidationError({"assessment": NOT_YOURS})
    if not assessment.complete:
        raise ValidationError(
            {"assessment": _("Finish the assessment first: its results are not ready yet.")}
        )
    if assessment.institution_id != collaboration.institution_id:
        raise ValidationError(
            {
                "assessment": _(
                    "The assessment is about %(assessed)s: choose it as the institution, "
                    "or propose without the assessment."
                )
                % {"assessed": assessment.institution.name}
            }
        )
    if collaboration.model not in eligible_models(assessment):
        raise ValidationError(
            {
                "assessment": _(
                    "The assessment excludes this model: a blocking condition fails. Choose "
                    "a model it leaves open, or repeat the assessment once the condition holds."
                )
            }
        )


def _create(actor, rows: list[StartingCondition]) -> list[StartingCondition]:
    created = StartingCondition.objects.bulk_create(rows)
    audit.log_many(actor, [(row, AuditAction.CREATE, None) for row in created])
    return created


def record_from_assessment(
    actor, collaboration: Collaboration, assessment: Assessment
) -> list[StartingCondition]:
    """Keep how each condition of the collaboration's model stood in the assessment's
    answers; called once, as the collaboration is proposed."""
    language = assessment.playbook_version.content.get("language", "en")
    return _create(
        actor,
        [
            StartingCondition(
                collaboration=collaboration,
                condition=seen.condition,
                source=StartingSource.ASSESSMENT,
                met=seen.met,
                statement=_text(seen.statement, language),
                question=seen.question,
                answer=seen.answer,
                playbook_version=assessment.playbook_version.number,
            )
            for seen in observed_conditions(assessment, collaboration.model)
        ],
    )


def record_from_gates(
    actor,
    collaboration: Collaboration,
    results: list[lifecycle.GateResult],
    playbook_version: int,
) -> list[StartingCondition]:
    """Keep what each check said on the move to *agreed*; a condition already kept from the
    gates (none, as a collaboration reaches *agreed* once) is left as it was."""
    kept = set(
        collaboration.starting_conditions.filter(source=StartingSource.GATE).values_list(
            "condition", flat=True
        )
    )
    return _create(
        actor,
        [
            StartingCondition(
                collaboration=collaboration,
                condition=result.condition,
                source=StartingSource.GATE,
                met=result.passed,
                statement=_text(result.statement),
                reason=result.reason,
                playbook_version=playbook_version,
            )
            for result in results
            if result.condition not in kept
        ],
    )
