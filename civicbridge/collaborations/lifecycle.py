"""The stages every collaboration passes through, and the gates between them.

Pure Python: it knows no model by name and no database. The playbook says which
conditions gate which stage and which check proves each; the caller passes a function
that runs a named check. `services.lifecycle` does the writing.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any

STAGES = ("proposed", "preparing", "agreed", "active", "closing", "closed")
NEXT = dict(pairwise(STAGES))

Text = dict[str, str]  # a text in every language the playbook has it in


@dataclass(frozen=True)
class GateResult:
    """One condition at a gate: whether its check passed, why, and what helps if not.

    `passed` is None when the playbook names no check for the condition: the platform
    cannot tell, and the people involved confirm it themselves.
    """

    condition: str
    statement: Text
    check: str | None
    passed: bool | None
    reason: str
    blocking: bool
    mitigations: tuple[Text, ...] = ()

    @property
    def blocks(self) -> bool:
        return self.blocking and self.passed is False

    @property
    def is_risk(self) -> bool:
        return not self.blocking and self.passed is False

    def as_record(self) -> dict[str, Any]:
        return {**asdict(self), "mitigations": list(self.mitigations)}


def next_stage(stage: str) -> str | None:
    return NEXT.get(stage)


def gates(model: dict[str, Any], stage: str) -> list[dict[str, Any]]:
    """The conditions of a playbook model that must hold to enter `stage`.

    Those that gate `stage` itself, and the blocking ones of earlier stages: a blocking
    condition holds from its stage on, so an MOU amended after `agreed` must be signed
    again before the collaboration moves any further.
    """
    reached = STAGES.index(stage)
    return [
        condition
        for condition in model["conditions"]
        if condition.get("gates") == stage
        or (
            condition["blocking"]
            and condition.get("gates")
            and STAGES.index(condition["gates"]) < reached
        )
    ]


def evaluate(
    model: dict[str, Any],
    stage: str,
    collaboration: Any,
    run_check: Callable[[str, Any], tuple[bool, str]],
) -> list[GateResult]:
    """Run every check the playbook names for entering `stage`; blocking ones first."""
    mitigations: dict[str, list[Text]] = {}
    for mitigation in model["mitigations"]:
        for condition in mitigation["conditions"]:
            mitigations.setdefault(condition, []).append(mitigation["text"])
    results = []
    for condition in gates(model, stage):
        name = condition.get("check")
        passed, reason = run_check(name, collaboration) if name else (None, "")
        results.append(
            GateResult(
                condition=condition["id"],
                statement=condition["statement"],
                check=name,
                passed=passed,
                reason=reason,
                blocking=condition["blocking"],
                mitigations=tuple(mitigations.get(condition["id"], ())),
            )
        )
    return sorted(results, key=lambda result: not result.blocking)


def refusals(results: list[GateResult]) -> list[GateResult]:
    """The results that stop the transition."""
    return [result for result in results if result.blocks]
