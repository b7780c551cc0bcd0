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


def scores(assessment: engine.Assessment) -> dict[str, int]:
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


def test_unanswered_questions_count_as_the_worst_answer_and_are_never_met():
    document = playbook(model("alpha", condition("alpha.stars", "q.stars", met_at=1, weight=2)))

    result = assess(document, {}).model("alpha")

    assert result.score == 0
    assert result.conditions[0].answer is None
    assert result.conditions[0].satisfaction == 0
    assert result.unmet == ("alpha.stars",)


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
    # Only "weak" is recommended; the others follow by score ("weaker" fits too little).
    assert ranking(assessment) == ["weak", "strong_but_blocked", "weaker"]
    assert [m.model_id for m in assessment.models if m.recommended] == ["weak"]
    blocked = assessment.model("strong_but_blocked")
    assert not blocked.recommended
    assert blocked.blocking_failed == ("strong.signed",)
    assert [m.rank for m in assessment.models] == [1, 2, 3]


def test_equal_scores_keep_the_playbook_order_of_models():
    first = model("first", condition("first.level", "q.level", met_at=2, weight=2))
    second = model("second", condition("second.level", "q.level", met_at=4, weight=5))
    blocked_a = model("blocked_a", condition("a.signed", "q.signed", 1, 1, blocking=True))
    blocked_b = model("blocked_b", condition("b.signed", "q.signed", 1, 3, blocking=True))
    answers = {"q.level": 2, "q.signed": 0}

    assert ranking(assess(playbook(first, second, blocked_a, blocked_b), answers)) == [
        "first",
        "second",
        "blocked_a",
        "blocked_b",
    ]
    assert ranking(assess(playbook(blocked_b, second, blocked_a, first), answers)) == [
        "second",
        "first",
        "blocked_b",
        "blocked_a",
    ]


# --- Checking answers ---------------------------------------------------------------------


def test_an_answer_off_its_scale_is_named_with_the_scale_it_should_come_from():
    assert check_answers(PLAYBOOK, {"procurement.lawful_route": 7}) == [
        "Question “procurement.lawful_route”: 7 is not an answer on its scale (0 No, 1 Yes)."
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
    assert check_answers(PLAYBOOK, all_answers(best), complete=True) == []


def test_assess_refuses_answers_that_do_not_fit_the_playbook():
    with pytest.raises(InvalidAnswers) as raised:
        assess(PLAYBOOK, {"procurement.lawful_route": 7, "nobody.asked": 1})

    assert raised.value.problems == [
        "Question “nobody.asked” is not in the playbook.",
        "Question “procurement.lawful_route”: 7 is not an answer on its scale (0 No, 1 Yes).",
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


def test_first_steps_come_from_the_best_excluded_model_when_none_is_recommended():
    document = risk_document()
    document["models"][1]["conditions"][0]["blocking"] = True

    assessment = assess(document, {"q.level": 3, "q.signed": 0, "q.stars": 1})

    assert not any(m.recommended for m in assessment.models)
    assert scores(assessment) == {"beta": 54, "alpha": 45}
    assert [r.condition_id for r in assessment.first_steps()] == ["beta.level", "beta.stars"]


def test_as_dict_is_json_ready_and_explains_every_number():
    answers = {"q.level": 3, "q.signed": 0, "q.stars": 1}

    data = json.loads(json.dumps(assess(risk_document(), answers).as_dict()))

    beta = data["models"][0]
    assert {key: beta[key] for key in ("id", "rank", "score", "recommended")} == {
        "id": "beta",
        "rank": 1,
        "score": 54,  # (5 * 3/4 + 2 * 0) / 7 = 53.6 %
        "recommended": True,
    }
    assert beta["conditions"][0] == {
        "id": "beta.level",
        "question": "q.level",
        "answer": 3,
        "met_at": 4,
        "weight": 5,
        "blocking": False,
        "satisfaction": 0.75,
        "points": 3.75,
        "met": False,
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
    }
    assert [step["condition"] for step in data["first_steps"]] == ["beta.stars", "beta.level"]


# --- Properties over the real playbook ----------------------------------------------------

SCALES = {
    q["id"]: [o["value"] for o in PLAYBOOK["scales"][q["scale"]]] for q in PLAYBOOK["questions"]
}


def all_answers(pick) -> dict[str, int]:
    return {question: pick(values) for question, values in SCALES.items()}


def best(values: list[int]) -> int:
    return max(values)


def worst(values: list[int]) -> int:
    return min(values)


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


@fast
@given(answers=answer_sets, data=st.data())
def test_improving_any_one_answer_never_lowers_any_score(answers, data):
    question = data.draw(st.sampled_from(sorted(SCALES)), label="question")
    current = answers.get(question)
    higher = [v for v in SCALES[question] if current is None or v > current]
    if not higher:
        return  # already the best answer
    improved = {**answers, question: data.draw(st.sampled_from(higher), label="new value")}

    before, after = assess(PLAYBOOK, answers), assess(PLAYBOOK, improved)

    for model_id, score in scores(before).items():
        assert scores(after)[model_id] >= score, model_id
        assert after.model(model_id).recommended >= before.model(model_id).recommended


@fast
@given(answers=answer_sets)
def test_every_score_is_between_0_and_100(answers):
    for result in assess(PLAYBOOK, answers).models:
        assert 0 <= result.score <= 100
        assert all(0 <= c.satisfaction <= 1 for c in result.conditions)


@settings(fast, max_examples=60)  # shuffling thirty questions is the slow part
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
def test_a_failed_blocking_condition_always_ranks_its_model_below_every_recommended_one(answers):
    models = assess(PLAYBOOK, answers).models
    recommended_ranks = [m.rank for m in models if m.recommended]

    assert [m.rank for m in models] == list(range(1, len(models) + 1))
    for result in models:
        failed = [c for c in result.conditions if c.blocking and not c.met]
        assert result.recommended == (not failed and result.score >= RECOMMEND_FROM)
        if failed:
            assert all(result.rank > rank for rank in recommended_ranks)
    for group in (True, False):
        group_scores = [m.score for m in models if m.recommended is group]
        assert group_scores == sorted(group_scores, reverse=True)


def test_the_best_answers_recommend_every_model_with_full_marks():
    assessment = assess(PLAYBOOK, all_answers(best))

    assert {m.model_id for m in assessment.models} == {m["id"] for m in PLAYBOOK["models"]}
    assert all(m.recommended and m.score == 100 and not m.unmet for m in assessment.models)
    assert assessment.risks == ()
    assert assessment.first_steps() == ()
    assert ranking(assessment) == [m["id"] for m in PLAYBOOK["models"]]


@pytest.mark.parametrize("answers", [all_answers(worst), {}], ids=["worst", "none"])
def test_the_worst_answers_or_none_score_0_and_exclude_every_model_with_a_blocking_condition(
    answers,
):
    assessment = assess(PLAYBOOK, answers)

    assert set(scores(assessment).values()) == {0}
    # Nothing is recommended: blocked, or too weak a fit even where nothing blocks.
    assert not any(m.recommended for m in assessment.models)
    assert len(assessment.risks) == sum(len(m["conditions"]) for m in PLAYBOOK["models"])


def test_conditions_keep_the_playbook_order_and_risks_name_mitigations_of_their_own_model():
    assessment = assess(PLAYBOOK, all_answers(worst))

    for document in PLAYBOOK["models"]:
        result = assessment.model(document["id"])
        assert [c.condition_id for c in result.conditions] == [
            c["id"] for c in document["conditions"]
        ]
        own = {m["id"] for m in document["mitigations"]}
        for risk in assessment.risks_for(document["id"]):
            assert set(risk.mitigation_ids) <= own


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
