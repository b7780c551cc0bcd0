"""`export_popolo`: valid against the Popolo schemas, round trips, one organisation."""

import json
from datetime import date

import pytest
from django.core.management.base import CommandError

from civicbridge.partners.models import Department, Membership, Organisation, Person
from civicbridge.partners.popolo import SCHEMA_FOR
from civicbridge.partners.schemas import popolo_validator
from tests.factories import DepartmentFactory, MembershipFactory

from .helpers import TASMANIA, row_counts, run, summary


def schema_errors(document: dict) -> list[str]:
    return [
        f"{kind}[{index}]: {error.message}"
        for kind, records in document.items()
        for index, record in enumerate(records)
        for error in popolo_validator(SCHEMA_FOR[kind]).iter_errors(record)
    ]


@pytest.fixture
def rich_world(world):
    """The world plus a nested department tree, dates, contact details and a website."""
    world.civic.website = "https://codefortesting.example.org/"
    world.civic.description = "Volunteers who build public services."
    world.civic.classification = "ngo"
    world.civic.save()
    world.sub_department = DepartmentFactory.create(
        organisation=world.institution,
        parent=world.department,
        name="Open Data",
        classification="unit",
    )
    world.deep_department = DepartmentFactory.create(
        organisation=world.institution, parent=world.sub_department, name="Data Catalogue"
    )
    person = world.fellow.person
    person.email, person.sort_name = "fellow@example.org", "Fellow, Jo"
    person.image, person.summary = "https://example.org/jo.jpg", "A fellow placed with the council."
    person.save()
    MembershipFactory.create(
        person=person,
        organisation=world.institution,
        department=world.deep_department,
        role="data fellow",
        label="Fellow in residence",
        on_behalf_of=world.civic.popolo_id,
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
    )
    return world


def export(tmp_path, *args) -> dict:
    path = tmp_path / "export.json"
    lines = run("export_popolo", path, *args)
    document = json.loads(path.read_text())
    assert lines == [
        f"{len(document['organizations'])} organizations, {len(document['persons'])} persons, "
        f"{len(document['memberships'])} memberships written to {path}"
    ]
    return document


def test_export_of_everything_validates_against_the_popolo_schemas(rich_world, tmp_path):
    run("import_popolo", TASMANIA)
    document = export(tmp_path)
    assert schema_errors(document) == []
    assert (
        len(document["organizations"]) == Organisation.objects.count() + Department.objects.count()
    )
    assert len(document["persons"]) == Person.objects.count()
    assert len(document["memberships"]) == Membership.objects.count()


def test_export_carries_departments_dates_and_details(rich_world, tmp_path):
    document = export(tmp_path)
    organizations = {record["id"]: record for record in document["organizations"]}
    world = rich_world
    assert organizations[world.civic.popolo_id]["links"] == [
        {"url": "https://codefortesting.example.org/", "note": "website"}
    ]
    assert "parent_id" not in organizations[world.institution.popolo_id]
    assert organizations[world.department.popolo_id]["parent_id"] == world.institution.popolo_id
    assert organizations[world.sub_department.popolo_id]["parent_id"] == world.department.popolo_id
    assert (
        organizations[world.deep_department.popolo_id]["parent_id"]
        == world.sub_department.popolo_id
    )
    membership = next(m for m in document["memberships"] if m.get("role") == "data fellow")
    assert membership["organization_id"] == world.deep_department.popolo_id
    assert membership["person_id"] == world.fellow.person.popolo_id
    assert (membership["start_date"], membership["end_date"]) == ("2024-01-01", "2024-12-31")
    assert membership["on_behalf_of_id"] == world.civic.popolo_id


def test_round_trip_import_export_import_changes_nothing(rich_world, tmp_path):
    run("import_popolo", TASMANIA)
    document = export(tmp_path)
    before = row_counts()
    organisations = len(document["organizations"])
    persons, memberships = len(document["persons"]), len(document["memberships"])
    assert run("import_popolo", tmp_path / "export.json") == summary(
        f"0 created, 0 updated, {organisations} unchanged",
        f"0 created, 0 updated, {persons} unchanged",
        f"0 created, 0 updated, {memberships} unchanged",
    )
    assert row_counts() == before


def _tree():
    return {
        (d.popolo_id, d.name, d.organisation.popolo_id, d.parent.popolo_id if d.parent else None)
        for d in Department.objects.select_related("organisation", "parent")
    }


def _memberships():
    return {
        (
            m.popolo_id,
            m.person.popolo_id,
            m.organisation.popolo_id,
            m.department.popolo_id if m.department else None,
            m.role,
            m.start_date,
            m.end_date,
        )
        for m in Membership.objects.select_related("person", "organisation", "department")
    }


def test_departments_export_as_organizations_and_come_back_as_departments(rich_world, tmp_path):
    document = export(tmp_path)
    tree, memberships = _tree(), _memberships()
    assert len(tree) == 3
    Organisation.objects.all().delete()
    Person.objects.all().delete()
    assert Department.objects.count() == 0
    lines = run("import_popolo", tmp_path / "export.json")
    assert (
        lines[0]
        == f"organizations: {len(document['organizations'])} created, 0 updated, 0 unchanged"
    )
    assert Organisation.objects.count() == 3
    assert _tree() == tree
    assert _memberships() == memberships


def test_export_of_one_organisation_holds_only_it_its_departments_and_people(rich_world, tmp_path):
    world = rich_world
    document = export(tmp_path, "--organisation", world.institution.pk)
    assert schema_errors(document) == []
    assert {r["id"] for r in document["organizations"]} == {
        world.institution.popolo_id,
        world.department.popolo_id,
        world.sub_department.popolo_id,
        world.deep_department.popolo_id,
    }
    assert {r["id"] for r in document["persons"]} == {
        world.official.person.popolo_id,
        world.fellow.person.popolo_id,
    }
    assert {r["id"] for r in document["memberships"]} == set(
        Membership.objects.filter(organisation=world.institution).values_list(
            "popolo_id", flat=True
        )
    )
    assert len(document["memberships"]) == 3


def test_export_of_one_organisation_imports_into_an_empty_database(rich_world, tmp_path):
    document = export(tmp_path, "--organisation", rich_world.institution.pk)
    Organisation.objects.all().delete()
    Person.objects.all().delete()
    assert run("import_popolo", tmp_path / "export.json") == summary(
        f"{len(document['organizations'])} created, 0 updated, 0 unchanged",
        "2 created, 0 updated, 0 unchanged",
        "3 created, 0 updated, 0 unchanged",
    )


def test_export_of_an_unknown_organisation_fails_with_a_clear_message(world, tmp_path):
    missing = Organisation.objects.order_by("-pk")[0].pk + 1000
    with pytest.raises(CommandError, match=f"There is no organisation with id {missing}"):
        run("export_popolo", tmp_path / "export.json", "--organisation", missing)
    assert not (tmp_path / "export.json").exists()


def test_export_to_standard_output_prints_the_document(world):
    document = json.loads("\n".join(run("export_popolo", "-")))
    assert schema_errors(document) == []
    assert {r["name"] for r in document["organizations"]} >= {
        "Code for Testing",
        "Digital Services",
    }
