"""OCDS export (S8): a contract as release and record packages, valid against the official
1.1.5 schemas, the same file on every export, and refused when it would not be valid."""

import csv
import json
import socket
import urllib.request
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from civicbridge.procurement.choices import ContractStatus, MilestoneKind, MilestoneStatus
from civicbridge.procurement.models import Contract
from civicbridge.procurement.ocds import export, validation
from civicbridge.procurement.ocds.validation import OcdsError
from civicbridge.procurement.services import contracts, invoices
from civicbridge.procurement.services.routes import choose_route

from .contract_helpers import days_ago, draft, service_delivery, sign_both
from .ocds_helpers import demo_like_contract, exported

SCHEMA_DIR = validation.SCHEMA_DIR


def official_validator(name: str) -> Draft4Validator:
    """A validator built here from the shipped schema files, apart from the export's own."""
    schemas = [json.loads(path.read_text()) for path in SCHEMA_DIR.glob("*.json")]
    registry = Registry().with_resources(
        (schema["id"], DRAFT4.create_resource(schema)) for schema in schemas
    )
    schema = json.loads((SCHEMA_DIR / name).read_text())
    return Draft4Validator(schema, registry=registry, format_checker=validation.FORMATS)


def codes(codelist: str) -> set[str]:
    with (SCHEMA_DIR / "codelists" / f"{codelist}.csv").open() as rows:
        return {row["Code"] for row in csv.DictReader(rows)}


@pytest.fixture
def contract(world):
    return demo_like_contract(world)


def test_the_release_package_is_valid_against_the_official_schema(contract):
    text = export.to_json(export.release_package(contract))
    package = json.loads(text)
    errors = list(official_validator("release-package-schema.json").iter_errors(package))
    assert errors == []
    assert [release["tag"] for release in package["releases"]] == [
        ["planning"],
        ["award"],
        ["contract"],
        ["implementation"],
    ]
    planning, award, signed, _implementation = package["releases"]
    assert planning["tender"]["procurementMethod"] == "direct"
    assert planning["tender"]["procurementMethodDetails"] == "Direct award"
    assert award["awards"][0]["value"] == {"amount": 100000, "currency": "AUD"}
    assert signed["contracts"][0]["value"] == {"amount": 120000, "currency": "AUD"}
    assert signed["contracts"][0]["status"] == "active"
    assert signed["contracts"][0]["amendments"][0]["rationale"] == "Two more permit forms."
    roles = {party["name"]: party["roles"] for party in signed["parties"]}
    assert roles == {
        "Testshire Council": ["buyer", "procuringEntity", "payer"],
        "Code for Testing": ["supplier", "payee"],
    }


def test_the_implementation_release_has_milestones_payments_and_invoices(contract):
    release = export.release_package(contract)["releases"][-1]
    work = release["contracts"][0]["implementation"]
    milestones = {m["title"]: m for m in work["milestones"]}
    assert milestones["Portal live"]["type"] == "delivery"
    assert milestones["Portal live"]["status"] == "met"
    assert milestones["Portal live"]["dateMet"] == f"{days_ago(92)}T00:00:00Z"
    assert milestones["First instalment"]["value"] == {
        "amount": Decimal("40000.00"),
        "currency": "AUD",
    }
    assert milestones["First instalment"]["dateMet"] == f"{days_ago(40)}T00:00:00Z"
    paid = [(t["date"][:10], t["value"]["amount"]) for t in work["transactions"]]
    assert paid == [
        (str(days_ago(70)), Decimal("25000.50")),
        (str(days_ago(40)), Decimal("14999.50")),
    ]
    assert work["transactions"][0]["payer"]["name"] == "Testshire Council"
    kinds = [(d["documentType"], d["title"]) for d in work["documents"]]
    assert kinds == [
        ("invoice", "Invoice INV-001"),
        ("invoice", "Invoice INV-002"),
        ("creditNote", "Credit note CN-1"),
    ]


def test_amounts_are_written_as_exact_numbers(contract):
    text = export.to_json(export.release_package(contract))
    assert '"amount": 25000.5,' in text
    assert '"amount": 14999.5,' in text
    assert '"amount": 120000,' in text
    read = json.loads(text, parse_float=Decimal)
    amounts = read["releases"][-1]["contracts"][0]["implementation"]["transactions"]
    assert sum(t["value"]["amount"] for t in amounts) == Decimal("40000.00")


def test_the_record_package_is_valid_and_compiles_the_releases(contract):
    package = json.loads(export.to_json(export.record_package(contract)))
    assert list(official_validator("record-package-schema.json").iter_errors(package)) == []
    record = package["records"][0]
    releases = export.release_package(contract)["releases"]
    assert [link["url"].rsplit("#", 1)[1] for link in record["releases"]] == [
        release["id"] for release in releases
    ]
    compiled = record["compiledRelease"]
    assert compiled["tag"] == ["compiled"]
    assert compiled["contracts"][0]["value"]["amount"] == 120000
    assert len(compiled["contracts"][0]["implementation"]["transactions"]) == 2
    assert package["packages"] == [package["records"][0]["releases"][0]["url"].split("#")[0]]


def test_a_second_export_is_the_same_file_and_a_change_is_a_new_release(world, contract):
    first = export.to_json(export.release_package(contract))
    assert export.to_json(export.release_package(exported(contract))) == first
    assert export.to_json(export.record_package(exported(contract))) == export.to_json(
        export.record_package(exported(contract))
    )
    before = {r["tag"][0]: r["id"] for r in json.loads(first)["releases"]}
    bill = contract.invoices.get(number="INV-002")
    invoices.record_payment(
        world.official, bill, amount=Decimal("100.00"), currency="AUD", paid_on=days_ago(1)
    )
    after = {r["tag"][0]: r["id"] for r in export.release_package(exported(contract))["releases"]}
    assert after["award"] == before["award"]
    assert after["implementation"] != before["implementation"]


def test_the_ocid_is_the_contracts_own_or_the_prefix_and_its_id(world, contract, settings):
    settings.OCDS_PREFIX = "ocds-abc123-"
    assert export.ocid_for(contract) == f"ocds-abc123-{contract.pk}"
    releases = export.release_package(contract)["releases"]
    assert {release["ocid"] for release in releases} == {f"ocds-abc123-{contract.pk}"}
    assert releases[1]["id"].startswith(f"ocds-abc123-{contract.pk}-award-")
    Contract.objects.filter(pk=contract.pk).update(ocid="ocds-213czf-000-00042")
    assert export.ocid_for(exported(contract)) == "ocds-213czf-000-00042"


def test_a_contract_without_a_route_or_money_yet_has_award_and_contract_only(world):
    contract = exported(draft(world, service_delivery(world)))
    releases = export.release_package(contract)["releases"]
    assert [release["tag"] for release in releases] == [["award"], ["contract"]]
    assert releases[1]["contracts"][0]["status"] == "pending"
    assert "dateSigned" not in releases[1]["contracts"][0]
    assert releases[0]["awards"][0]["status"] == "pending"


@pytest.mark.parametrize("route", [None, "direct_award"])
def test_steps_of_the_procurement_go_under_planning(world, route):
    collaboration = service_delivery(world)
    if route:
        choose_route(
            world.civic_lead,
            collaboration,
            route=route,
            jurisdiction=None,
            estimated_value=Decimal("100000.00"),
            currency="AUD",
            procurement_starts_on=days_ago(260),
        )
    contract = draft(world, collaboration)
    step = contracts.add_milestone(
        world.civic_lead,
        contract,
        kind="engagement",
        title="Public consultation",
        due_on=contract.start_date - timedelta(days=30),
    )
    contracts.add_milestone(
        world.civic_lead, contract, kind="delivery", title="Portal live", due_on=days_ago(10)
    )
    text = export.to_json(export.release_package(exported(contract)))
    assert export.to_json(export.release_package(exported(contract))) == text
    package = json.loads(text)
    assert list(official_validator("release-package-schema.json").iter_errors(package)) == []
    releases = {release["tag"][0]: release for release in package["releases"]}
    assert set(releases) == {"planning", "award", "contract", "implementation"}
    # Without a route chosen, the planning release is there for the step alone.
    assert ("tender" in releases["planning"]) == bool(route)
    assert releases["planning"]["planning"]["milestones"] == [
        {
            "id": f"milestone-{step.pk}",
            "title": "Public consultation",
            "type": "engagement",
            "dueDate": f"{step.due_on}T00:00:00Z",
            "status": "scheduled",
        }
    ]
    work = releases["implementation"]["contracts"][0]["implementation"]
    assert [m["title"] for m in work["milestones"]] == ["Portal live"]
    record = export.record_package(exported(contract))
    compiled = record["records"][0]["compiledRelease"]
    assert [m["title"] for m in compiled["planning"]["milestones"]] == ["Public consultation"]
    assert [m["title"] for m in compiled["contracts"][0]["implementation"]["milestones"]] == [
        "Portal live"
    ]


def test_a_step_recorded_as_met_is_published_with_its_date(world):
    contract = draft(world, service_delivery(world))
    step = contracts.add_milestone(
        world.civic_lead,
        contract,
        kind="approval",
        title="Council approves the spend",
        due_on=contract.start_date - timedelta(days=10),
    )
    sign_both(world, contract)
    before = export.release_package(exported(contract))["releases"][0]
    contracts.record_step(world.official, step, status="met", met_on=days_ago(185))
    package = json.loads(export.to_json(export.release_package(exported(contract))))
    assert list(official_validator("release-package-schema.json").iter_errors(package)) == []
    # Recorded after the award, the planning release may come after it: found by its tag.
    [planning] = [release for release in package["releases"] if release["tag"] == ["planning"]]
    assert planning["id"] != before["id"]
    [published] = planning["planning"]["milestones"]
    assert (published["status"], published["dateMet"]) == ("met", f"{days_ago(185)}T00:00:00Z")
    record = json.loads(export.to_json(export.record_package(exported(contract))))
    assert list(official_validator("record-package-schema.json").iter_errors(record)) == []
    [compiled] = record["records"][0]["compiledRelease"]["planning"]["milestones"]
    assert compiled["dateMet"] == published["dateMet"]


def test_the_validator_catches_a_broken_package(contract):
    package = export.release_package(contract)
    package["releases"][1]["awards"][0]["value"]["amount"] = "a lot"
    package["releases"][2]["date"] = "2026-02-30T10:00:00Z"
    del package["releases"][3]["ocid"]
    with pytest.raises(OcdsError) as refused:
        export.validated(package, validation.RELEASE_PACKAGE)
    problems = "\n".join(refused.value.problems)
    award, signed, implementation = (release["id"] for release in package["releases"][1:])
    assert f"Release “{award}”" in problems
    assert "releases[1].awards[0].value.amount: should be a number or empty" in problems
    assert f"Release “{signed}”" in problems and "releases[2].date" in problems
    assert f"Release “{implementation}” (without an ocid), at releases[3].ocid" in problems


def test_an_export_the_schema_refuses_raises_instead_of_publishing(world, contract):
    # The contract room takes any three capital letters; the standard's codelist does not.
    Contract.objects.filter(pk=contract.pk).update(currency="XBT")
    with pytest.raises(OcdsError, match=r"awards\[0\]\.value\.currency"):
        export.release_package(exported(contract))
    with pytest.raises(OcdsError, match="compiledRelease"):
        export.record_package(exported(contract))


def test_validation_never_reaches_the_network(contract, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("validation tried to reach the network")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    validation.registry.cache_clear()
    validation.validator.cache_clear()
    export.record_package(contract)


def test_the_codes_written_are_the_standards(contract):
    assert {s.value for s in ContractStatus} <= codes("contractStatus")
    assert {k.value for k in MilestoneKind} <= codes("milestoneType")
    assert {s.value for s in MilestoneStatus} <= codes("milestoneStatus")
    assert set(export.METHOD.values()) <= codes("method")
    assert set(export.AWARD_STATUS.values()) <= codes("awardStatus")
    # The open documentType codelist has no code for these: the README says so.
    assert {export.INVOICE_DOCUMENT, export.CREDIT_NOTE_DOCUMENT}.isdisjoint(codes("documentType"))


def test_export_queries_do_not_grow_with_the_invoices(world):
    contract = sign_both(world, draft(world, service_delivery(world)))

    def bill(count: int) -> int:
        start = contract.invoices.count()
        for number in range(start, start + count):
            invoice = invoices.add_invoice(
                world.civic_lead,
                contract,
                number=f"INV-{number}",
                amount=Decimal("10.00"),
                currency="AUD",
                issued_on=days_ago(30),
            )
            invoices.record_payment(
                world.official, invoice, amount=Decimal("5.00"), currency="AUD", paid_on=days_ago(1)
            )
        with CaptureQueriesContext(connection) as queries:
            export.record_package(exported(contract))
        return len(queries)

    assert bill(1) == bill(10)


def test_dates_are_days_in_utc(world):
    contract = exported(draft(world, service_delivery(world)))
    period = export.release_package(contract)["releases"][1]["contracts"][0]["period"]
    assert period == {
        "startDate": f"{contract.start_date}T00:00:00Z",
        "endDate": f"{contract.end_date}T23:59:59Z",
    }
    assert contract.end_date - contract.start_date == timedelta(days=360)
