"""The shipped playbook: valid, complete against PRODUCT.md, and faithful to the source report."""

import itertools

import pytest

from civicbridge.playbook import checks, report
from civicbridge.playbook.document import Playbook, problems

from .helpers import MODELS, REPORT, collapse, item, model, shipped

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

# G1: the context factors shared by every model, and what the institution wants.
G1_FACTORS = {
    "aims",
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


def test_every_source_is_a_verbatim_quote_of_the_report_shipped_with_it():
    """Every quote, checked against the copy of the report the project ships: the test
    needs nothing outside the repository."""
    text = collapse(report.text())
    document = shipped()
    language = document["language"]
    quotes = {
        item["id"]: collapse(item["source"][language])
        for _kind, item in Playbook(document).items()
        if "source" in item
    }
    # Every model, condition, challenge and context weight has a source: the walk found them.
    conditions = sum(len(m["conditions"]) + len(m.get("context", [])) for m in document["models"])
    assert len(quotes) > conditions
    assert {ident: quote for ident, quote in quotes.items() if quote not in text} == {}
    # And each one has a place in it, which the assessment shows beside its explanations.
    assert [ident for ident in quotes if report.locate(quotes[ident]) is None] == []


def test_the_shipped_report_is_the_source_report():
    if not REPORT.exists():
        pytest.skip(
            f"The source report is not here ({REPORT}): it lives in ../shared beside the "
            "repository, which a fresh clone does not have."
        )
    assert report.text() == REPORT.read_text(encoding="utf-8")


def test_a_quote_is_located_by_its_heading_its_paragraph_and_its_point():
    assert str(report.locate("The government can be slow to pay")) == (
        "“Civic Tech NGOs and Services”, paragraph 2, point 2"
    )
    assert str(report.locate("One of the core missions of civic technologists")) == (
        "opening, paragraph 1"
    )
    assert report.locate("words the report never says") is None


# Every condition that blocks, with the sentence of the report that names it as a
# precondition. A new blocking condition must be added here, with its quote, on purpose.
BLOCKING = {
    # Gates only a running collaboration passes (never an exclusion in an assessment).
    "fellowship.mou_signed_before_start": "Also MOUs should be signed by both parties before "
    "the start of the fellowship, with a comprehensive list of obligations and responsibilities.",
    "fellowship.handover_to_officials": "Sustainability of the project, as fellowships end "
    "after a fixed period of time (often only a few months), and government officials should "
    "be prepared and trained to carry on with the work.",
    "service_delivery.contract_signed": "The truth is that in most cases, public institutions "
    "want to purchase a certain product and they are not looking for the “increase of "
    "democracy”.",
    "event.engagement_plan": "That is why it is important to be prepared from the offset with "
    "a plan on how to engage the government officials after hackathons.",
    # A consulting engagement closes once the institution owns its result and has the credit.
    **dict.fromkeys(
        [
            "consulting.deliverables_accepted",
            "consulting.owner_named",
            "consulting.credit_agreed",
        ],
        "It is also important to give the government ownership and credit for operating this "
        "collaboration model, remembering that public institutions are rarely open for "
        "innovations.",
    ),
    # Preconditions an assessment can observe.
    "service_delivery.lawful_route": "Donating a product to the government may not be possible "
    "as public procurement laws may be an obstacle in allowing for “free” product delivery.",
    "event.receivers_committed": "That is why it is important to be prepared from the offset "
    "with a plan on how to engage the government officials after hackathons.",
    "consulting.institution_owns": "It is also important to give the government ownership and "
    "credit for operating this collaboration model, remembering that public institutions are "
    "rarely open for innovations.",
    "policy.mandate": "These challenges should be primarily tackled by changing the legal "
    "environment to provide a more agile public procurement approach.",
}


def test_only_the_preconditions_the_report_names_block_each_with_its_quote():
    document = shipped()
    blocking = {
        c["id"]: c["source"]["en"]
        for m in document["models"]
        for c in m["conditions"]
        if c["blocking"]
    }
    assert blocking == BLOCKING


def test_a_conflict_of_interest_is_a_risk_not_a_precondition():
    """The report says a discussion of the mission "might" solve it: it does not block."""
    condition = item(shipped(), "service_delivery.conflicts_handled")
    assert condition["blocking"] is False
    assert condition["applies_when"] == {"question": "civic_space.watchdog", "at_least": 1}


@pytest.mark.parametrize("model_id", ["consulting", "policy"])
def test_consulting_and_policy_have_the_precondition_the_report_implies(model_id):
    """One precondition an assessment asks about; the rest gate a running collaboration."""
    blocking = [c for c in model(shipped(), model_id)["conditions"] if c["blocking"]]
    asked = [c["id"] for c in blocking if "question" in c]
    assert asked == [
        {"consulting": "consulting.institution_owns", "policy": "policy.mandate"}[model_id]
    ]
    assert all(c.get("gates") and c.get("check") for c in blocking if "question" not in c)


def test_a_consulting_engagement_closes_once_the_institution_owns_the_result_and_the_credit():
    """F8 and C1: every deliverable accepted, an owner named, credit agreed, before closing."""
    for ident, check in (
        ("consulting.deliverables_accepted", "consulting.deliverables_accepted"),
        ("consulting.owner_named", "consulting.owner_named"),
        ("consulting.credit_agreed", "collaborations.credit_published"),
    ):
        condition = item(shipped(), ident)
        assert (condition["check"], condition["gates"], condition["blocking"]) == (
            check,
            "closed",
            True,
        )
        assert check in checks.registered()


def test_conditions_only_a_running_collaboration_satisfies_are_not_asked():
    """A signed MOU or contract, a handover, the plan for each result, a training
    programme's participants, capacity measured and follow-ups planned: gates, with checks."""
    gates = {c["id"] for m in shipped()["models"] for c in m["conditions"] if "question" not in c}
    assert gates == {
        "fellowship.mou_signed_before_start",
        "fellowship.handover_to_officials",
        "service_delivery.contract_signed",
        "event.engagement_plan",
        "consulting.deliverables_accepted",
        "consulting.owner_named",
        "consulting.credit_agreed",
        "training.several_departments",
        "training.capacity_measured_before",
        "training.follow_up_planned",
    }
    for ident in gates:
        assert item(shipped(), ident)["check"]


FACTORS_EVERY_MODEL_WEIGHS = (
    "civic_space.health",
    "political_legal.stability",
    "tech_citizens.popularity",
    "tech_officials.popularity",
)


@pytest.mark.parametrize("model_id", MODELS)
def test_civic_space_stability_and_the_use_of_technology_weigh_on_every_model(model_id):
    document = model(shipped(), model_id)
    scored = {
        part["question"]: part
        for part in [*document["conditions"], *document.get("context", [])]
        if "question" in part
    }
    assert set(FACTORS_EVERY_MODEL_WEIGHS) <= set(scored)
    for question in FACTORS_EVERY_MODEL_WEIGHS:
        part = scored[question]
        # The reasoning beside the weight: a context weight's reason and its quote, or a
        # condition's statement and its quote.
        assert part.get("reason") or part.get("statement"), (model_id, question)
        assert part["source"]["en"]
        assert part.get("favourable", "higher") in {"higher", "lower"}


def test_every_context_weight_declares_its_direction_and_its_reason():
    for m in shipped()["models"]:
        for weight in m.get("context", []):
            assert weight["favourable"] in {"higher", "lower"}
            assert weight["reason"]["en"] and weight["source"]["en"]


@pytest.mark.parametrize("model_id", MODELS)
def test_the_trust_passage_applies_to_every_model(model_id):
    """Trust "removes roadblocks for other departments", in any model."""
    document = model(shipped(), model_id)
    trust = f"{model_id}.trust"
    assert "trust, which is paramount in any model" in item(shipped(), trust)["source"]["en"]
    roadblocks = [c for c in document["challenges"] if c["source"]["en"] == ROADBLOCKS]
    assert roadblocks and all(trust in c["threatens"] for c in roadblocks)
    assert any(trust in m["conditions"] for m in document["mitigations"])


ROADBLOCKS = "It removes roadblocks for other departments."


def test_the_sources_the_report_points_to_are_listed():
    sources = {s["id"]: s for s in shipped()["sources"]}
    assert set(sources) == {"sources.code_for_australia", "sources.code_for_pakistan"}
    assert sources["sources.code_for_australia"]["source"]["en"] == (
        "You can also see lessons learnt from Code for Australia."
    )
    assert (
        "Sheba Najmi from Code for Pakistan" in sources["sources.code_for_pakistan"]["source"]["en"]
    )


def test_the_event_plan_for_afterwards_is_checked_from_the_offset_and_at_closing():
    """E1: who takes the results forward is named before registration opens; the plan for
    each result is complete before the event closes."""
    offset = item(shipped(), "event.receivers_committed")
    closing = item(shipped(), "event.engagement_plan")
    assert offset["check"] == "events.receivers_committed" and offset["blocking"]
    assert "E1" in offset["requirements"]
    assert (closing["check"], closing["gates"], closing["blocking"]) == (
        "events.engagement_plan",
        "closed",
        True,
    )
    assert {"events.receivers_committed", "events.engagement_plan"} <= checks.registered()


# The questions the report makes decisive (issue 22): each cites the sentence that does.
DECISIVE_QUESTIONS = (
    "aims.build_capacity",
    "aims.deliver_service",
    "aims.change_policy",
    "aims.find_solutions",
    "aims.time_horizon",
    "political_legal.stability",
    "political_legal.policy_mandate",
    "capacity.in_house_digital",
    "finances.paid",
    "finances.donated",
    "procurement.free_accepted",
    "civic_space.watchdog",
)


def test_each_question_the_report_makes_decisive_cites_its_sentence():
    questions = Playbook(shipped()).questions
    for ident in DECISIVE_QUESTIONS:
        assert questions[ident]["source"]["en"], ident
        assert report.locate(questions[ident]["source"]["en"]), ident
    # Donating and being paid are two questions, not one.
    assert questions["finances.paid"] != questions["finances.donated"]
