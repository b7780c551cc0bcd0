"""Contexts written from the report: each answer file under scenarios/ says what ranking or
exclusion the report's text implies, and quotes the sentence that implies it."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from civicbridge.playbook.document import SHIPPED, read_yaml
from civicbridge.playbook.report import collapse, text
from civicbridge.readiness import engine

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))
PLAYBOOK = read_yaml(SHIPPED.read_text(encoding="utf-8"))
EXPECTATIONS = {
    "first",
    "not_first",
    "last",
    "above",
    "excluded",
    "not_excluded",
    "met",
    "unmet",
    "gates",
}


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def check(result: engine.Assessment, expect: dict[str, Any]) -> None:
    """Assert every expectation of a scenario against `result`."""
    assert set(expect) <= EXPECTATIONS, set(expect) - EXPECTATIONS
    leaders = [m.model_id for m in result.leaders]
    ranked = [m for m in result.models if m.rank is not None]
    if "first" in expect:
        assert leaders == [expect["first"]], leaders
        assert result.model(expect["first"]).recommended
    for model_id in expect.get("not_first", []):
        assert model_id not in leaders, leaders
    if "last" in expect:
        assert ranked[-1].model_id == expect["last"] and not ranked[-1].tied
    for higher, lower in expect.get("above", []):
        above, below = result.model(higher).rank, result.model(lower).rank
        assert above is not None and below is not None, (higher, lower)
        assert above < below, (higher, lower)
    for model_id, conditions in expect.get("excluded", {}).items():
        model = result.model(model_id)
        assert model.status == engine.Status.EXCLUDED
        assert list(model.blocking_failed) == conditions
    for model_id in expect.get("not_excluded", []):
        assert result.model(model_id).status != engine.Status.EXCLUDED
    for model_id, conditions in expect.get("met", {}).items():
        assert set(conditions) <= set(result.model(model_id).met), model_id
    for model_id, conditions in expect.get("unmet", {}).items():
        assert set(conditions) <= set(result.model(model_id).unmet), model_id
    for model_id, conditions in expect.get("gates", {}).items():
        assert set(conditions) <= {g.condition_id for g in result.model(model_id).gates}


def test_there_are_at_least_eight_scenarios():
    assert len(SCENARIOS) >= 8


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_the_scenario_ranks_as_its_quote_implies(path):
    scenario = load(path)

    result = engine.assess(PLAYBOOK, scenario["answers"])

    # Complete answers, so the ranking is not an artefact of what was left out.
    assert engine.check_answers(PLAYBOOK, scenario["answers"], complete=True) == []
    assert result.enough_answers
    check(result, scenario["expect"])
    # An excluded model never supplies what to do first.
    excluded = {m.model_id for m in result.models if m.status == engine.Status.EXCLUDED}
    assert not excluded & {risk.model_id for risk in result.first_steps()}


@pytest.mark.parametrize(
    "path", [p for p in SCENARIOS if "contrast" in load(p)], ids=lambda path: path.stem
)
def test_changing_the_decisive_answers_moves_the_result_the_other_way(path):
    scenario = load(path)
    contrast = scenario["contrast"]

    result = engine.assess(PLAYBOOK, {**scenario["answers"], **contrast["change"]})

    check(result, contrast["expect"])


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_the_scenario_quotes_the_report_verbatim(path):
    scenario = load(path)

    assert collapse(scenario["quote"]) in collapse(text())
    assert scenario["context"] and scenario["why"]
