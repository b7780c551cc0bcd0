"""Two finished assessments side by side: how each model's fit moved and which answers changed.

The compare page and an institution's timeline both read a `Comparison`, so a change of
fit is worked out in one place.
"""

from dataclasses import dataclass

from civicbridge.playbook.templatetags.playbook import tr

from . import engine
from .models import Assessment


def answer_label(document: dict, question: dict, value: int | None) -> str:
    """An answer as the questionnaire showed it, e.g. "Partly"; "—" when unanswered."""
    if value is None:
        return "—"
    options = document["scales"][question["scale"]]
    return next((tr(o["label"]) for o in options if o["value"] == value), str(value))


@dataclass(frozen=True)
class FitChange:
    """One model's fit in the earlier and the later assessment (None: not in its playbook)."""

    model_id: str
    before: engine.ModelResult | None
    after: engine.ModelResult

    @property
    def change(self) -> int | None:
        """How far the fit moved; None when either assessment could not judge the model."""
        if self.before is None or self.before.score is None or self.after.score is None:
            return None
        return self.after.score - self.before.score


@dataclass(frozen=True)
class AnswerChange:
    """One question of the later assessment's playbook, answered then and now."""

    question: dict
    before: int | None
    after: int | None
    before_label: str
    after_label: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class Comparison:
    first: Assessment
    second: Assessment
    fits: list[FitChange]
    answers: list[AnswerChange]

    @property
    def changed_answers(self) -> list[AnswerChange]:
        return [a for a in self.answers if a.changed]

    @property
    def same_playbook(self) -> bool:
        return self.first.playbook_version_id == self.second.playbook_version_id


def compare(first: Assessment, second: Assessment) -> Comparison:
    """`second`'s models and questions, each next to how `first` had it."""
    before = {m.model_id: m for m in first.result().models}
    document = second.playbook_version.content
    earlier_document = first.playbook_version.content
    earlier_questions = {q["id"]: q for q in earlier_document["questions"]}

    def earlier_label(question: dict) -> str:
        # Read on the earlier playbook's scale; a question it did not ask was not answered.
        asked = earlier_questions.get(question["id"])
        value = first.answers.get(question["id"])
        return answer_label(earlier_document, asked, value) if asked else "—"

    return Comparison(
        first=first,
        second=second,
        fits=[FitChange(m.model_id, before.get(m.model_id), m) for m in second.result().models],
        answers=[
            AnswerChange(
                question=q,
                before=first.answers.get(q["id"]),
                after=second.answers.get(q["id"]),
                before_label=earlier_label(q),
                after_label=answer_label(document, q, second.answers.get(q["id"])),
            )
            for q in document["questions"]
        ],
    )
