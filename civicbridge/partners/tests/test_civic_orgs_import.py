"""`import_civic_orgs` on the brigade-information file: counts, idempotence, atomic failures."""

import json

import pytest
from django.core.management.base import CommandError

from civicbridge.core.models import AuditEntry
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.civic_orgs import popolo_id_for
from civicbridge.partners.models import Organisation

from .helpers import CIVIC_ORGS, row_counts, run, write_json


def civic_orgs() -> list[dict]:
    return json.loads(CIVIC_ORGS.read_text())


@pytest.mark.django_db
def test_first_import_creates_all_221_organisations():
    assert run("import_civic_orgs", CIVIC_ORGS) == [
        "organizations: 221 created, 0 updated, 0 unchanged"
    ]
    assert Organisation.objects.count() == 221
    assert AuditEntry.objects.filter(action="create").count() == 221
    eighteen_f = Organisation.objects.get(popolo_id=popolo_id_for("18F"))
    assert eighteen_f.kind == OrganisationKind.GOVERNMENT
    assert (eighteen_f.city, eighteen_f.country) == ("San Francisco", "USA")
    assert eighteen_f.website == "https://18f.gsa.gov/"
    assert Organisation.objects.get(name="Akron Civic Hackathon").kind == OrganisationKind.CIVIC


@pytest.mark.django_db
def test_second_civic_orgs_import_changes_nothing():
    run("import_civic_orgs", CIVIC_ORGS)
    before = row_counts()
    assert run("import_civic_orgs", CIVIC_ORGS) == [
        "organizations: 0 created, 0 updated, 221 unchanged"
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_civic_orgs_dry_run_saves_nothing():
    assert run("import_civic_orgs", CIVIC_ORGS, "--dry-run") == [
        "organizations: 221 created, 0 updated, 0 unchanged",
        "Dry run: nothing was saved.",
    ]
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_changed_civic_org_is_one_update_with_old_and_new_value_in_audit(tmp_path):
    run("import_civic_orgs", CIVIC_ORGS)
    data = civic_orgs()
    data[0]["website"] = "https://18f.gsa.gov/new/"
    assert run("import_civic_orgs", write_json(tmp_path / "orgs.json", data)) == [
        "organizations: 0 created, 1 updated, 220 unchanged"
    ]
    entry = AuditEntry.objects.get(action="update")
    assert entry.changes == {"website": ["https://18f.gsa.gov/", "https://18f.gsa.gov/new/"]}


@pytest.mark.django_db
def test_reimport_keeps_a_kind_corrected_by_hand(tmp_path):
    run("import_civic_orgs", CIVIC_ORGS)
    Organisation.objects.filter(name="Akron Civic Hackathon").update(
        kind=OrganisationKind.COMMUNITY
    )
    run("import_civic_orgs", CIVIC_ORGS)
    assert Organisation.objects.get(name="Akron Civic Hackathon").kind == OrganisationKind.COMMUNITY


def _set_last(key, value):
    def damage(data):
        data[-1][key] = value

    return damage


def _delete_last(key):
    def damage(data):
        del data[-1][key]

    return damage


BROKEN = {
    "missing_required_website": (
        _delete_last("website"),
        ["[220]", "needs “website”"],
    ),
    "name_breaks_pattern": (
        _set_last("name", "Code-for-Nowhere"),
        ["[220]", "name", "is not in the expected form"],
    ),
    "tags_not_a_list": (_set_last("tags", "civic"), ["[220]", "“tags” should be a list"]),
    "latitude_not_a_number": (
        _set_last("latitude", "north"),
        ["[220]", "latitude", "is not in the expected form"],
    ),
    "record_not_an_object": (
        lambda data: data.__setitem__(-1, "Code for Nowhere"),
        ["[220]", "should be an object"],
    ),
    "duplicate_name": (
        lambda data: data[-1].__setitem__("name", data[0]["name"]),
        ["[220] “18F”: has the same name as [0] “18F”"],
    ),
    # Passes the schema; fails only when saved, after 220 organisations were written.
    "website_that_is_no_address": (
        _set_last("website", "not an address"),
        ["“", "website", "valid URL"],
    ),
    # A field the schema does not describe must not crash the import either.
    "location_not_an_object": (_set_last("location", "Nowhere"), None),
}


@pytest.mark.parametrize("case", BROKEN)
def test_file_that_breaks_the_civic_orgs_schema_changes_nothing(world, tmp_path, case):
    damage, expected = BROKEN[case]
    data = civic_orgs()
    damage(data)
    path = write_json(tmp_path / "orgs.json", data)
    before = row_counts()
    if expected is None:
        assert run("import_civic_orgs", path) == [
            "organizations: 221 created, 0 updated, 0 unchanged"
        ]
        return
    with pytest.raises(CommandError) as failure:
        run("import_civic_orgs", path)
    message = str(failure.value)
    for fragment in expected:
        assert fragment in message
    if case == "website_that_is_no_address":
        assert data[-1]["name"] in message
    assert row_counts() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("not json", "not valid JSON"),
        ('{"name": "x"}', "The file: should be a list."),
    ],
)
def test_civic_orgs_file_of_the_wrong_shape_changes_nothing(world, tmp_path, content, expected):
    path = tmp_path / "orgs.json"
    path.write_text(content)
    before = row_counts()
    with pytest.raises(CommandError) as failure:
        run("import_civic_orgs", path)
    assert expected in str(failure.value)
    assert row_counts() == before
