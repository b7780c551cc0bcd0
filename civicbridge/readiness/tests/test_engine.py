"""The readiness engine: exact arithmetic on small playbooks, properties on the real one."""

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from civicbridge.playbook.document import favourable_directions
from civicbridge.readiness import engine
from civicbridge.readiness.engine import RECOMMEND_FROM, InvalidAnswers, assess, check_answers

ROOT = Path(__file__).resolve().parents[3]
ENGINE_PATH = ROOT / "civicbridge" / "readiness" / "engine.py"
PLAYBOOK = yaml.safe_load(
    (ROOT / "civicbridge" / "playbook" / "data" / "playbook.yaml").read_text()
)

# No example database: nothing is written into the checkout.
fast = settings(max_examples=100, deadline=None, database=None)


# --- Small hand-made playbooks ------------------------------------------------------------


def scale(*labels: str, start: int = 0) -> list[dict[str, Any]]:
    return [{"value": start + i, "label": {"en": label}} for i, label in enumerate(labels)]


def condition(
    ident: str, question: str, met_at: int, weight: int, blocking: bool = False
) -> dict[str, Any]:
    return {
        "id": ident,
        "question": question,
        "met_at": met_at,
        "weight": weight,
        "blocking": blocking,
    }


def model(ident: str, *conditions: dict, mitigations=(), challenges=()) -> dict[str, Any]:
    return {
        "id": ident,
        "conditions": list(conditions),
        "mitigations": [{"id": i, "conditions": list(c)} for i, c in mitigations],
        "challenges": [{"id": i, "threatens": list(c)} for i, c in challenges],
    }


def playbook(*models: dict) -> dict[str, Any]:
    """A playbook with three questions: yes/no, 0-4, and a scale that starts at 1."""
    return {
        "language": "en",
        "scales": {
            "yes_no": scale("No", "Yes"),
            "level": scale("None", "Low", "Moderate", "High", "Very high"),
            "stars": scale("One star", "Two stars", "Three stars", start=1),
        },
        "questions": [
            {"id": "q.signed", "factor": "q", "scale": "yes_no"},
            {"id": "q.level", "factor": "q", "scale": "level"},
            {"id": "q.stars", "factor": "q", "scale": "stars"},
        ],
        "models": list(models),
    }


def scores(assessment: engine.Assessment) -> dict[str, int | None]:
    return {m.model_id: m.score for m in assessment.models}


def ranking(assessment: engine.Assessment) -> list[str]:
    return [m.model_id for m in assessment.models]


def test_score_is_the_weighted_share_of_each_answer_along_its_scale():
    document = playbook(
        model(
            "alpha",
            condition("alpha.signed", "q.signed", met_at=1, weight=5, blocking=True),
            condition("alpha.level", "q.level", met_at=3, weight=3),
            condition("alpha.stars", "q.stars", met_at=2, weight=2),
        )
    )

    result = assess(document, {"q.signed": 1, "q.level": 2, "q.stars": 2}).model("alpha")

    # 5 * 1 + 3 * 2/4 + 2 * (2-1)/(3-1) = 7.5 points of 10
    assert result.score == 75
    assert [(c.satisfaction, c.points, c.met) for c in result.conditions] == [
        (1.0, 5.0, True),
        (0.5, 1.5, False),
        (0.5, 1.0, True),
    ]
    assert result.met == ("alpha.signed", "alpha.stars")
    assert result.unmet == ("alpha.level",)
    assert result.blocking_failed == ()
    assert result.recommended


def test_unanswered_questions_are_left_out_of_the_fit_and_never_met():
    document = playbook(
        model(
            "alpha",
            condition("alpha.stars", "q.stars", met_at=1, weight=2),
            condition("alpha.level", "q.level", met_at=2, weight=6),
        )
    )

    result = assess(document, {"q.level": 4}).model("alpha")

    # Only the answered weight counts: 6 points of 6, with 75 % of the weight answered.
    assert result.score == 100
    assert result.answered_percent == 75
    assert result.conditions[0].answer is None and not result.conditions[0].answered
    assert result.conditions[0].met is False
    assert result.unmet == () and result.open == ("alpha.stars",)
    assert result.status == engine.Status.RECOMMENDED


def test_nothing_answered_gives_no_fit_and_no_ranking_but_the_questions_that_decide_it():
    document = playbook(
        model(
            "alpha",
            condition("alpha.signed", "q.signed", met_at=1, weight=1, blocking=True),
            condition("alpha.level", "q.level", met_at=2, weight=5),
        ),
        model("beta", condition("beta.stars", "q.stars", met_at=2, weight=3)),
    )

    assessment = assess(document, {})

    assert not assessment.enough_answers
    assert [(m.model_id, m.score, m.rank, m.status) for m in assessment.models] == [
        ("alpha", None, None, engine.Status.UNDECIDED),
        ("beta", None, None, engine.Status.UNDECIDED),
    ]
    assert assessment.leaders == () and assessment.first_steps() == ()
    # Blocking questions first, then by the weight they would decide.
    assert [(q.question_id, q.weight, q.blocking) for q in assessment.deciding] == [
        ("q.signed", 1, True),
        ("q.level", 5, False),
        ("q.stars", 3, False),
    ]


def test_below_half_of_its_weight_answered_a_model_is_undecided_even_with_a_good_fit():
    document = playbook(
        model(
            "alpha",
            condition("alpha.level", "q.level", met_at=2, weight=2),
            condition("alpha.stars", "q.stars", met_at=2, weight=3),
        )
    )

    few = assess(document, {"q.level": 4}).model("alpha")
    enough = assess(document, {"q.stars": 3}).model("alpha")

    assert (few.score, few.answered_percent, few.status) == (100, 40, engine.Status.UNDECIDED)
    assert (enough.score, enough.answered_percent, enough.status) == (
        100,
        60,
        engine.Status.RECOMMENDED,
    )


def test_an_unanswered_blocking_condition_leaves_the_model_undecided_not_excluded():
    document = playbook(
        model(
            "alpha",
            condition("alpha.signed", "q.signed", met_at=1, weight=1, blocking=True),
            condition("alpha.level", "q.level", met_at=2, weight=9),
        )
    )

    result = assess(document, {"q.level": 4}).model("alpha")

    assert result.answered_percent == 90
    assert result.status == engine.Status.UNDECIDED
    assert result.blocking_failed == () and result.blocking_open == ("alpha.signed",)
    assert result.unanswered_questions == ("q.signed",)


def test_score_rounds_half_up():
    document = playbook(
        model(
            "alpha",
            condition("alpha.level", "q.level", met_at=2, weight=4),
            condition("alpha.signed", "q.signed", met_at=1, weight=4),
        )
    )

    # 4 * 1/4 = 1 point of 8 = 12.5
    assert assess(document, {"q.level": 1, "q.signed": 0}).model("alpha").score == 13


def test_a_failed_blocking_condition_excludes_the_model_whatever_its_score():
    document = playbook(
        model(
            "strong_but_blocked",
            condition("strong.signed", "q.signed", met_at=1, weight=1, blocking=True),
            condition("strong.level", "q.level", met_at=2, weight=5),
        ),
        model("weak", condition("weak.level", "q.level", met_at=2, weight=1)),
        model("weaker", condition("weaker.stars", "q.stars", met_at=3, weight=1)),
    )

    assessment = assess(document, {"q.signed": 0, "q.level": 4, "q.stars": 1})

    assert scores(assessment) == {"strong_but_blocked": 83, "weak": 100, "weaker": 0}
    # Recommended first, then the weak fits, then the excluded, whatever their fits.
    assert ranking(assessment) == ["weak", "weaker", "strong_but_blocked"]
    assert [m.status for m in assessment.models] == ["recommended", "weak", "excluded"]
    blocked = assessment.model("strong_but_blocked")
    assert not blocked.recommended
    assert blocked.blocking_failed == ("strong.signed",)
    assert [m.rank for m in assessment.models] == [1, 2, 3]


def test_equal_fits_share_a_rank_and_keep_the_playbook_order():
    first = model("first", condition("first.level", "q.level", met_at=2, weight=2))
    second = model("second", condition("second.level", "q.level", met_at=4, weight=5))
    third = model("third", condition("third.level", "q.level", met_at=1, weight=1))
    blocked_a = model("blocked_a", condition("a.signed", "q.signed", 1, 1, blocking=True))
    blocked_b = model("blocked_b", condition("b.signed", "q.signed", 1, 3, blocking=True))
    answers = {"q.level": 3, "q.signed": 0}

    assessment = assess(playbook(first, second, third, blocked_a, blocked_b), answers)

    assert [(m.model_id, m.rank, m.tied) for m in assessment.models] == [
        ("first", 1, True),
        ("second", 1, True),
        ("third", 1, True),
        ("blocked_a", 4, True),
        ("blocked_b", 4, True),
    ]
    # Every model tied at the top leads, and each supplies its own first steps.
    assert [m.model_id for m in assessment.leaders] == ["first", "second", "third"]
    assert {r.model_id for r in assessment.first_steps()} == {"second"}
    reordered = assess(playbook(blocked_b, third, blocked_a, second, first), answers)
    assert ranking(reordered) == ["third", "second", "first", "blocked_b", "blocked_a"]


def context(ident: str, question: str, weight: int, favourable: str = "higher") -> dict:
    return {"id": ident, "question": question, "weight": weight, "favourable": favourable}


def test_context_weights_count_in_the_fit_in_their_declared_direction():
    document = playbook(
        {
            **model("alpha", condition("alpha.level", "q.level", met_at=2, weight=2)),
            "context": [
                context("alpha.context.stars", "q.stars", 3, "lower"),
                context("alpha.context.signed", "q.signed", 1, "higher"),
            ],
        }
    )

    result = assess(document, {"q.level": 2, "q.stars": 1, "q.signed": 0}).model("alpha")

    # 2 * 1/2 + 3 * (1 - 0) + 1 * 0 = 4 points of 6
    assert result.score == 67
    assert [(c.kind, c.satisfaction, c.met) for c in result.conditions] == [
        ("condition", 0.5, True),
        ("context", 1.0, None),
        ("context", 0.0, None),
    ]
    # Context weights are never risks: only conditions can be met or unmet.
    assert result.unmet == () and assess(document, {"q.stars": 3}).risks == ()


def test_a_condition_that_does_not_apply_is_met_and_one_whose_trigger_is_open_is_undecided():
    document = playbook(
        model(
            "alpha",
            {
                **condition("alpha.level", "q.level", met_at=3, weight=4, blocking=True),
                "applies_when": {"question": "q.signed", "at_least": 1},
            },
            condition("alpha.stars", "q.stars", met_at=1, weight=4),
        )
    )

    not_applying = assess(document, {"q.signed": 0, "q.level": 0, "q.stars": 3})
    applying = assess(document, {"q.signed": 1, "q.level": 0, "q.stars": 3})
    open_trigger = assess(document, {"q.level": 0, "q.stars": 3})

    line = not_applying.model("alpha").conditions[0]
    assert (line.applies, line.met, line.satisfaction) == (False, True, 1.0)
    assert not_applying.model("alpha").status == engine.Status.RECOMMENDED
    assert applying.model("alpha").blocking_failed == ("alpha.level",)
    assert open_trigger.model("alpha").status == engine.Status.UNDECIDED
    assert open_trigger.model("alpha").unanswered_questions == ("q.signed",)


def test_a_condition_without_a_question_is_a_gate_listed_to_do_and_never_excludes():
    gate = {
        "id": "alpha.signed_mou",
        "blocking": True,
        "gates": "agreed",
        "check": "collaborations.agreement_signed",
        "source": {"en": "Also MOUs should be signed by both parties before the start"},
    }
    document = playbook(
        model("alpha", gate, condition("alpha.level", "q.level", met_at=2, weight=2))
    )

    result = assess(document, {"q.level": 4}).model("alpha")

    assert result.recommended and result.blocking_failed == ()
    assert [c.condition_id for c in result.conditions] == ["alpha.level"]
    [to_do] = result.gates
    assert (to_do.condition_id, to_do.stage, to_do.blocking) == ("alpha.signed_mou", "agreed", True)
    assert to_do.quote is not None and to_do.quote.place is not None
    assert str(to_do.quote.place) == "“Fellowship Model Challenges”, paragraph 7"


# --- Checking answers ---------------------------------------------------------------------


def test_an_answer_off_its_scale_is_named_with_the_scale_it_should_come_from():
    assert check_answers(PLAYBOOK, {"procurement.free_accepted": 7}) == [
        "Question “procurement.free_accepted”: 7 is not an answer on its scale (0 No, 1 Yes)."
    ]


def test_answers_that_are_not_whole_numbers_are_refused():
    document = playbook()

    assert check_answers(document, {"q.signed": True, "q.level": "high", "q.stars": 2.0}) == [
        "Question “q.signed”: “True” is not an answer on its scale (0 No, 1 Yes).",
        "Question “q.level”: “high” is not an answer on its scale "
        "(0 None, 1 Low, 2 Moderate, 3 High, 4 Very high).",
        "Question “q.stars”: “2.0” is not an answer on its scale "
        "(1 One star, 2 Two stars, 3 Three stars).",
    ]


def test_unknown_questions_come_first_sorted_then_problems_in_playbook_order():
    document = playbook()
    answers = {"q.stars": 0, "zeta.unknown": 1, "q.level": 5, "alpha.unknown": 1}

    assert check_answers(document, answers) == [
        "Question “alpha.unknown” is not in the playbook.",
        "Question “zeta.unknown” is not in the playbook.",
        "Question “q.level”: 5 is not an answer on its scale "
        "(0 None, 1 Low, 2 Moderate, 3 High, 4 Very high).",
        "Question “q.stars”: 0 is not an answer on its scale "
        "(1 One star, 2 Two stars, 3 Three stars).",
    ]


def test_unanswered_questions_are_problems_only_when_the_answers_must_be_complete():
    document = playbook()

    assert check_answers(document, {"q.level": 2}) == []
    assert check_answers(document, {"q.level": 2}, complete=True) == [
        "Question “q.signed” has no answer.",
        "Question “q.stars” has no answer.",
    ]
    assert check_answers(PLAYBOOK, all_answers(max), complete=True) == []


def test_assess_refuses_answers_that_do_not_fit_the_playbook():
    with pytest.raises(InvalidAnswers) as raised:
        assess(PLAYBOOK, {"procurement.free_accepted": 7, "nobody.asked": 1})

    assert raised.value.problems == [
        "Question “nobody.asked” is not in the playbook.",
        "Question “procurement.free_accepted”: 7 is not an answer on its scale (0 No, 1 Yes).",
    ]


# --- Risks and first steps ----------------------------------------------------------------


def risk_document() -> dict[str, Any]:
    return playbook(
        model(
            "alpha",
            condition("alpha.small_gap", "q.level", met_at=4, weight=4),  # severity 1
            condition("alpha.signed", "q.signed", met_at=1, weight=1, blocking=True),  # 1
            condition("alpha.big_gap", "q.stars", met_at=3, weight=4),  # 4
            condition("alpha.also_small", "q.stars", met_at=3, weight=1),  # 1
            condition("alpha.met", "q.level", met_at=3, weight=5),
            mitigations=[
                ("alpha.mitigate.sign", ["alpha.signed"]),
                ("alpha.mitigate.gaps", ["alpha.big_gap", "alpha.small_gap"]),
                ("alpha.mitigate.big", ["alpha.big_gap"]),
            ],
            challenges=[("alpha.challenge.gaps", ["alpha.big_gap"])],
        ),
        model(
            "beta",
            condition("beta.level", "q.level", met_at=4, weight=5),  # severity 1.25
            condition("beta.stars", "q.stars", met_at=2, weight=2),  # 2
        ),
    )


def test_risks_are_unmet_conditions_blocking_first_then_by_severity_then_playbook_order():
    assessment = assess(risk_document(), {"q.level": 3, "q.signed": 0, "q.stars": 1})

    assert [(r.model_id, r.condition_id, r.blocking, r.severity) for r in assessment.risks] == [
        ("alpha", "alpha.signed", True, 1.0),
        ("alpha", "alpha.big_gap", False, 4.0),
        ("beta", "beta.stars", False, 2.0),
        ("beta", "beta.level", False, 1.25),
        ("alpha", "alpha.small_gap", False, 1.0),
        ("alpha", "alpha.also_small", False, 1.0),
    ]
    by_condition = {r.condition_id: r for r in assessment.risks}
    assert by_condition["alpha.big_gap"].mitigation_ids == (
        "alpha.mitigate.gaps",
        "alpha.mitigate.big",
    )
    assert by_condition["alpha.big_gap"].challenge_ids == ("alpha.challenge.gaps",)
    assert by_condition["alpha.signed"].mitigation_ids == ("alpha.mitigate.sign",)
    assert by_condition["beta.level"].mitigation_ids == ()


def test_first_steps_are_the_top_risks_of_the_best_recommended_model():
    assessment = assess(risk_document(), {"q.level": 3, "q.signed": 0, "q.stars": 1})

    assert ranking(assessment) == ["beta", "alpha"]  # alpha is blocked
    assert [r.condition_id for r in assessment.first_steps()] == ["beta.stars", "beta.level"]
    assert [r.condition_id for r in assessment.first_steps(1)] == ["beta.stars"]


def test_an_excluded_model_never_supplies_what_to_do_first():
    document = risk_document()
    document["models"][1]["conditions"][0]["blocking"] = True

    assessment = assess(document, {"q.level": 3, "q.signed": 0, "q.stars": 1})

    assert [m.status for m in assessment.models] == ["excluded", "excluded"]
    assert assessment.enough_answers
    assert assessment.leaders == () and assessment.first_steps() == ()


def test_a_weak_fit_leads_when_nothing_is_recommended_and_it_is_not_excluded():
    document = risk_document()
    document["models"][1]["conditions"][1]["met_at"] = 3  # beta.stars: still unmet

    assessment = assess(document, {"q.level": 1, "q.signed": 0, "q.stars": 1})

    beta = assessment.model("beta")
    assert (beta.status, beta.score) == (engine.Status.WEAK, 18)
    assert [m.model_id for m in assessment.leaders] == ["beta"]
    assert {r.model_id for r in assessment.first_steps()} == {"beta"}


def test_as_dict_is_json_ready_and_explains_every_number():
    answers = {"q.level": 3, "q.signed": 0, "q.stars": 1}

    data = json.loads(json.dumps(assess(risk_document(), answers).as_dict()))

    beta = data["models"][0]
    assert {
        key: beta[key]
        for key in ("id", "rank", "tied", "status", "score", "answered_percent", "recommended")
    } == {
        "id": "beta",
        "rank": 1,
        "tied": False,
        "status": "recommended",
        "score": 54,  # (5 * 3/4 + 2 * 0) / 7 = 53.6 %
        "answered_percent": 100,
        "recommended": True,
    }
    assert beta["conditions"][0] == {
        "id": "beta.level",
        "kind": "condition",
        "question": "q.level",
        "answer": 3,
        "favourable": "higher",
        "met_at": 4,
        "weight": 5,
        "blocking": False,
        "applies": True,
        "answered": True,
        "satisfaction": 0.75,
        "points": 3.75,
        "met": False,
        "quote": None,
    }
    assert data["models"][1]["blocking_failed"] == ["alpha.signed"]
    assert data["risks"][1] == {
        "model": "alpha",
        "condition": "alpha.big_gap",
        "question": "q.stars",
        "answer": 1,
        "blocking": False,
        "severity": 4.0,
        "mitigations": ["alpha.mitigate.gaps", "alpha.mitigate.big"],
        "challenges": ["alpha.challenge.gaps"],
        "quote": None,
    }
    assert [step["condition"] for step in data["first_steps"]] == ["beta.stars", "beta.level"]
    assert data["leaders"] == ["beta"] and data["enough_answers"]


def test_every_line_of_the_shipped_playbook_carries_its_quote_and_its_place_in_the_report():
    data = assess(PLAYBOOK, all_answers(min)).as_dict()

    lines = [line for m in data["models"] for line in [*m["conditions"], *m["gates"]]]
    lines += data["risks"]
    assert lines
    for line in lines:
        assert line["quote"]["text"], line
        place = line["quote"]["place"]
        assert place and place["paragraph"] >= 1 and place["text"], line


# --- Properties over the real playbook ----------------------------------------------------

SCALES = {
    q["id"]: [o["value"] for o in PLAYBOOK["scales"][q["scale"]]] for q in PLAYBOOK["questions"]
}
DIRECTIONS = {
    m["id"]: {q: ways.pop() for q, ways in favourable_directions(m).items()}
    for m in PLAYBOOK["models"]
}


def all_answers(pick) -> dict[str, int]:
    return {question: pick(values) for question, values in SCALES.items()}


def best_for(model_id: str) -> dict[str, int]:
    """Every answer at the end its model declares favourable (the rest at their middle)."""
    directions = DIRECTIONS[model_id]
    return {
        question: (
            max(values)
            if directions.get(question) == "higher"
            else min(values)
            if directions.get(question) == "lower"
            else values[len(values) // 2]
        )
        for question, values in SCALES.items()
    }


# Hypothesis leans towards the first value of each list, so one strategy leans towards the
# worst answers and another towards the best, where the edges of the arithmetic are.
complete_answers = st.fixed_dictionaries(
    {question: st.sampled_from(values) for question, values in SCALES.items()}
)
mostly_best_answers = st.fixed_dictionaries(
    {question: st.sampled_from(values[::-1]) for question, values in SCALES.items()}
)
partial_answers = st.fixed_dictionaries(
    {}, optional={question: st.sampled_from(values) for question, values in SCALES.items()}
)
answer_sets = st.one_of(complete_answers, mostly_best_answers, partial_answers)


def test_every_model_declares_one_direction_for_each_question_it_scores():
    for model in PLAYBOOK["models"]:
        assert all(len(ways) == 1 for ways in favourable_directions(model).values())
        assert DIRECTIONS[model["id"]]


@fast
@given(answers=answer_sets, data=st.data())
def test_a_favourable_move_of_one_answer_never_lowers_that_models_fit(answers, data):
    model_id = data.draw(st.sampled_from(sorted(DIRECTIONS)), label="model")
    question = data.draw(st.sampled_from(sorted(DIRECTIONS[model_id])), label="question")
    current = answers.get(question)
    if current is None:
        return  # moving an answer needs one to move
    higher = DIRECTIONS[model_id][question] == "higher"
    better = [v for v in SCALES[question] if (v > current if higher else v < current)]
    if not better:
        return  # already the most favourable answer
    moved = {**answers, question: data.draw(st.sampled_from(better), label="new value")}

    before = assess(PLAYBOOK, answers).model(model_id)
    after = assess(PLAYBOOK, moved).model(model_id)

    assert before.score is not None and after.score is not None
    assert after.score >= before.score
    assert after.answered_weight == before.answered_weight or after.answered_weight > 0
    # A favourable move never brings an exclusion.
    assert not (after.blocking_failed and not before.blocking_failed)


@fast
@given(answers=partial_answers, more=partial_answers)
def test_answering_more_never_turns_a_blocking_failure_into_a_recommendation(answers, more):
    before = assess(PLAYBOOK, answers)
    after = assess(PLAYBOOK, {**more, **answers})  # the earlier answers stand

    for model in before.models:
        if model.blocking_failed:
            later = after.model(model.model_id)
            assert not later.recommended
            assert set(model.blocking_failed) <= set(later.blocking_failed)


@fast
@given(answers=answer_sets)
def test_every_fit_is_between_0_and_100(answers):
    for result in assess(PLAYBOOK, answers).models:
        assert result.score is None or 0 <= result.score <= 100
        assert 0 <= result.answered_percent <= 100
        assert all(0 <= c.satisfaction <= 1 for c in result.conditions)


@settings(fast, max_examples=60)  # shuffling forty questions is the slow part
@given(answers=answer_sets, data=st.data())
def test_the_order_of_the_answers_and_questions_does_not_change_the_result(answers, data):
    shuffled = dict(data.draw(st.permutations(list(answers.items())), label="answers"))
    document = {
        **PLAYBOOK,
        "questions": data.draw(st.permutations(PLAYBOOK["questions"]), label="questions"),
    }

    expected = assess(PLAYBOOK, answers)

    assert assess(PLAYBOOK, shuffled) == expected
    assert assess(document, shuffled).as_dict() == expected.as_dict()


@fast
@given(answers=answer_sets)
def test_the_ranking_puts_groups_in_order_and_ties_share_a_rank(answers):
    assessment = assess(PLAYBOOK, answers)
    models = assessment.models
    order = ["recommended", "weak", "excluded", "undecided"]

    assert [order.index(m.status) for m in models] == sorted(order.index(m.status) for m in models)
    for result in models:
        assert (result.rank is None) == (result.status == "undecided")
        assert result.recommended == (
            not result.blocking_failed
            and not result.blocking_open
            and result.answered_share >= engine.ENOUGH_ANSWERED
            and (result.score or 0) >= RECOMMEND_FROM
        )
        peers = [m for m in models if m.status == result.status and m.score == result.score]
        if result.rank is not None:
            assert result.tied == (len(peers) > 1)
            assert {m.rank for m in peers} == {result.rank}
    for status in order[:3]:
        group = [m.score or 0 for m in models if m.status == status]
        assert group == sorted(group, reverse=True)
    excluded = {m.model_id for m in models if m.status == "excluded"}
    assert not excluded & {r.model_id for r in assessment.first_steps()}


@pytest.mark.parametrize("model_id", [m["id"] for m in PLAYBOOK["models"]])
def test_the_most_favourable_answers_for_a_model_give_it_full_marks(model_id):
    result = assess(PLAYBOOK, best_for(model_id)).model(model_id)

    assert result.score == 100 and result.recommended and not result.unmet


def test_almost_nothing_answered_ranks_nothing_and_says_which_questions_decide():
    assessment = assess(PLAYBOOK, {"willingness.supervisor_enthusiasm": 4, "civic_space.health": 1})

    assert not assessment.enough_answers
    assert all(m.rank is None and m.status == "undecided" for m in assessment.models)
    assert assessment.leaders == () and assessment.first_steps() == ()
    deciding = [q.question_id for q in assessment.deciding]
    assert len(deciding) == engine.DECIDING_QUESTIONS
    # The questions behind blocking conditions come first.
    blocking = {
        c.get("applies_when", {}).get("question", c["question"])
        for m in PLAYBOOK["models"]
        for c in m["conditions"]
        if c["blocking"] and "question" in c
    }
    assert deciding[0] in blocking


@pytest.mark.parametrize(
    "question", ["civic_space.health", "tech_citizens.popularity", "tech_officials.popularity"]
)
def test_civic_space_and_the_use_of_technology_move_every_models_fit(question):
    """Worst to best on one factor, in an otherwise middling context, moves all six fits."""
    middle = all_answers(lambda values: values[len(values) // 2])
    low, high = min(SCALES[question]), max(SCALES[question])

    worse = assess(PLAYBOOK, {**middle, question: low})
    better = assess(PLAYBOOK, {**middle, question: high})

    for model in PLAYBOOK["models"]:
        higher, lower = better.model(model["id"]).score, worse.model(model["id"]).score
        assert higher is not None and lower is not None
        assert higher > lower, model["id"]


# --- No Django in the engine --------------------------------------------------------------


def test_the_engine_imports_nothing_from_django():
    tree = ast.parse(ENGINE_PATH.read_text())
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]

    assert imported, "the AST walk found no imports at all"
    assert not [name for name in imported if name.split(".")[0] == "django"]


def test_the_engine_runs_where_django_cannot_be_imported():
    script = """
import sys

class NoDjango:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "django":
            raise ImportError(f"{name} may not be imported here")

sys.meta_path.insert(0, NoDjango())
import yaml
from civicbridge.readiness import engine

with open(sys.argv[1]) as playbook:
    document = yaml.safe_load(playbook)
print(engine.assess(document, {}).models[0].model_id)
print(sorted(name for name in sys.modules if name.split(".")[0] == "django"))
"""
    path = ROOT / "civicbridge" / "playbook" / "data" / "playbook.yaml"

    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "[]"
