"""`load_playbook`: a version per change, nothing stored twice, and errors that change nothing."""

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management.base import CommandError

from civicbridge.playbook import checks
from civicbridge.playbook.models import PlaybookVersion
from civicbridge.playbook.services import content_hash

from .helpers import item, model, run, shipped, write_yaml

pytestmark = pytest.mark.django_db

CONDITION = "fellowship.supervisor_willing"


@pytest.fixture
def loaded() -> PlaybookVersion:
    """The shipped playbook, loaded by the command as version 1."""
    run("load_playbook")
    return PlaybookVersion.objects.get()


def assert_unchanged(version: PlaybookVersion) -> None:
    """Nothing was stored: `version` is still the only and current one, as it was."""
    assert PlaybookVersion.objects.count() == 1
    current = PlaybookVersion.objects.current()
    assert current is not None
    assert current.number == version.number
    assert current.content_hash == version.content_hash
    assert current.content == shipped()


def test_first_load_of_the_shipped_file_makes_version_1():
    assert run("load_playbook") == ["Loaded the playbook as version 1."]
    version = PlaybookVersion.objects.get()
    assert version.number == 1
    assert version.content == shipped()
    assert version.content_hash == content_hash(shipped())
    assert version.created_by is None
    assert version.note == "Loaded from playbook.yaml"


def test_second_load_of_the_same_file_makes_no_version(loaded):
    assert run("load_playbook") == ["The playbook is unchanged: version 1 stays current."]
    assert_unchanged(loaded)


def test_changed_file_makes_version_2_and_version_1_stays_readable(loaded, tmp_path):
    document = shipped()
    item(document, CONDITION)["statement"] = {"en": "The supervisor wants the fellow there."}
    path = write_yaml(tmp_path / "playbook.yaml", document)

    assert run("load_playbook", path, "--note", "Plainer statement") == [
        "Loaded the playbook as version 2."
    ]

    second = PlaybookVersion.objects.current()
    assert second is not None
    assert second.number == 2
    assert second.content == document
    assert second.content_hash == content_hash(document) != loaded.content_hash
    assert second.note == "Plainer statement"
    first = PlaybookVersion.objects.get(number=1)
    assert first.content == shipped()
    assert first.content_hash == loaded.content_hash


def remove_models(document):
    del document["models"]


def weight_9(document):
    item(document, CONDITION)["weight"] = 9


def text_not_a_mapping(document):
    item(document, CONDITION)["statement"] = "A plain string, not a text per language."


def bad_id(document):
    item(document, CONDITION)["id"] = "Fellowship.Supervisor"


def duplicate_id(document):
    item(document, "fellowship.fellow_willing")["id"] = CONDITION


def unknown_question(document):
    item(document, CONDITION)["question"] = "willingness.nobody_asked"


def met_at_off_the_scale(document):
    item(document, CONDITION)["met_at"] = 7


def challenge_threatens_unknown_condition(document):
    item(document, "fellowship.challenge.willingness")["threatens"] = ["fellowship.no_such"]


def challenge_threatens_another_models_condition(document):
    item(document, "fellowship.challenge.willingness")["threatens"] = [
        model(document, "training")["conditions"][0]["id"]
    ]


def mitigation_with_no_conditions(document):
    item(document, "fellowship.mitigate.mou")["conditions"] = []


def mitigation_pointing_at_no_condition(document):
    item(document, "fellowship.mitigate.mou")["conditions"] = ["fellowship.no_such"]


def unregistered_check(document):
    item(document, CONDITION)["check"] = "fellowship.nobody_wrote_this"


def question_of_unknown_factor(document):
    document["questions"][0]["factor"] = "weather"


def question_on_unknown_scale(document):
    question = item(document, CONDITION)["question"]
    next(q for q in document["questions"] if q["id"] == question)["scale"] = "stars"


def scale_that_falls(document):
    document["scales"]["level"][4]["value"] = 1


def gate_without_check(document):
    del item(document, "fellowship.mou_signed_before_start")["check"]


def met_at_without_question(document):
    item(document, "fellowship.mou_signed_before_start")["met_at"] = 1


def question_scored_twice(document):
    item(document, "fellowship.fellow_willing")["question"] = "willingness.supervisor_enthusiasm"


def directions_that_disagree(document):
    weight = item_of_context(document, "fellowship.context.civic_space")
    weight["question"], weight["favourable"] = "finances.donated", "higher"
    item(document, CONDITION)["applies_when"] = {"question": "finances.donated", "at_least": 1}


def applies_when_off_the_scale(document):
    item(document, CONDITION)["applies_when"] = {"question": "finances.donated", "at_least": 3}


def context_on_unknown_question(document):
    item_of_context(document, "fellowship.context.civic_space")["question"] = "civic_space.nope"


def source_of_unknown_model(document):
    document["sources"][0]["models"] = ["weaving"]


def item_of_context(document, ident):
    return next(w for m in document["models"] for w in m.get("context", []) if w["id"] == ident)


INVALID: dict[str, tuple[Callable[[dict], None], list[str]]] = {
    "gate without a check": (gate_without_check, ["“models/0/conditions/4”", "“check”"]),
    "met_at without a question": (
        met_at_without_question,
        ["“models/0/conditions/4”", "'question' is a dependency of 'met_at'"],
    ),
    "question scored twice": (
        question_scored_twice,
        [
            "Model “fellowship”: question “willingness.supervisor_enthusiasm” is scored more "
            "than once (fellowship.supervisor_willing, fellowship.fellow_willing)"
        ],
    ),
    "directions that disagree": (
        directions_that_disagree,
        ["Model “fellowship”: question “finances.donated” is favourable both higher and lower"],
    ),
    "applies_when off the scale": (
        applies_when_off_the_scale,
        [f"Condition “{CONDITION}”: applies_when 3 is not a value of scale “yes_no”."],
    ),
    "context weight on an unknown question": (
        context_on_unknown_question,
        [
            "Context weight “fellowship.context.civic_space”: question “civic_space.nope” "
            "does not exist."
        ],
    ),
    "source naming an unknown model": (
        source_of_unknown_model,
        ["Source “sources.code_for_pakistan”: model “weaving” does not exist."],
    ),
    "missing models": (remove_models, ["needs “models”"]),
    "weight of 9": (
        weight_9,
        ["“models/0/conditions/0/weight”", "9 is greater than the maximum of 5"],
    ),
    "text not a mapping": (
        text_not_a_mapping,
        ["“models/0/conditions/0/statement” should be an object."],
    ),
    "bad id pattern": (
        bad_id,
        ["“models/0/conditions/0/id” is not in the expected form: 'Fellowship.Supervisor'."],
    ),
    "duplicate id": (duplicate_id, [f"“{CONDITION}” (conditions): the id is used twice."]),
    "unknown question": (
        unknown_question,
        [f"Condition “{CONDITION}”: question “willingness.nobody_asked” does not exist."],
    ),
    "met_at off the scale": (
        met_at_off_the_scale,
        [f"Condition “{CONDITION}”: met_at 7 is not a value of scale “agreement”."],
    ),
    "challenge threatens unknown condition": (
        challenge_threatens_unknown_condition,
        [
            "“fellowship.challenge.willingness” (challenges): threatens names "
            "“fellowship.no_such”, which is no condition of fellowship."
        ],
    ),
    "challenge threatens another model's condition": (
        challenge_threatens_another_models_condition,
        ["“fellowship.challenge.willingness” (challenges): threatens names “training."],
    ),
    "mitigation with no conditions": (
        mitigation_with_no_conditions,
        ["“models/0/mitigations/", "/conditions”", "should be non-empty"],
    ),
    "mitigation pointing at no condition": (
        mitigation_pointing_at_no_condition,
        [
            "“fellowship.mitigate.mou” (mitigations): conditions names “fellowship.no_such”, "
            "which is no condition of fellowship."
        ],
    ),
    "unregistered check": (
        unregistered_check,
        [f"Condition “{CONDITION}”: no check called “fellowship.nobody_wrote_this” is registered."],
    ),
    "question of unknown factor": (
        question_of_unknown_factor,
        ["Question “political_legal.reform_openness”: factor “weather” does not exist."],
    ),
    "question on unknown scale": (
        question_on_unknown_scale,
        ["Question “willingness.supervisor_enthusiasm”: scale “stars” does not exist."],
    ),
    "scale that falls": (scale_that_falls, ["Scale “level”: the values [0, 1, 2, 3, 1] must rise"]),
}


@pytest.mark.parametrize("case", INVALID)
def test_invalid_playbook_is_refused_naming_what_is_wrong_and_changes_nothing(
    case, loaded, tmp_path
):
    damage, expected = INVALID[case]
    document = shipped()
    damage(document)
    path = write_yaml(tmp_path / "playbook.yaml", document)

    with pytest.raises(CommandError) as refused:
        run("load_playbook", path)

    message = str(refused.value)
    assert message.startswith("The playbook was not loaded:\n")
    for fragment in expected:
        assert fragment in message
    assert_unchanged(loaded)


@pytest.fixture
def registered_check():
    name = "fellowship.supervisor_said_yes"

    def supervisor_said_yes(collaboration) -> tuple[bool, str]:
        return True, "The supervisor said yes."

    yield name, supervisor_said_yes
    checks.unregister(name)


def test_condition_naming_a_check_loads_once_the_check_is_registered(
    loaded, tmp_path, registered_check
):
    name, check = registered_check
    document = shipped()
    item(document, CONDITION)["check"] = name
    path = write_yaml(tmp_path / "playbook.yaml", document)
    with pytest.raises(CommandError, match=r"no check called “fellowship\.supervisor_said_yes”"):
        run("load_playbook", path)

    checks.register(name)(check)

    assert run("load_playbook", path) == ["Loaded the playbook as version 2."]
    current = PlaybookVersion.objects.current()
    assert current is not None
    assert item(current.content, CONDITION)["check"] == name


def test_invalid_yaml_is_refused_and_changes_nothing(loaded, tmp_path):
    path = tmp_path / "playbook.yaml"
    path.write_text("models: [fellowship\nlanguage: en\n", "utf-8")
    with pytest.raises(CommandError, match="The file is not valid YAML"):
        run("load_playbook", path)
    assert_unchanged(loaded)


def test_yaml_that_is_not_a_mapping_is_refused_and_changes_nothing(loaded, tmp_path):
    path = tmp_path / "playbook.yaml"
    path.write_text("- just\n- a list\n", "utf-8")
    with pytest.raises(CommandError, match="should be an object"):
        run("load_playbook", path)
    assert_unchanged(loaded)


def test_missing_file_is_refused_naming_the_file_and_changes_nothing(loaded, tmp_path):
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(CommandError, match=f"Cannot read {path}"):
        run("load_playbook", path)
    assert_unchanged(loaded)


def test_load_records_who_made_the_version(world, tmp_path):
    from django.core.management import call_command

    call_command("load_playbook", "--by", "lead@example.org", stdout=StringIO())
    assert PlaybookVersion.objects.get().created_by == world.civic_lead
    with pytest.raises(CommandError, match="No account uses"):
        call_command("load_playbook", "--by", "nobody@example.org", stdout=StringIO())
