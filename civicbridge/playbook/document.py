"""The playbook document: its schema, the rules its ids must keep, and lookups.

A playbook is one JSON-ready document (read from YAML). Every text in it is a mapping from a
language code to the text, so translations sit beside the original and no language is
fixed in the data layer.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from civicbridge.core.validation import describe

SCHEMA_PATH = Path(__file__).parent / "schema.json"
SHIPPED = Path(__file__).parent / "data" / "playbook.yaml"
STAGES = ("preparing", "agreed", "active", "closing", "closed")
# The parts of a model that are lists of items with ids.
MODEL_PARTS = ("goals", "conditions", "context", "challenges", "mitigations")


@cache
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


class InvalidPlaybook(Exception):
    """The document breaks the schema or its own references; `errors` names each problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


# libyaml's loader when PyYAML was built with it: the same safe subset, ten times faster.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as error:
        raise InvalidPlaybook([f"The file is not valid YAML: {error}"]) from None


def problems(document: Any, known_checks: frozenset[str]) -> list[str]:
    """Every way `document` breaks the schema or its own references."""
    errors = [describe(error) for error in validator().iter_errors(document)]
    if errors:
        return errors
    playbook = Playbook(document)
    seen: set[str] = set()
    for kind, item in playbook.items():
        if item["id"] in seen:
            errors.append(f"“{item['id']}” ({kind}): the id is used twice.")
        seen.add(item["id"])
    for name, options in document["scales"].items():
        values = [option["value"] for option in options]
        if values != sorted(set(values)):
            errors.append(
                f"Scale “{name}”: the values {values} must rise from the worst answer to the "
                "best, each once, so that a better answer never lowers a score."
            )
    for question in document["questions"]:
        if question["factor"] not in playbook.factors:
            errors.append(
                f"Question “{question['id']}”: factor “{question['factor']}” does not exist."
            )
        if question["scale"] not in document["scales"]:
            errors.append(
                f"Question “{question['id']}”: scale “{question['scale']}” does not exist."
            )
    model_ids = set(playbook.models)
    for source in document.get("sources", []):
        for model_id in source.get("models", []):
            if model_id not in model_ids:
                errors.append(f"Source “{source['id']}”: model “{model_id}” does not exist.")
    for model in document["models"]:
        conditions = {c["id"] for c in model["conditions"]}
        for condition in model["conditions"]:
            where = f"Condition “{condition['id']}”"
            if "question" in condition:
                errors += _value_problems(
                    playbook, where, condition["question"], "met_at", condition["met_at"]
                )
            if "applies_when" in condition:
                when = condition["applies_when"]
                errors += _value_problems(
                    playbook, where, when["question"], "applies_when", when["at_least"]
                )
                if when["question"] == condition.get("question"):
                    errors.append(f"{where}: it cannot apply only when its own question says so.")
            if "check" in condition and condition["check"] not in known_checks:
                errors.append(f"{where}: no check called “{condition['check']}” is registered.")
        for weight in model.get("context", []):
            if weight["question"] not in playbook.questions:
                errors.append(
                    f"Context weight “{weight['id']}”: question “{weight['question']}” does not exist."
                )
        errors += _direction_problems(model)
        for kind, key in (("challenges", "threatens"), ("mitigations", "conditions")):
            for item in model[kind]:
                for ident in item[key]:
                    if ident not in conditions:
                        errors.append(
                            f"“{item['id']}” ({kind}): {key} names “{ident}”, "
                            f"which is no condition of {model['id']}."
                        )
    return errors


def _value_problems(
    playbook: "Playbook", where: str, question_id: str, key: str, value: int
) -> list[str]:
    question = playbook.questions.get(question_id)
    if question is None:
        return [f"{where}: question “{question_id}” does not exist."]
    if question["scale"] not in playbook.document["scales"]:
        return []  # reported with the question
    if value not in playbook.scale_values(question["scale"]):
        return [f"{where}: {key} {value} is not a value of scale “{question['scale']}”."]
    return []


def favourable_directions(model: dict[str, Any]) -> dict[str, set[str]]:
    """Which way each question's answer is favourable for `model`: "higher" or "lower".

    A condition is met from `met_at` up, so a higher answer is favourable; the answer that
    makes a condition apply is unfavourable (a condition that does not apply is met); a
    context weight says which way itself.
    """
    directions: dict[str, set[str]] = {}
    for condition in model["conditions"]:
        if "question" in condition:
            directions.setdefault(condition["question"], set()).add("higher")
        if "applies_when" in condition:
            directions.setdefault(condition["applies_when"]["question"], set()).add("lower")
    for weight in model.get("context", []):
        directions.setdefault(weight["question"], set()).add(weight["favourable"])
    return directions


def _direction_problems(model: dict[str, Any]) -> list[str]:
    """A question is scored once per model, and is favourable one way only."""
    errors = []
    scored: dict[str, list[str]] = {}
    for item in [*model["conditions"], *model.get("context", [])]:
        if "question" in item:
            scored.setdefault(item["question"], []).append(item["id"])
    for question, ids in scored.items():
        if len(ids) > 1:
            errors.append(
                f"Model “{model['id']}”: question “{question}” is scored more than once "
                f"({', '.join(ids)}), so it would count twice."
            )
    for question, directions in favourable_directions(model).items():
        if len(directions) > 1:
            errors.append(
                f"Model “{model['id']}”: question “{question}” is favourable both higher and "
                "lower, so a better answer could lower the fit."
            )
    return errors


@dataclass(frozen=True)
class Playbook:
    """Lookups over a valid playbook document."""

    document: dict[str, Any]

    @property
    def language(self) -> str:
        return self.document["language"]

    @cached_property
    def factors(self) -> dict[str, dict]:
        return {f["id"]: f for f in self.document["factors"]}

    @cached_property
    def questions(self) -> dict[str, dict]:
        return {q["id"]: q for q in self.document["questions"]}

    @cached_property
    def models(self) -> dict[str, dict]:
        return {m["id"]: m for m in self.document["models"]}

    def scale_values(self, scale: str) -> list[int]:
        return [option["value"] for option in self.document["scales"][scale]]

    def items(self) -> Iterator[tuple[str, dict]]:
        """Every item with an id, with the kind of item it is."""
        for kind in ("sources", "factors", "questions"):
            for item in self.document.get(kind, []):
                yield kind, item
        for model in self.document["models"]:
            yield "models", model
            for kind in MODEL_PARTS:
                for item in model.get(kind, []):
                    yield kind, item

    def model_of(self, item_id: str) -> str:
        """The id of the model an item (goal, condition, challenge, mitigation) belongs to."""
        for model in self.document["models"]:
            for kind in MODEL_PARTS:
                if any(item["id"] == item_id for item in model.get(kind, [])):
                    return model["id"]
        raise KeyError(item_id)

    @cached_property
    def by_id(self) -> dict[str, tuple[str, dict]]:
        return {item["id"]: (kind, item) for kind, item in self.items()}


def guide(playbook: Playbook, model_id: str) -> dict[str, Any]:
    """One model laid out for reading: each condition with its question and mitigations."""
    model = playbook.models[model_id]
    mitigations_for: dict[str, list[dict]] = {}
    for mitigation in model["mitigations"]:
        for ident in mitigation["conditions"]:
            mitigations_for.setdefault(ident, []).append(mitigation)
    conditions = [
        {
            **condition,
            "question_item": playbook.questions.get(condition.get("question", "")),
            "applies_item": playbook.questions.get(
                condition.get("applies_when", {}).get("question", "")
            ),
            "mitigations": mitigations_for.get(condition["id"], []),
        }
        for condition in model["conditions"]
    ]
    context = [
        {**weight, "question_item": playbook.questions[weight["question"]]}
        for weight in model.get("context", [])
    ]
    statements = {c["id"]: c["statement"] for c in model["conditions"]}
    challenges = [
        {**challenge, "threatened": [statements[i] for i in challenge["threatens"]]}
        for challenge in model["challenges"]
    ]
    sources = [
        source
        for source in playbook.document.get("sources", [])
        if model_id in source.get("models", [])
    ]
    return {
        **model,
        "conditions": conditions,
        "context": context,
        "challenges": challenges,
        "sources": sources,
    }


@dataclass(frozen=True)
class Change:
    item_id: str
    kind: str
    change: str  # "added", "removed" or "changed"
    fields: tuple[tuple[str, Any, Any], ...] = ()


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """What changed from `old` to `new`, item by item, in the new document's order."""
    before, after = Playbook(old).by_id, Playbook(new).by_id
    changes = []
    for ident, (kind, item) in after.items():
        if ident not in before:
            changes.append(Change(ident, kind, "added"))
            continue
        previous = before[ident][1]
        fields = tuple(
            (key, previous.get(key), item.get(key))
            for key in sorted(set(item) | set(previous))
            if key not in MODEL_PARTS and previous.get(key) != item.get(key)
        )
        if fields:
            changes.append(Change(ident, kind, "changed", fields))
    changes += [Change(i, kind, "removed") for i, (kind, _item) in before.items() if i not in after]
    for key in ("title", "introduction", "source", "scales", "language"):
        if old.get(key) != new.get(key):
            changes.append(Change(key, "playbook", "changed", ((key, old.get(key), new.get(key)),)))
    return changes
