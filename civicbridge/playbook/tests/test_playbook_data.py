"""The shipped playbook: valid, complete against PRODUCT.md, and faithful to the source report."""

import itertools

import pytest

from civicbridge.playbook import checks
from civicbridge.playbook.document import Playbook, problems

from .helpers import MODELS, REPORT, collapse, shipped

# PRODUCT.md's requirement IDs that describe a condition, a challenge or a mitigation of a
# collaboration model. Each must be traced by at least one item of the playbook.
PRODUCT_CONDITION_IDS = [
    *("G1", "G5"),
    *("F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"),
    *("T1", "T2", "T3"),
    *("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"),
    *("E1", "E2", "E3", "E4", "E5"),
    "C1",
]

# G1: the context factors shared by every model.
G1_FACTORS = {
    "political_legal",
    "tech_officials",
    "tech_citizens",
    "civic_space",
    "finances",
    "procurement",
    "willingness",
}


def test_shipped_playbook_loads_with_no_problems():
    assert problems(shipped(), checks.registered()) == []


def test_every_product_requirement_id_appears_in_the_playbook():
    traced = {
        requirement
        for _kind, item in Playbook(shipped()).items()
        for requirement in item.get("requirements", [])
    }
    assert sorted(set(PRODUCT_CONDITION_IDS) - traced) == []


def test_the_playbook_has_exactly_the_six_models():
    assert [m["id"] for m in shipped()["models"]] == list(MODELS)


@pytest.mark.parametrize("model_id", MODELS)
def test_model_has_conditions_challenges_and_mitigations(model_id):
    model = Playbook(shipped()).models[model_id]
    assert model["conditions"]
    assert model["challenges"]
    assert model["mitigations"]


@pytest.mark.parametrize("model_id", MODELS)
def test_every_condition_of_the_model_has_a_mitigation(model_id):
    model = Playbook(shipped()).models[model_id]
    mitigated = {ident for m in model["mitigations"] for ident in m["conditions"]}
    assert [c["id"] for c in model["conditions"] if c["id"] not in mitigated] == []


def test_every_scale_runs_from_worse_to_better():
    """Strictly rising values: a better answer can never lower a score."""
    for name, options in shipped()["scales"].items():
        values = [option["value"] for option in options]
        assert all(a < b for a, b in itertools.pairwise(values)), name


def test_factors_include_the_seven_context_factors_of_g1():
    assert set(Playbook(shipped()).factors) >= G1_FACTORS


def test_every_source_is_a_verbatim_quote_of_the_report():
    if not REPORT.exists():
        pytest.skip(
            f"The source report is not here ({REPORT}): it lives in ../shared beside the "
            "repository, which a fresh clone does not have."
        )
    report = collapse(REPORT.read_text(encoding="utf-8"))
    document = shipped()
    language = document["language"]
    quotes = {
        item["id"]: collapse(item["source"][language])
        for _kind, item in Playbook(document).items()
        if "source" in item
    }
    # Every model, condition and challenge has a source: the walk found them all.
    conditions = sum(len(m["conditions"]) for m in document["models"])
    assert len(quotes) > conditions
    assert {ident: quote for ident, quote in quotes.items() if quote not in report} == {}
