"""`manage.py assess FILE [--json]`, and the two assessments the demo workspace holds."""

import contextlib
import copy
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from civicbridge.playbook.services import save_version
from civicbridge.playbook.tests.helpers import shipped
from civicbridge.readiness import demo, engine
from civicbridge.readiness.models import Assessment

ANSWERS = demo.NOVEMBER_2026


def write(tmp_path: Path, content) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content))
    return path


def assess(*args) -> str:
    out = StringIO()
    call_command("assess", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def run_from_shell(*args) -> tuple[int, str, str]:
    """Run the command as `manage.py assess …` does: exit status, output and errors."""
    out, err = StringIO(), StringIO()
    utility = ManagementUtility(["manage.py", "assess", *[str(a) for a in args]])
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            utility.execute()
        except SystemExit as stop:
            return int(stop.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def verdict(model: engine.ModelResult) -> str:
    if model.recommended:
        return "recommended"
    if model.blocking_failed:
        return "not recommended: a blocking condition fails"
    return f"not recommended: a weak fit (below {engine.RECOMMEND_FROM})"


def ranked_line(model: engine.ModelResult, name: str) -> str:
    rank = f"{model.rank}=" if model.tied else f"{model.rank}."
    answered = f"{model.answered_percent}% of its weight answered"
    return f"{rank} {name}: fit {model.score}/100 ({answered}), {verdict(model)}"


def conditions_of(document: dict) -> dict[str, dict]:
    return {c["id"]: c for m in document["models"] for c in m["conditions"]}


# --- A complete file -----------------------------------------------------------------------


def test_a_complete_file_prints_the_six_models_ranked_and_what_to_do_first(db, tmp_path):
    document = shipped()
    lines = assess(write(tmp_path, {"answers": ANSWERS})).splitlines()
    names = {m["id"]: m["name"]["en"] for m in document["models"]}
    result = engine.assess(document, ANSWERS)
    ranked = [line for line in lines if line[:1].isdigit()]
    assert ranked == [ranked_line(m, names[m.model_id]) for m in result.models]
    assert len(ranked) == 6
    [leader] = result.leaders
    heading = f"What to do first, for {names[leader.model_id]}:"
    statements = {ident: c["statement"]["en"] for ident, c in conditions_of(document).items()}
    first = lines[lines.index(heading) + 1 :]
    steps = result.first_steps()
    assert steps
    assert [line[2:] for line in first if line.startswith("- ")][: len(steps)] == [
        statements[r.condition_id] for r in steps
    ]
    # Each step shows the report's sentence and where it stands in the report.
    step = first.index(f"- {statements[steps[0].condition_id]}")
    quote = steps[0].condition.quote
    assert quote is not None and quote.place is not None
    assert first[step + 1] == f"    “{quote.text}” ({quote.place})"


def test_a_blocked_model_names_the_condition_that_blocks_it_with_the_reports_words(db, tmp_path):
    document = shipped()
    answers = {**ANSWERS, "coordination.post_event_plan": 0}
    lines = assess(write(tmp_path, {"answers": answers})).splitlines()
    condition = conditions_of(document)["event.receivers_committed"]
    blocked = lines.index(f"     blocked by: {condition['statement']['en']}")
    assert lines[blocked + 1] == (
        f"       “{condition['source']['en']}” (“Sustainable Solutions”, paragraph 1)"
    )
    assert next(line for line in lines if " Event (hackathon and similar): fit " in line).endswith(
        "not recommended: a blocking condition fails"
    )


def test_a_signed_mou_is_to_do_before_agreed_and_never_blocks_in_an_assessment(db, tmp_path):
    document = shipped()
    answers = {**ANSWERS, "political_legal.mou_ready": 0}
    result = engine.assess(document, answers)
    assert result.model("fellowship").blocking_failed == ()
    assert "fellowship.mou_signed_before_start" in {
        gate.condition_id for gate in result.model("fellowship").gates
    }
    lines = assess(write(tmp_path, {"answers": ANSWERS})).splitlines()
    statement = conditions_of(document)["fellowship.mou_signed_before_start"]["statement"]["en"]
    assert f"- before agreed: {statement}" in lines
    assert not any("blocked by:" in line for line in lines)


def test_a_weak_fit_is_not_called_blocked(db, tmp_path):
    """Every answer a little above the bottom, the blocking conditions just met: nothing
    blocks, but nothing fits well either."""
    answers = dict.fromkeys(ANSWERS, 1)
    for condition in conditions_of(shipped()).values():
        if condition["blocking"] and "question" in condition:
            question = condition["question"]
            answers[question] = max(answers[question], condition["met_at"])
    result = engine.assess(shipped(), answers)
    weak = [m for m in result.models if m.status == engine.Status.WEAK]
    assert weak, "the answers were meant to leave a model unblocked but weak"
    lines = assess(write(tmp_path, {"answers": answers})).splitlines()
    for model in weak:
        line = next(
            line for line in lines if line.startswith((f"{model.rank}. ", f"{model.rank}= "))
        )
        assert line.endswith(f"not recommended: a weak fit (below {engine.RECOMMEND_FROM})")
    assert not any("blocked by:" in line for line in lines)


def test_too_few_answers_say_so_and_name_the_questions_that_would_decide(db, tmp_path):
    """Issue 21: almost nothing answered ranked six models at fit 0 and called one the best."""
    document = shipped()
    lines = assess(write(tmp_path, {"answers": {"civic_space.health": 2}})).splitlines()
    result = engine.assess(document, {"civic_space.health": 2})
    texts = {q["id"]: q["text"]["en"] for q in document["questions"]}
    assert lines[0].startswith("Not enough answers yet to rank the models")
    assert [line[2:].removesuffix(" (it can exclude a model)") for line in lines[1:]] == [
        texts[q.question_id] for q in result.deciding
    ]
    assert not any("fit" in line and "/100" in line for line in lines)
    assert not any("best" in line or "What to do first" in line for line in lines)


def test_json_carries_the_quote_and_its_place_for_every_explanation(db, tmp_path):
    data = json.loads(assess(write(tmp_path, {"answers": ANSWERS}), "--json"))
    lines = [line for m in data["models"] for line in m["conditions"] + m["gates"]]
    lines += data["risks"] + data["first_steps"]
    assert lines and all(line["quote"]["text"] and line["quote"]["place"] for line in lines)


def test_json_prints_the_same_result_with_the_models_ranked(db, tmp_path):
    data = json.loads(assess(write(tmp_path, {"answers": ANSWERS}), "--json"))
    assert data == engine.assess(shipped(), ANSWERS).as_dict()
    assert [m["rank"] for m in data["models"]] == [1, 2, 3, 4, 5, 6]
    order = ["recommended", "weak", "excluded"]
    keys = [(order.index(m["status"]), -m["score"]) for m in data["models"]]
    assert keys == sorted(keys)


def test_the_command_reads_the_current_playbook_version(db, tmp_path):
    document = shipped()
    save_version(None, document, "first")
    renamed = copy.deepcopy(document)
    renamed["models"][0]["name"]["en"] = "Fellowship (renamed in version 2)"
    save_version(None, renamed, "second")
    assert "Fellowship (renamed in version 2): fit" in assess(write(tmp_path, {"answers": ANSWERS}))


# --- Files it refuses ----------------------------------------------------------------------


# YAML reads `7: 1` with a number for a key.
WITH_A_NUMBER_AS_QUESTION: dict[Any, int] = {**ANSWERS, 7: 1, "zz.unknown": 1}


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (
            {"answers": {**ANSWERS, "finances.crowdfunding": 2}},
            ["Question “finances.crowdfunding” is not in the playbook."],
        ),
        (
            {"answers": {**ANSWERS, "political_legal.mou_ready": 3}},
            [
                "Question “political_legal.mou_ready”: 3 is not an answer on its scale (0 No, 1 Yes)."
            ],
        ),
        (
            {"answers": {**ANSWERS, "political_legal.mou_ready": "yes"}},
            ["Question “political_legal.mou_ready”: “yes” is not an answer on its scale"],
        ),
        (
            {"answers": WITH_A_NUMBER_AS_QUESTION},
            [
                "Question “7” is not in the playbook.",
                "Question “zz.unknown” is not in the playbook.",
            ],
        ),
        ("answers: [1, 2\n", ["is not valid YAML"]),
        ({"replies": ANSWERS}, ["The file needs an `answers:` mapping"]),
        ({"answers": list(ANSWERS)}, ["The file needs an `answers:` mapping"]),
        ("", ["The file needs an `answers:` mapping"]),
    ],
    ids=[
        "unknown-question",
        "off-the-scale",
        "number-as-question",
        "text-answer",
        "not-yaml",
        "no-answers-key",
        "answers-not-a-mapping",
        "empty",
    ],
)
def test_a_wrong_file_exits_non_zero_naming_the_problem(content, named, db, tmp_path):
    path = write(tmp_path, content)
    with pytest.raises(CommandError) as error:
        assess(path)
    for text in named:
        assert text in str(error.value)
    status, out, err = run_from_shell(path)
    assert status != 0
    assert out == ""
    for text in named:
        assert text in err


def test_a_yaml_yes_is_not_the_answer_one(db, tmp_path):
    path = write(
        tmp_path, yaml.safe_dump({"answers": ANSWERS}).replace("mou_ready: 1", "mou_ready: yes")
    )
    with pytest.raises(CommandError, match=r"political_legal\.mou_ready”: “True”"):
        assess(path)


def test_a_missing_file_exits_non_zero_naming_it(db, tmp_path):
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(CommandError, match=f"Cannot read {path}"):
        assess(path)
    status, _out, err = run_from_shell(path)
    assert status != 0
    assert str(path) in err


def test_a_file_with_questions_left_out_is_assessed_on_what_it_answers(db, tmp_path):
    answers = dict(ANSWERS)
    del answers["finances.pays_on_time"], answers["coordination.post_event_plan"]
    data = json.loads(assess(write(tmp_path, {"answers": answers}), "--json"))
    event = next(m for m in data["models"] if m["id"] == "event")
    assert event["status"] == "undecided"  # its blocking question is open
    assert event["unanswered_questions"][0] == "coordination.post_event_plan"
    service = next(m for m in data["models"] if m["id"] == "service_delivery")
    assert 0 < service["answered_percent"] < 100


def test_the_scenario_files_are_answer_files_the_command_reads(db):
    scenario = Path(__file__).parent / "scenarios" / "event_no_plan.yaml"
    data = json.loads(assess(scenario, "--json"))
    event = next(m for m in data["models"] if m["id"] == "event")
    assert event["blocking_failed"] == ["event.receivers_committed"]


def test_a_complete_file_exits_zero_from_the_shell(db, tmp_path):
    status, out, err = run_from_shell(write(tmp_path, {"answers": ANSWERS}), "--json")
    assert (status, err) == (0, "")
    assert len(json.loads(out)["models"]) == 6


# --- The demo workspace --------------------------------------------------------------------


def test_the_demo_holds_two_assessments_of_hobart_a_year_apart_that_improve(db):
    call_command("load_demo", stdout=StringIO())
    assessments = list(
        Assessment.objects.filter(institution__name="Hobart City Council").order_by("assessed_on")
    )
    assert len(assessments) == 2
    earlier, later = assessments
    assert all(a.complete for a in assessments)
    assert 360 <= (later.assessed_on - earlier.assessed_on).days <= 370
    assert earlier.answers == demo.NOVEMBER_2025
    assert later.answers == demo.NOVEMBER_2026
    # No MOU, one contact, elections ahead: a weak fellowship; a year later it leads.
    assert earlier.result().model("fellowship").status == engine.Status.WEAK
    assert [m.model_id for m in later.result().leaders] == ["fellowship"]
    assert earlier.owner_organisation == later.owner_organisation
    assert Assessment.objects.count() == 2
