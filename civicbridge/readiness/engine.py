"""Score every collaboration model of the playbook against the answers about one context.

Pure Python on purpose: no Django import, so the web pages, the `assess` command and the
tests share one engine that can be reasoned about on its own. It reads the playbook as the
plain dict parsed from its YAML (already validated by the loader) and the answers as
`{question id: value}`.

How a fit comes about, so every number can be explained:

- a model is scored on *lines*: its conditions that an assessment can observe (those with a
  question) and its context weights; each line has a weight and a favourable direction;
- a line's *satisfaction* is where its answer sits on its question's scale, from 0 at the
  unfavourable end to 1 at the favourable one; a condition that does not apply (its
  `applies_when` answer is below the value) is met, with satisfaction 1;
- an unanswered line counts for nothing either way: it is left out of the fit, and the
  share of the model's weight that was answered is reported beside the fit;
- a model's *fit* is 100 * points / answered weight, rounded half up to a whole number;
- a condition is *met* when its answer is at or above `met_at`.

A model's status, in this order:

- *excluded*: a blocking condition an assessment can observe is answered and not met;
- *undecided*: less than ENOUGH_ANSWERED of its weight is answered, or a blocking condition
  is still unanswered: the result names the questions that would decide it;
- *recommended*: its fit is at least RECOMMEND_FROM;
- *weak*: otherwise.

Conditions with no question can only be satisfied by a running collaboration (a signed
MOU, a signed contract): each model lists them as gates to pass before the stage they
gate, and they never exclude a model here. Every line carries the report's sentence it
comes from and where that sentence stands in the report.

Moving an answer the way a model declares favourable never lowers that model's fit, and
answering more questions never lifts an exclusion: only answered conditions exclude.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import Any

from civicbridge.playbook.report import Place, place_of

Document = Mapping[str, Any]

# Below this fit a model is not recommended even when nothing blocks it: half of what it
# needs, weighted, must be there.
RECOMMEND_FROM = 50
# A model is judged only once at least this share of its weight is answered.
ENOUGH_ANSWERED = Fraction(1, 2)
# How many unanswered questions an undecided result names, the weightiest first.
DECIDING_QUESTIONS = 8

HIGHER, LOWER = "higher", "lower"


class Status(StrEnum):
    RECOMMENDED = "recommended"
    WEAK = "weak"
    EXCLUDED = "excluded"
    UNDECIDED = "undecided"


# Ranked groups, in the order they are shown; undecided models are not ranked.
_GROUP_ORDER = (Status.RECOMMENDED, Status.WEAK, Status.EXCLUDED, Status.UNDECIDED)


class InvalidAnswers(ValueError):
    """The answers do not fit the playbook; `problems` names each question concerned."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Quote:
    """The report's sentence a line comes from, and where it stands in the report."""

    text: str
    place: Place | None

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "place": self.place.as_dict() if self.place else None}


@dataclass(frozen=True)
class ConditionResult:
    """One scored line of a model: a condition, or a context weight (`kind` "context").

    `applies` is False when the condition's `applies_when` answer says it does not apply
    (it is then met), and None when that answer is not given yet.
    """

    condition_id: str
    question_id: str
    answer: int | None
    met_at: int | None
    weight: int
    blocking: bool
    lowest: int
    highest: int
    kind: str = "condition"
    favourable: str = HIGHER
    applies: bool | None = True
    applies_question: str | None = None
    quote: Quote | None = None

    @property
    def answered(self) -> bool:
        """Whether the answers decide this line: it counts in the fit only then."""
        return self.applies is False or (self.applies is True and self.answer is not None)

    @property
    def exact_satisfaction(self) -> Fraction:
        """Where the answer sits on its scale, 0 unfavourable to 1 favourable (0 unanswered)."""
        if self.applies is False:
            return Fraction(1)
        if not self.answered or self.answer is None:
            return Fraction(0)
        if self.highest == self.lowest:
            return Fraction(1)
        position = Fraction(self.answer - self.lowest, self.highest - self.lowest)
        return position if self.favourable == HIGHER else 1 - position

    @property
    def satisfaction(self) -> float:
        return float(self.exact_satisfaction)

    @property
    def points(self) -> float:
        return float(self.weight * self.exact_satisfaction)

    @property
    def met(self) -> bool | None:
        """A condition's verdict; None for a context weight, which is never met or unmet."""
        if self.kind != "condition":
            return None
        if self.applies is False:
            return True
        return self.answered and self.answer is not None and self.answer >= (self.met_at or 0)

    @property
    def unanswered_questions(self) -> tuple[str, ...]:
        """The questions whose answers would decide this line."""
        if self.answered:
            return ()
        if self.applies is None and self.applies_question:
            return (
                (self.applies_question, self.question_id)
                if self.answer is None
                else (self.applies_question,)
            )
        return (self.question_id,)


@dataclass(frozen=True)
class Gate:
    """A condition only a running collaboration can satisfy: to do before `stage`."""

    condition_id: str
    stage: str | None
    blocking: bool
    check: str | None
    quote: Quote | None


@dataclass(frozen=True)
class ModelResult:
    """One model's fit: its lines in playbook order (conditions, then context weights), the
    gates of the running collaboration, its status and its rank (None when undecided)."""

    model_id: str
    conditions: tuple[ConditionResult, ...]
    gates: tuple[Gate, ...] = ()
    rank: int | None = None
    tied: bool = False

    @cached_property
    def total_weight(self) -> int:
        return sum(c.weight for c in self.conditions)

    @cached_property
    def answered_weight(self) -> int:
        return sum(c.weight for c in self.conditions if c.answered)

    @cached_property
    def answered_share(self) -> Fraction:
        """The share of the model's weight that the answers decide, 0 to 1."""
        if not self.total_weight:
            return Fraction(1)
        return Fraction(self.answered_weight, self.total_weight)

    @property
    def answered_percent(self) -> int:
        return math.floor(100 * self.answered_share + Fraction(1, 2))

    @cached_property
    def exact_points(self) -> Fraction:
        return sum(
            (c.weight * c.exact_satisfaction for c in self.conditions if c.answered), Fraction(0)
        )

    @cached_property
    def score(self) -> int | None:
        """100 * points / answered weight, rounded half up; None when nothing is answered."""
        if not self.answered_weight:
            return None
        return math.floor(100 * self.exact_points / self.answered_weight + Fraction(1, 2))

    @property
    def conditions_only(self) -> tuple[ConditionResult, ...]:
        return tuple(c for c in self.conditions if c.kind == "condition")

    @property
    def met(self) -> tuple[str, ...]:
        return tuple(c.condition_id for c in self.conditions_only if c.met)

    @property
    def unmet(self) -> tuple[str, ...]:
        """Conditions answered and not met (unanswered ones are open, not unmet)."""
        return tuple(c.condition_id for c in self.conditions_only if c.answered and not c.met)

    @property
    def open(self) -> tuple[str, ...]:
        """Conditions the answers do not decide yet."""
        return tuple(c.condition_id for c in self.conditions_only if not c.answered)

    @property
    def blocking_failed(self) -> tuple[str, ...]:
        return tuple(
            c.condition_id for c in self.conditions_only if c.blocking and c.answered and not c.met
        )

    @property
    def blocking_open(self) -> tuple[str, ...]:
        return tuple(c.condition_id for c in self.conditions_only if c.blocking and not c.answered)

    @cached_property
    def status(self) -> Status:
        if self.blocking_failed:
            return Status.EXCLUDED
        if self.answered_share < ENOUGH_ANSWERED or self.blocking_open or self.score is None:
            return Status.UNDECIDED
        if self.score >= RECOMMEND_FROM:
            return Status.RECOMMENDED
        return Status.WEAK

    @property
    def recommended(self) -> bool:
        """No blocking condition fails or is open, enough is answered, and the fit is at
        least RECOMMEND_FROM."""
        return self.status == Status.RECOMMENDED

    @property
    def unanswered_questions(self) -> tuple[str, ...]:
        """The questions that would decide this model's open lines, blocking ones first,
        then by the weight they carry, each once."""
        lines = sorted(
            (c for c in self.conditions if not c.answered),
            key=lambda c: (not c.blocking, -c.weight),
        )
        return tuple(dict.fromkeys(q for c in lines for q in c.unanswered_questions))


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
class DecidingQuestion:
    """An unanswered question, with the weight it carries across the models it would decide."""

    question_id: str
    weight: int
    blocking: bool
    models: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """The models in ranked order, every risk, and what is still to be answered.

    `models`: the ranked models first (recommended, weak, then excluded; within each by
    fit, equal fits sharing a rank), then the undecided ones in playbook order, unranked.
    """

    models: tuple[ModelResult, ...]
    risks: tuple[Risk, ...]
    deciding: tuple[DecidingQuestion, ...] = ()

    def model(self, model_id: str) -> ModelResult:
        return next(m for m in self.models if m.model_id == model_id)

    def risks_for(self, model_id: str) -> tuple[Risk, ...]:
        return tuple(r for r in self.risks if r.model_id == model_id)

    @property
    def enough_answers(self) -> bool:
        """Whether any model could be judged: if not, the result is "not enough answers"."""
        return any(m.status != Status.UNDECIDED for m in self.models)

    @property
    def leaders(self) -> tuple[ModelResult, ...]:
        """The best-ranked models that are not excluded: every model tied for the top of
        the recommended ones, else of the weak ones; none when nothing can be judged."""
        for status in (Status.RECOMMENDED, Status.WEAK):
            group = [m for m in self.models if m.status == status]
            if group:
                return tuple(m for m in group if m.rank == group[0].rank)
        return ()

    def first_steps(self, n: int = 3) -> tuple[Risk, ...]:
        """What to do first: the top `n` risks of each leading model. An excluded model
        never leads, so it never supplies a first step."""
        return tuple(
            risk for leader in self.leaders for risk in self.risks_for(leader.model_id)[:n]
        )

    def as_dict(self) -> dict[str, Any]:
        """The assessment as JSON-ready data, for downloads and `assess --json`."""
        return {
            "enough_answers": self.enough_answers,
            "models": [_model_dict(m) for m in self.models],
            "leaders": [m.model_id for m in self.leaders],
            "risks": [_risk_dict(r) for r in self.risks],
            "first_steps": [_risk_dict(r) for r in self.first_steps()],
            "deciding_questions": [
                {
                    "question": q.question_id,
                    "weight": q.weight,
                    "blocking": q.blocking,
                    "models": list(q.models),
                }
                for q in self.deciding
            ],
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
    """Score, judge and rank every model of `document` under `answers`.

    Raises InvalidAnswers when an answer names an unknown question or is off its scale.
    """
    problems = check_answers(document, answers)
    if problems:
        raise InvalidAnswers(problems)
    questions = {q["id"]: q for q in document["questions"]}
    unranked = [_model_result(document, questions, model, answers) for model in document["models"]]
    return Assessment(
        models=_ranked(unranked),
        risks=_risks(document, unranked),
        deciding=_deciding(unranked),
    )


def _model_result(
    document: Document,
    questions: Mapping[str, Mapping[str, Any]],
    model: Mapping[str, Any],
    answers: Mapping[str, int],
) -> ModelResult:
    lines = [
        _line(document, questions, condition, answers)
        for condition in model["conditions"]
        if "question" in condition
    ]
    lines += [
        _line(document, questions, weight, answers, kind="context")
        for weight in model.get("context", [])
    ]
    gates = tuple(
        Gate(
            condition_id=c["id"],
            stage=c.get("gates"),
            blocking=c["blocking"],
            check=c.get("check"),
            quote=_quote(document, c),
        )
        for c in model["conditions"]
        if "question" not in c
    )
    return ModelResult(model_id=model["id"], conditions=tuple(lines), gates=gates)


def _line(
    document: Document,
    questions: Mapping[str, Mapping[str, Any]],
    item: Mapping[str, Any],
    answers: Mapping[str, int],
    kind: str = "condition",
) -> ConditionResult:
    question = questions[item["question"]]
    values = [option["value"] for option in document["scales"][question["scale"]]]
    applies: bool | None = True
    when = item.get("applies_when")
    if when:
        trigger = answers.get(when["question"])
        applies = None if trigger is None else trigger >= when["at_least"]
    return ConditionResult(
        condition_id=item["id"],
        question_id=question["id"],
        answer=answers.get(question["id"]),
        met_at=item.get("met_at"),
        weight=item["weight"],
        blocking=item.get("blocking", False),
        lowest=min(values),
        highest=max(values),
        kind=kind,
        favourable=item.get("favourable", HIGHER),
        applies=applies,
        applies_question=when["question"] if when else None,
        quote=_quote(document, item),
    )


def _quote(document: Document, item: Mapping[str, Any]) -> Quote | None:
    source = item.get("source")
    if not source:
        return None
    return Quote(text=_text(source, document), place=place_of(source))


def _ranked(results: list[ModelResult]) -> tuple[ModelResult, ...]:
    """Ranked groups in order, by fit within each (stable: equal fits keep the playbook
    order); equal fits in a group share a rank; undecided models are not ranked."""
    ordered = sorted(
        results,
        key=lambda m: (_GROUP_ORDER.index(m.status), -(m.score or 0)),
    )
    ranked: list[ModelResult] = []
    for result in ordered:
        if result.status == Status.UNDECIDED:
            ranked.append(result)
            continue
        peers = [m for m in ordered if m.status == result.status and m.score == result.score]
        ranked.append(replace(result, rank=ordered.index(peers[0]) + 1, tied=len(peers) > 1))
    return tuple(ranked)


def _risks(document: Document, results: list[ModelResult]) -> tuple[Risk, ...]:
    """Every answered, unmet condition: blocking first, then by severity, then in playbook
    order."""
    risks: list[Risk] = []
    for model, result in zip(document["models"], results, strict=True):
        for condition in result.conditions_only:
            if not condition.answered or condition.met:
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


def _deciding(results: list[ModelResult]) -> tuple[DecidingQuestion, ...]:
    """The unanswered questions that would decide the undecided models: those behind a
    blocking condition first, then by the weight they carry; at most DECIDING_QUESTIONS."""
    weight: dict[str, int] = {}
    blocking: dict[str, bool] = {}
    models: dict[str, list[str]] = {}
    for result in results:
        if result.status != Status.UNDECIDED:
            continue
        for line in result.conditions:
            for question in line.unanswered_questions:
                weight[question] = weight.get(question, 0) + line.weight
                blocking[question] = blocking.get(question, False) or line.blocking
                if result.model_id not in models.setdefault(question, []):
                    models[question].append(result.model_id)
    order = sorted(weight, key=lambda q: (not blocking[q], -weight[q], q))
    return tuple(
        DecidingQuestion(q, weight[q], blocking[q], tuple(models[q]))
        for q in order[:DECIDING_QUESTIONS]
    )


def _naming(
    items: list[Mapping[str, Any]], key: str, condition: ConditionResult
) -> tuple[str, ...]:
    """The ids of the items whose `key` list names `condition`."""
    return tuple(item["id"] for item in items if condition.condition_id in item[key])


def _text(text: Mapping[str, str], document: Document) -> str:
    return text.get(document["language"]) or next(iter(text.values()))


def _quote_dict(quote: Quote | None) -> dict[str, Any] | None:
    return quote.as_dict() if quote else None


def _model_dict(m: ModelResult) -> dict[str, Any]:
    return {
        "id": m.model_id,
        "rank": m.rank,
        "tied": m.tied,
        "status": str(m.status),
        "score": m.score,
        "answered_percent": m.answered_percent,
        "recommended": m.recommended,
        "met": list(m.met),
        "unmet": list(m.unmet),
        "open": list(m.open),
        "blocking_failed": list(m.blocking_failed),
        "unanswered_questions": list(m.unanswered_questions),
        "conditions": [_condition_dict(c) for c in m.conditions],
        "gates": [
            {
                "condition": g.condition_id,
                "before": g.stage,
                "blocking": g.blocking,
                "check": g.check,
                "quote": _quote_dict(g.quote),
            }
            for g in m.gates
        ],
    }


def _condition_dict(c: ConditionResult) -> dict[str, Any]:
    return {
        "id": c.condition_id,
        "kind": c.kind,
        "question": c.question_id,
        "answer": c.answer,
        "favourable": c.favourable,
        "met_at": c.met_at,
        "weight": c.weight,
        "blocking": c.blocking,
        "applies": c.applies,
        "answered": c.answered,
        "satisfaction": round(c.satisfaction, 4),
        "points": round(c.points, 4) if c.answered else None,
        "met": c.met,
        "quote": _quote_dict(c.quote),
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
        "quote": _quote_dict(r.condition.quote),
    }
