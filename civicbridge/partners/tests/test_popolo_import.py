"""`import_popolo`: the real Tasmania file, invalid files that change nothing, nested trees."""

import copy
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError

from civicbridge.core.models import AuditEntry
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.imports import ImportFailed
from civicbridge.partners.models import Department, Membership, Organisation, Person
from civicbridge.partners.popolo import import_popolo

from .helpers import TASMANIA, row_counts, run, summary, write_json

TASMANIA_CREATED = summary(
    "33 created, 0 updated, 0 unchanged",
    "263 created, 0 updated, 0 unchanged",
    "317 created, 0 updated, 0 unchanged",
)
TASMANIA_UNCHANGED = summary(
    "0 created, 0 updated, 33 unchanged",
    "0 created, 0 updated, 263 unchanged",
    "0 created, 0 updated, 317 unchanged",
)


# --- 1. The real Tasmania file -------------------------------------------------------------


@pytest.mark.django_db
def test_first_import_of_tasmania_creates_every_record():
    assert run("import_popolo", TASMANIA) == TASMANIA_CREATED
    assert Organisation.objects.count() == 33
    assert Person.objects.count() == 263
    assert Membership.objects.count() == 317
    assert Department.objects.count() == 0
    assert AuditEntry.objects.count() == 33 + 263 + 317
    hobart = Organisation.objects.get(popolo_id="legislature/hobart_city_council")
    assert hobart.name == "Hobart City Council"
    assert hobart.classification == "legislature"
    assert hobart.kind == OrganisationKind.GOVERNMENT
    parties = Organisation.objects.filter(classification="party")
    assert parties.count() == 4
    assert {party.kind for party in parties} == {OrganisationKind.PARTY}
    mayors = Membership.objects.filter(organisation=hobart, role="Lord Mayor")
    assert mayors.count() == 1
    # A councillor who is also mayor has two memberships of the council, one person.
    assert Membership.objects.filter(person=mayors.get().person, organisation=hobart).count() == 2


@pytest.mark.django_db
def test_second_import_creates_nothing():
    run("import_popolo", TASMANIA)
    before = row_counts()
    assert run("import_popolo", TASMANIA) == TASMANIA_UNCHANGED
    assert row_counts() == before


@pytest.mark.django_db
def test_dry_run_prints_the_counts_and_saves_nothing():
    before = row_counts()
    assert run("import_popolo", TASMANIA, "--dry-run") == [
        *TASMANIA_CREATED,
        "Dry run: nothing was saved.",
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_dry_run_after_an_import_reports_unchanged_and_saves_nothing():
    run("import_popolo", TASMANIA)
    before = row_counts()
    assert run("import_popolo", TASMANIA, "--dry-run")[:3] == TASMANIA_UNCHANGED
    assert row_counts() == before


@pytest.mark.django_db
def test_country_option_sets_the_country_of_created_organisations():
    run("import_popolo", TASMANIA, "--country", "Australia")
    assert set(Organisation.objects.values_list("country", flat=True)) == {"Australia"}


@pytest.mark.django_db
def test_without_country_option_created_organisations_have_no_country():
    run("import_popolo", TASMANIA)
    assert set(Organisation.objects.values_list("country", flat=True)) == {""}


@pytest.mark.django_db
def test_country_option_leaves_existing_organisations_alone():
    run("import_popolo", TASMANIA, "--country", "Australia")
    assert run("import_popolo", TASMANIA, "--country", "Elsewhere") == TASMANIA_UNCHANGED
    assert set(Organisation.objects.values_list("country", flat=True)) == {"Australia"}


@pytest.mark.django_db
def test_missing_file_is_a_command_error():
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_popolo", "/nonexistent/popolo.json")


# --- 2. Invalid files change nothing and name the record ----------------------------------


def valid_file(world) -> dict:
    """Three of each record; the first organisation renames one that already exists."""
    return {
        "organizations": [
            {"id": world.institution.popolo_id, "name": "Renamed by the file"},
            {"id": "council/b", "name": "B Council", "classification": "legislature"},
            {"id": "council/c", "name": "C Council", "classification": "legislature"},
        ],
        "persons": [
            {"id": "p/0", "name": "Person Zero"},
            {"id": "p/1", "name": "Person One", "email": "one@example.org"},
            {"id": "p/2", "name": "Person Two"},
        ],
        "memberships": [
            {"person_id": "p/0", "organization_id": "council/b", "role": "councillor"},
            {"person_id": "p/1", "organization_id": "council/c", "role": "councillor"},
            {
                "person_id": "p/2",
                "organization_id": "council/c",
                "role": "Mayor",
                "start_date": "2016",
                "end_date": "2020-10",
            },
        ],
    }


def test_the_valid_base_file_imports(world, tmp_path):
    """The control for the invalid cases below: without the damage, the file imports."""
    path = write_json(tmp_path / "valid.json", valid_file(world))
    assert run("import_popolo", path) == summary(
        "2 created, 1 updated, 0 unchanged",
        "3 created, 0 updated, 0 unchanged",
        "3 created, 0 updated, 0 unchanged",
    )
    world.institution.refresh_from_db()
    assert world.institution.name == "Renamed by the file"


def _set(kind, index, key, value):
    def damage(data):
        data[kind][index][key] = value

    return damage


def _delete(kind, index, key):
    def damage(data):
        del data[kind][index][key]

    return damage


def _replace(kind, index, value):
    def damage(data):
        data[kind][index] = value

    return damage


def _duplicate_membership_id(data):
    data["memberships"][0]["id"] = "m/same"
    data["memberships"][2]["id"] = "m/same"


INVALID_CASES = {
    "wrong_type": (
        _set("organizations", 2, "classification", 7),
        ["organizations[2] “council/c”", "“classification” should be text"],
    ),
    "id_of_wrong_type": (
        _set("persons", 2, "id", 2),
        ["persons[2]", "“id” should be text"],
    ),
    "record_not_an_object": (
        _replace("persons", 2, "Person Two"),
        ["persons[2]", "should be an object"],
    ),
    "bad_date_pattern": (
        _set("memberships", 2, "start_date", "05/2016"),
        ["memberships[2]", "start_date", "is not in the expected form"],
    ),
    "date_that_does_not_exist": (
        _set("memberships", 2, "end_date", "2021-02-30"),
        ["memberships[2]", "not a real date"],
    ),
    "end_before_start": (
        _set("memberships", 2, "end_date", "2015-12"),
        ["memberships[2]", "end_date is before start_date"],
    ),
    "membership_names_person_that_exists_nowhere": (
        _set("memberships", 2, "person_id", "p/nobody"),
        ["memberships[2]", "person_id “p/nobody” names no person"],
    ),
    "membership_without_person": (
        _delete("memberships", 2, "person_id"),
        ["memberships[2]", "needs a “person_id”"],
    ),
    "membership_names_organisation_that_exists_nowhere": (
        _set("memberships", 2, "organization_id", "council/nowhere"),
        ["memberships[2]", "organization_id “council/nowhere” names no organisation"],
    ),
    "parent_that_exists_nowhere": (
        _set("organizations", 2, "parent_id", "council/nowhere"),
        ["organizations[2] “council/c”", "parent_id “council/nowhere”"],
    ),
    "parent_chain_loops": (
        _set("organizations", 2, "parent_id", "council/c"),
        ["council/c", "loops back to itself"],
    ),
    "duplicate_person_id": (
        _set("persons", 2, "id", "p/0"),
        ["persons[2] “p/0”", "the id appears twice"],
    ),
    "duplicate_organisation_id": (
        _set("organizations", 2, "id", "council/b"),
        ["organizations[2] “council/b”", "the id appears twice"],
    ),
    "duplicate_membership_id": (
        _duplicate_membership_id,
        ["memberships[2] “m/same”", "the id appears twice"],
    ),
    "organisation_without_id": (
        _delete("organizations", 2, "id"),
        ["organizations[2] “C Council”", "needs an “id”"],
    ),
    "person_without_name": (
        _delete("persons", 2, "name"),
        ["persons[2] “p/2”", "needs a “name”"],
    ),
    "person_with_blank_name": (
        _set("persons", 2, "name", "   "),
        ["persons[2] “p/2”", "needs a “name”"],
    ),
    "email_that_breaks_the_schema": (
        _set("persons", 2, "email", "not-an-address"),
        ["persons[2] “p/2”", "email", "is not a valid email"],
    ),
    # These pass the schema and fail only when saved: the earlier records are written first.
    "email_that_passes_the_schema_but_not_django": (
        _set("persons", 2, "email", "two@nowhere"),
        ["persons[2] “p/2”", "email", "valid email"],
    ),
    "role_too_long_for_the_database": (
        _set("memberships", 2, "role", "r" * 201),
        ["memberships[2]", "role", "at most 200 characters"],
    ),
}


@pytest.mark.parametrize("case", INVALID_CASES)
def test_invalid_file_changes_nothing_and_names_the_record(world, tmp_path, case):
    damage, expected = INVALID_CASES[case]
    data = valid_file(world)
    damage(data)
    path = write_json(tmp_path / "invalid.json", data)
    before = row_counts()
    with pytest.raises(CommandError) as failure:
        run("import_popolo", path)
    message = str(failure.value)
    assert "Nothing was imported" in message
    for fragment in expected:
        assert fragment in message
    assert row_counts() == before
    world.institution.refresh_from_db()
    assert world.institution.name == "Testshire Council"


def test_dry_run_of_an_invalid_file_fails_too(world, tmp_path):
    data = valid_file(world)
    data["memberships"][2]["person_id"] = "p/nobody"
    path = write_json(tmp_path / "invalid.json", data)
    with pytest.raises(CommandError, match=r"memberships\[2\]"):
        run("import_popolo", path, "--dry-run")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("this is { not JSON", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
        ("", "not valid JSON"),
        ("[1, 2, 3]", "must be a JSON object"),
        ('"a string"', "must be a JSON object"),
        ("{}", "must be a JSON object"),
        ('{"events": []}', "must be a JSON object"),
        ('{"organizations": 5}', "must be a JSON object with “organizations”"),
        ('{"organizations": 5, "persons": []}', "“organizations” must be a list"),
        ('{"organizations": [], "persons": {"id": "p"}}', "“persons” must be a list"),
    ],
)
def test_file_that_is_not_a_popolo_object_changes_nothing(world, tmp_path, content, expected):
    path = tmp_path / "broken.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    before = row_counts()
    with pytest.raises(CommandError) as failure:
        run("import_popolo", path)
    assert expected in str(failure.value)
    assert row_counts() == before


def test_import_function_reports_every_problem(world):
    data = valid_file(world)
    data["persons"][1]["name"] = ""
    data["memberships"][2]["person_id"] = "p/nobody"
    with pytest.raises(ImportFailed) as failure:
        import_popolo(data)
    assert len(failure.value.errors) == 2
    assert failure.value.errors[0].startswith("persons[1]")
    assert failure.value.errors[1].startswith("memberships[2]")


def test_existing_organisation_cannot_silently_become_a_department(world, tmp_path):
    data = {
        "organizations": [
            {"id": world.civic.popolo_id, "name": world.civic.name},
            {
                "id": world.other.popolo_id,
                "name": world.other.name,
                "parent_id": world.civic.popolo_id,
            },
        ]
    }
    before = row_counts()
    with pytest.raises(CommandError) as failure:
        run("import_popolo", write_json(tmp_path / "f.json", data))
    assert "organizations[1]" in str(failure.value)
    assert row_counts() == before
    assert not Department.objects.filter(popolo_id=world.other.popolo_id).exists()


# --- 4. Nested departments, partial dates, memberships with ids --------------------------


NESTED = {
    "organizations": [
        # The deepest department comes first: the import must still create its parents first.
        {"id": "tv/services/libraries", "name": "Libraries", "parent_id": "tv/services"},
        {"id": "tv/services", "name": "Community Services", "parent_id": "tv"},
        {"id": "tv", "name": "Testville Council", "classification": "legislature"},
    ],
    "persons": [
        {"id": "tv/ada", "name": "Ada Reader", "email": "ada@example.org"},
        {"id": "tv/bo", "name": "Bo Councillor"},
    ],
    "memberships": [
        {
            "id": "tv/m/librarian",
            "person_id": "tv/ada",
            "organization_id": "tv/services/libraries",
            "role": "librarian",
            "start_date": "2016",
            "end_date": "2018-05",
        },
        {
            "id": "tv/m/councillor",
            "person_id": "tv/bo",
            "organization_id": "tv",
            "role": "councillor",
            "label": "Deputy Mayor",
            "start_date": "2016-05",
            "end_date": "2020-11-03",
        },
        {
            "person_id": "tv/bo",
            "organization_id": "tv/services",
            "role": "chair",
            "start_date": "2019-01-02T09:30:00Z",
        },
    ],
}


@pytest.fixture
def nested(tmp_path):
    def write(change=None):
        data = copy.deepcopy(NESTED)
        if change:
            change(data)
        return write_json(tmp_path / "nested.json", data)

    return write


@pytest.mark.django_db
def test_nested_department_tree_is_created(nested):
    assert run("import_popolo", nested()) == summary(
        "3 created, 0 updated, 0 unchanged",
        "2 created, 0 updated, 0 unchanged",
        "3 created, 0 updated, 0 unchanged",
    )
    council = Organisation.objects.get()
    services = Department.objects.get(popolo_id="tv/services")
    libraries = Department.objects.get(popolo_id="tv/services/libraries")
    assert (council.popolo_id, council.name) == ("tv", "Testville Council")
    assert services.organisation == council and services.parent is None
    assert libraries.organisation == council and libraries.parent == services


@pytest.mark.django_db
def test_memberships_keep_their_ids_departments_and_partial_dates(nested):
    run("import_popolo", nested())
    librarian = Membership.objects.get(popolo_id="tv/m/librarian")
    assert librarian.person.name == "Ada Reader"
    assert librarian.organisation.popolo_id == "tv"
    assert librarian.department_id == Department.objects.get(popolo_id="tv/services/libraries").pk
    # A partial date stands for its period: the first day to start, the last day to end.
    assert (librarian.start_date, librarian.end_date) == (date(2016, 1, 1), date(2018, 5, 31))
    councillor = Membership.objects.get(popolo_id="tv/m/councillor")
    assert councillor.department is None
    assert councillor.label == "Deputy Mayor"
    assert (councillor.start_date, councillor.end_date) == (date(2016, 5, 1), date(2020, 11, 3))
    chair = Membership.objects.get(role="chair")
    assert chair.department_id == Department.objects.get(popolo_id="tv/services").pk
    assert (chair.start_date, chair.end_date) == (date(2019, 1, 2), None)


@pytest.mark.django_db
def test_second_import_of_nested_file_changes_nothing(nested):
    run("import_popolo", nested())
    before = row_counts()
    assert run("import_popolo", nested()) == summary(
        "0 created, 0 updated, 3 unchanged",
        "0 created, 0 updated, 2 unchanged",
        "0 created, 0 updated, 3 unchanged",
    )
    assert row_counts() == before


def _audit_updates(model, obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(obj.pk),
        action="update",
    )


@pytest.mark.django_db
def test_changed_membership_date_is_one_update_with_old_and_new_value_in_audit(nested):
    run("import_popolo", nested())
    librarian = Membership.objects.get(popolo_id="tv/m/librarian")

    def extend(data):
        data["memberships"][0]["end_date"] = "2019"

    assert run("import_popolo", nested(extend)) == summary(
        "0 created, 0 updated, 3 unchanged",
        "0 created, 0 updated, 2 unchanged",
        "0 created, 1 updated, 2 unchanged",
    )
    librarian.refresh_from_db()
    assert librarian.end_date == date(2019, 12, 31)
    entry = _audit_updates(Membership, librarian).get()
    assert entry.changes == {"end_date": ["2018-05-31", "2019-12-31"]}
    assert entry.organisation_id == librarian.organisation_id


@pytest.mark.django_db
def test_membership_with_id_moved_to_another_department_is_updated(nested):
    run("import_popolo", nested())
    librarian = Membership.objects.get(popolo_id="tv/m/librarian")
    libraries = Department.objects.get(popolo_id="tv/services/libraries")
    services = Department.objects.get(popolo_id="tv/services")
    assert librarian.department_id == libraries.pk

    def move(data):
        data["memberships"][0]["organization_id"] = "tv/services"

    lines = run("import_popolo", nested(move))
    assert lines[2] == "memberships: 0 created, 1 updated, 2 unchanged"
    assert Membership.objects.count() == 3
    entry = _audit_updates(Membership, librarian).get()
    assert entry.changes == {"department_id": [libraries.pk, services.pk]}


@pytest.mark.django_db
def test_renamed_department_is_one_update_and_audited(nested):
    run("import_popolo", nested())

    def rename(data):
        data["organizations"][0]["name"] = "Libraries and Archives"

    lines = run("import_popolo", nested(rename))
    assert lines[0] == "organizations: 0 created, 1 updated, 2 unchanged"
    libraries = Department.objects.get(popolo_id="tv/services/libraries")
    assert libraries.name == "Libraries and Archives"
    entry = _audit_updates(Department, libraries).get()
    assert entry.changes == {"name": ["Libraries", "Libraries and Archives"]}


@pytest.mark.django_db
def test_department_moved_up_the_tree_loses_its_parent(nested):
    run("import_popolo", nested())
    services = Department.objects.get(popolo_id="tv/services")

    def move(data):
        data["organizations"][0]["parent_id"] = "tv"

    lines = run("import_popolo", nested(move))
    assert lines[0] == "organizations: 0 created, 1 updated, 2 unchanged"
    libraries = Department.objects.get(popolo_id="tv/services/libraries")
    assert libraries.parent is None
    entry = _audit_updates(Department, libraries).get()
    assert entry.changes == {"parent_id": [services.pk, None]}


@pytest.mark.django_db
def test_changed_person_email_is_one_update_and_audited(nested):
    run("import_popolo", nested())

    def change(data):
        data["persons"][0]["email"] = "ada@library.example.org"

    lines = run("import_popolo", nested(change))
    assert lines[1] == "persons: 0 created, 1 updated, 1 unchanged"
    ada = Person.objects.get(popolo_id="tv/ada")
    entry = _audit_updates(Person, ada).get()
    assert entry.changes == {"email": ["ada@example.org", "ada@library.example.org"]}


@pytest.mark.django_db
def test_membership_without_id_whose_post_changes_is_a_new_membership(nested):
    """Without an id, a membership is matched on person, organisation, role, post and start."""
    run("import_popolo", nested())

    def change(data):
        data["memberships"][2]["role"] = "deputy chair"

    lines = run("import_popolo", nested(change))
    assert lines[2] == "memberships: 1 created, 0 updated, 2 unchanged"


@pytest.mark.django_db
def test_dry_run_of_a_change_counts_it_and_saves_nothing(nested):
    run("import_popolo", nested())
    before = row_counts()

    def extend(data):
        data["memberships"][0]["end_date"] = "2019"

    lines = run("import_popolo", nested(extend), "--dry-run")
    assert lines[2] == "memberships: 0 created, 1 updated, 2 unchanged"
    assert row_counts() == before
    assert Membership.objects.get(popolo_id="tv/m/librarian").end_date == date(2018, 5, 31)


@pytest.mark.django_db
def test_audit_entries_of_an_import_record_created_values(nested):
    run("import_popolo", nested())
    librarian = Membership.objects.get(popolo_id="tv/m/librarian")
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Membership),
        object_id=str(librarian.pk),
    )
    assert entry.action == "create"
    assert entry.actor is None
    assert entry.changes["start_date"] == [None, "2016-01-01"]
    assert entry.changes["role"] == [None, "librarian"]


TERMS = {
    "organizations": [{"id": "parliament", "name": "Parliament", "classification": "legislature"}],
    "persons": [{"id": "p1", "name": "Pat Member"}],
    "memberships": [
        # Two terms in the same role without ids or start dates, as parliament files have.
        {"person_id": "p1", "organization_id": "parliament", "role": "member"},
        {"person_id": "p1", "organization_id": "parliament", "role": "member"},
        {
            "person_id": "p1",
            "organization_id": "parliament",
            "role": "member",
            "start_date": "2016-05",
            "end_date": "2016",
        },
    ],
}


@pytest.mark.django_db
def test_repeated_terms_without_ids_are_each_created_once(tmp_path):
    path = write_json(tmp_path / "terms.json", TERMS)
    assert run("import_popolo", path)[2] == "memberships: 3 created, 0 updated, 0 unchanged"
    assert run("import_popolo", path)[2] == "memberships: 0 created, 0 updated, 3 unchanged"
    assert Membership.objects.count() == 3


@pytest.mark.django_db
def test_partial_end_date_stands_for_the_end_of_its_period(tmp_path):
    run("import_popolo", write_json(tmp_path / "terms.json", TERMS))
    term = Membership.objects.get(start_date__isnull=False)
    assert (term.start_date, term.end_date) == (date(2016, 5, 1), date(2016, 12, 31))


@pytest.mark.django_db
def test_second_import_does_not_load_related_records_one_by_one(django_assert_max_num_queries):
    run("import_popolo", TASMANIA)
    # Reading what exists takes a handful of queries; nothing is saved, so nothing more runs.
    with django_assert_max_num_queries(20):
        run("import_popolo", TASMANIA)


def _tree(*departments, root="r"):
    return {
        "organizations": [
            {"id": root, "name": root.upper()},
            *(
                {"id": ident, "name": ident.upper(), "parent_id": parent}
                for ident, parent in departments
            ),
        ]
    }


@pytest.mark.django_db
def test_a_loop_through_the_stored_tree_is_refused(tmp_path):
    run("import_popolo", write_json(tmp_path / "a.json", _tree(("a", "r"), ("b", "a"))))
    before = row_counts()
    with pytest.raises(CommandError, match="loops back to itself"):
        run(
            "import_popolo",
            write_json(
                tmp_path / "b.json", {"organizations": [{"id": "a", "name": "A", "parent_id": "b"}]}
            ),
        )
    assert row_counts() == before
    assert Department.objects.get(popolo_id="a").parent is None


@pytest.mark.django_db
def test_a_department_cannot_move_to_another_organisation(tmp_path):
    run("import_popolo", write_json(tmp_path / "a.json", _tree(("a", "r"))))
    run("import_popolo", write_json(tmp_path / "s.json", _tree(root="s")))
    with pytest.raises(CommandError, match="cannot move to another organisation"):
        run(
            "import_popolo",
            write_json(
                tmp_path / "b.json", {"organizations": [{"id": "a", "name": "A", "parent_id": "s"}]}
            ),
        )
    assert Department.objects.get(popolo_id="a").organisation.popolo_id == "r"


@pytest.mark.django_db
def test_a_very_deep_tree_imports_without_recursion(tmp_path):
    chain = [(f"d{i}", f"d{i - 1}" if i else "r") for i in range(1500)]
    lines = run("import_popolo", write_json(tmp_path / "deep.json", _tree(*reversed(chain))))
    assert lines[0] == "organizations: 1501 created, 0 updated, 0 unchanged"
    deepest = Department.objects.select_related("parent").get(popolo_id="d1499")
    assert deepest.parent is not None and deepest.parent.popolo_id == "d1498"
