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


# --- A complete file -----------------------------------------------------------------------


def test_a_complete_file_prints_the_six_models_ranked_and_what_to_do_first(db, tmp_path):
    document = shipped()
    lines = assess(write(tmp_path, {"answers": ANSWERS})).splitlines()
    names = {m["id"]: m["name"]["en"] for m in document["models"]}
    result = engine.assess(document, ANSWERS)
    ranked = [line for line in lines if line[:1].isdigit()]
    assert ranked == [
        f"{m.rank}. {names[m.model_id]}: fit {m.score}/100, {verdict(m)}" for m in result.models
    ]
    assert [line[:3] for line in ranked] == ["1. ", "2. ", "3. ", "4. ", "5. ", "6. "]
    assert "What to do first:" in lines
    statements = {
        c["id"]: c["statement"]["en"] for m in document["models"] for c in m["conditions"]
    }
    first = lines[lines.index("What to do first:") + 1 :]
    assert [line[2:] for line in first if line.startswith("- ")] == [
        statements[r.condition_id] for r in result.first_steps()
    ]
    assert result.first_steps()


def test_a_blocked_model_names_the_condition_that_blocks_it(db, tmp_path):
    document = shipped()
    answers = {**ANSWERS, "political_legal.mou_ready": 0}
    output = assess(write(tmp_path, {"answers": answers}))
    statement = next(
        c["statement"]["en"]
        for m in document["models"]
        for c in m["conditions"]
        if c["id"] == "fellowship.mou_signed_before_start"
    )
    assert f"     blocked by: {statement}" in output.splitlines()
    assert "Fellowship: fit " in output
    assert next(line for line in output.splitlines() if ". Fellowship: fit " in line).endswith(
        "not recommended: a blocking condition fails"
    )


def test_a_weak_fit_is_not_called_blocked(db, tmp_path):
    """Every answer a little above the bottom, the blocking conditions just met: nothing
    blocks, but nothing fits well either."""
    answers = dict.fromkeys(ANSWERS, 1)
    for model in shipped()["models"]:
        for condition in model["conditions"]:
            if condition["blocking"]:
                question = condition["question"]
                answers[question] = max(answers[question], condition["met_at"])
    result = engine.assess(shipped(), answers)
    weak = [m for m in result.models if not m.recommended and not m.blocking_failed]
    assert weak, "the answers were meant to leave a model unblocked but weak"
    lines = assess(write(tmp_path, {"answers": answers})).splitlines()
    for model in weak:
        line = next(line for line in lines if line.startswith(f"{model.rank}. "))
        assert line.endswith(f"not recommended: a weak fit (below {engine.RECOMMEND_FROM})")
    assert not any("blocked by:" in line for line in lines)


def test_json_prints_the_same_result_with_the_models_ranked(db, tmp_path):
    data = json.loads(assess(write(tmp_path, {"answers": ANSWERS}), "--json"))
    assert data == engine.assess(shipped(), ANSWERS).as_dict()
    assert [m["rank"] for m in data["models"]] == [1, 2, 3, 4, 5, 6]
    keys = [(not m["recommended"], -m["score"]) for m in data["models"]]
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


def missing_two() -> dict:
    answers = dict(ANSWERS)
    del answers["finances.pays_on_time"], answers["coordination.post_event_plan"]
    return {"answers": answers}


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (
            missing_two(),
            [
                "Question “finances.pays_on_time” has no answer.",
                "Question “coordination.post_event_plan” has no answer.",
            ],
        ),
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
        "missing-answers",
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
    assert earlier.result().model("fellowship").recommended is False
    assert later.result().model("fellowship").recommended is True
    assert earlier.owner_organisation == later.owner_organisation
    assert Assessment.objects.count() == 2
