"""What a finished assessment says about one model's conditions, for work that starts from it.

A collaboration proposed from an assessment keeps how each condition of its model stood in
the assessment's answers (its starting conditions); the collaboration layer stores them,
this module reads them from the engine's result. Only conditions the assessment observes
are read: those the engine scores from one of the assessment's questions (not the context
weights, which are no condition of the playbook).
"""

from dataclasses import dataclass

from .models import Assessment


@dataclass(frozen=True)
class Observation:
    """How one condition stood in the assessment's answers.

    `met` is True when the answer reaches the condition's `met_at`, False when it falls
    short, and None when the question was left unanswered: the assessment cannot tell.
    """

    condition: str
    statement: dict[str, str]
    question: str
    answer: int | None
    met: bool | None


def eligible_models(assessment: Assessment) -> tuple[str, ...]:
    """The ids of the models the assessment does not exclude (no blocking condition fails),
    best ranked first. An unfinished assessment excludes every model."""
    if not assessment.complete:
        return ()
    return tuple(m.model_id for m in assessment.result().models if not m.blocking_failed)


def observed_conditions(assessment: Assessment, model_id: str) -> list[Observation]:
    """Every condition of `model_id` the assessment observes, in the playbook's order."""
    document = assessment.playbook_version.content
    model = next((m for m in document["models"] if m["id"] == model_id), None)
    if model is None:
        return []
    statements = {c["id"]: c["statement"] for c in model["conditions"]}
    return [
        Observation(
            condition=c.condition_id,
            statement=statements[c.condition_id],
            question=c.question_id,
            answer=c.answer,
            met=None if c.answer is None else c.met,
        )
        for c in assessment.result().model(model_id).conditions
        if c.kind == "condition" and c.question_id
    ]
