"""Score every collaboration model of the playbook against the answers about one context.

Pure Python on purpose: no Django import, so the web pages, the `assess` command and the
tests share one engine that can be reasoned about on its own. It reads the playbook as the
plain dict parsed from its YAML (already validated by the loader) and the answers as
`{question id: value}`.

How a score comes about, so every number can be explained:

- a condition's *satisfaction* is where its answer sits on its question's scale, from 0 at
  the scale's lowest value to 1 at its highest; an unanswered question counts as 0;
- its *points* are its weight times its satisfaction;
- a model's *score* is 100 * its points / its weights, rounded half up to a whole number;
- a condition is *met* when its answer is at or above `met_at`; a model with a failed
  blocking condition is never recommended, whatever its score, and nor is a model whose
  score is below RECOMMEND_FROM.

Scales run from worse to better, so raising an answer can only raise a score.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cached_property
from typing import Any

Document = Mapping[str, Any]

# Below this fit a model is not recommended even when nothing blocks it: half of what it
# needs, weighted, must be there.
RECOMMEND_FROM = 50


class InvalidAnswers(ValueError):
    """The answers do not fit the playbook; `problems` names each question concerned."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ConditionResult:
    """How one condition of a model fares under the answers."""

    condition_id: str
    question_id: str
    answer: int | None
    met_at: int
    weight: int
    blocking: bool
    lowest: int
    highest: int

    @property
    def exact_satisfaction(self) -> Fraction:
        """Where the answer sits on its scale, 0 to 1, as an exact fraction."""
        if self.answer is None:
            return Fraction(0)
        if self.highest == self.lowest:
            return Fraction(1)
        return Fraction(self.answer - self.lowest, self.highest - self.lowest)

    @property
    def satisfaction(self) -> float:
        return float(self.exact_satisfaction)

    @property
    def points(self) -> float:
        return float(self.weight * self.exact_satisfaction)

    @property
    def met(self) -> bool:
        return self.answer is not None and self.answer >= self.met_at


@dataclass(frozen=True)
class ModelResult:
    """One model's fit: its score, rank and the result of each condition in playbook order."""

    model_id: str
    conditions: tuple[ConditionResult, ...]
    rank: int

    @cached_property
    def score(self) -> int:
        """100 * points / weights, rounded half up (so 12.5 shows as 13, as people expect)."""
        points = sum((c.weight * c.exact_satisfaction for c in self.conditions), Fraction(0))
        weights = sum(c.weight for c in self.conditions)
        return math.floor(100 * points / weights + Fraction(1, 2))

    @property
    def met(self) -> tuple[str, ...]:
        return tuple(c.condition_id for c in self.conditions if c.met)

    @property
    def unmet(self) -> tuple[str, ...]:
        return tuple(c.condition_id for c in self.conditions if not c.met)

    @property
    def blocking_failed(self) -> tuple[str, ...]:
        return tuple(c.condition_id for c in self.conditions if c.blocking and not c.met)

    @property
    def recommended(self) -> bool:
        """No blocking condition fails, and the fit is at least RECOMMEND_FROM."""
        return not self.blocking_failed and self.score >= RECOMMEND_FROM


@dataclass(frozen=True)
class Risk:
    """An unmet condition of a model, with the mitigations that address it."""

    model_id: str
    condition: ConditionResult
    mitigation_ids: tuple[str, ...]
    challenge_ids: tuple[str, ...]

    @property
    def condition_id(self) -> str:
        return self.condition.condition_id

    @property
    def blocking(self) -> bool:
        return self.condition.blocking

    @property
    def exact_severity(self) -> Fraction:
        return self.condition.weight * (1 - self.condition.exact_satisfaction)

    @property
    def severity(self) -> float:
        """Weight * (1 - satisfaction): how much of the condition's weight is missing."""
        return float(self.exact_severity)


@dataclass(frozen=True)
class Assessment:
    """The ranked models and every risk, for one set of answers."""

    models: tuple[ModelResult, ...]
    risks: tuple[Risk, ...]

    def model(self, model_id: str) -> ModelResult:
        return next(m for m in self.models if m.model_id == model_id)

    def risks_for(self, model_id: str) -> tuple[Risk, ...]:
        return tuple(r for r in self.risks if r.model_id == model_id)

    def first_steps(self, n: int = 3) -> tuple[Risk, ...]:
        """The top `n` risks of the best-ranked model: what to do first.

        Recommended models rank first, so that is the best recommended model when there is
        one, and otherwise the best model of those excluded.
        """
        return self.risks_for(self.models[0].model_id)[:n]

    def as_dict(self) -> dict[str, Any]:
        """The assessment as JSON-ready data, for downloads and `assess --json`."""
        return {
            "models": [
                {
                    "id": m.model_id,
                    "rank": m.rank,
                    "score": m.score,
                    "recommended": m.recommended,
                    "met": list(m.met),
                    "unmet": list(m.unmet),
                    "blocking_failed": list(m.blocking_failed),
                    "conditions": [_condition_dict(c) for c in m.conditions],
                }
                for m in self.models
            ],
            "risks": [_risk_dict(r) for r in self.risks],
            "first_steps": [_risk_dict(r) for r in self.first_steps()],
        }


def check_answers(
    document: Document, answers: Mapping[str, object], *, complete: bool = False
) -> list[str]:
    """Every problem with `answers`, in plain words that name the question.

    Unknown questions come first (sorted by id), then the playbook's questions in order.
    """
    questions = {q["id"]: q for q in document["questions"]}
    problems = [
        f"Question “{question_id}” is not in the playbook."
        for question_id in sorted(set(answers) - set(questions))
    ]
    for question_id, question in questions.items():
        if question_id not in answers:
            if complete:
                problems.append(f"Question “{question_id}” has no answer.")
            continue
        value = answers[question_id]
        options = document["scales"][question["scale"]]
        values = {option["value"] for option in options}
        # bool is an int in Python, but YAML's `yes` is not the answer 1.
        is_number = isinstance(value, int) and not isinstance(value, bool)
        if not is_number or value not in values:
            shown = value if is_number else f"“{value}”"
            choices = ", ".join(
                f"{option['value']} {_text(option['label'], document)}" for option in options
            )
            problems.append(
                f"Question “{question_id}”: {shown} is not an answer on its scale ({choices})."
            )
    return problems


def assess(document: Document, answers: Mapping[str, int]) -> Assessment:
    """Score and rank every model of `document` under `answers` (missing answers count as 0).

    Ranking: recommended models first, then the excluded ones; within each group by score,
    highest first; equal scores keep the playbook's model order.
    Raises InvalidAnswers when an answer names an unknown question or is off its scale.
    """
    problems = check_answers(document, answers)
    if problems:
        raise InvalidAnswers(problems)
    questions = {q["id"]: q for q in document["questions"]}
    unranked = [
        ModelResult(
            model_id=model["id"],
            conditions=tuple(
                _condition_result(document, questions[c["question"]], c, answers)
                for c in model["conditions"]
            ),
            rank=0,  # set below, once every model is scored
        )
        for model in document["models"]
    ]
    ordered = sorted(unranked, key=lambda m: (not m.recommended, -m.score))  # stable
    models = tuple(replace(m, rank=rank) for rank, m in enumerate(ordered, start=1))
    return Assessment(models=models, risks=_risks(document, unranked))


def _condition_result(
    document: Document,
    question: Mapping[str, Any],
    condition: Mapping[str, Any],
    answers: Mapping[str, int],
) -> ConditionResult:
    values = [option["value"] for option in document["scales"][question["scale"]]]
    return ConditionResult(
        condition_id=condition["id"],
        question_id=question["id"],
        answer=answers.get(question["id"]),
        met_at=condition["met_at"],
        weight=condition["weight"],
        blocking=condition["blocking"],
        lowest=min(values),
        highest=max(values),
    )


def _risks(document: Document, results: list[ModelResult]) -> tuple[Risk, ...]:
    """Every unmet condition: blocking first, then by severity, then in playbook order."""
    risks: list[Risk] = []
    for model, result in zip(document["models"], results, strict=True):
        for condition in result.conditions:
            if condition.met:
                continue
            risks.append(
                Risk(
                    model_id=result.model_id,
                    condition=condition,
                    mitigation_ids=_naming(model["mitigations"], "conditions", condition),
                    challenge_ids=_naming(model["challenges"], "threatens", condition),
                )
            )
    return tuple(sorted(risks, key=lambda r: (not r.blocking, -r.exact_severity)))  # stable


def _naming(
    items: list[Mapping[str, Any]], key: str, condition: ConditionResult
) -> tuple[str, ...]:
    """The ids of the items whose `key` list names `condition`."""
    return tuple(item["id"] for item in items if condition.condition_id in item[key])


def _text(text: Mapping[str, str], document: Document) -> str:
    return text.get(document["language"]) or next(iter(text.values()))


def _condition_dict(c: ConditionResult) -> dict[str, Any]:
    return {
        "id": c.condition_id,
        "question": c.question_id,
        "answer": c.answer,
        "met_at": c.met_at,
        "weight": c.weight,
        "blocking": c.blocking,
        "satisfaction": round(c.satisfaction, 4),
        "points": round(c.points, 4),
        "met": c.met,
    }


def _risk_dict(r: Risk) -> dict[str, Any]:
    return {
        "model": r.model_id,
        "condition": r.condition_id,
        "question": r.condition.question_id,
        "answer": r.condition.answer,
        "blocking": r.blocking,
        "severity": round(r.severity, 4),
        "mitigations": list(r.mitigation_ids),
        "challenges": list(r.challenge_ids),
    }
