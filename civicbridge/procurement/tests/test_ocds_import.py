"""OCDS import (S8): the fictional example becomes one contract with its milestones and
payments; a second import creates nothing; new releases update the contract; a broken file, or one that
breaks a rule of the contract room, is refused whole, naming the release and the path."""

import copy
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicbridge.collaborations.models import Activity, Collaboration
from civicbridge.core.models import AuditEntry
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Organisation
from civicbridge.procurement.models import (
    Contract,
    ImportedRelease,
    Invoice,
    Milestone,
    PartyIdentifier,
    Payment,
    Variation,
)
from civicbridge.procurement.ocds import export
from civicbridge.procurement.ocds.importer import import_ocds
from civicbridge.procurement.ocds.validation import OcdsError

from .contract_helpers import days_ago
from .ocds_helpers import (
    EXAMPLES,
    OCID,
    RECORD_PACKAGE,
    RELEASE_FILES,
    RELEASE_PACKAGE,
    demo_like_contract,
    example,
    package_of,
    raw,
)

pytestmark = pytest.mark.django_db

IMPLEMENTATION = 5  # the index of the implementation release in the compiled package


def organisation(name: str, kind: str) -> Organisation:
    return Organisation.objects.create(name=name, kind=kind)


def imported(data: dict, **options) -> list[str]:
    outcomes = import_ocds(None, raw(data), **options)
    return [line for outcome in outcomes for line in outcome.lines]


def refused(data, **options) -> str:
    with pytest.raises(OcdsError) as refusal:
        import_ocds(None, data if isinstance(data, bytes) else raw(data), **options)
    return "\n".join(refusal.value.problems)


def nothing_created() -> bool:
    return not (
        Contract.objects.exists()
        or Organisation.objects.filter(
            name__in=["London Borough of Barnet", "AnyCorp Cycle Provision"]
        ).exists()
        or Collaboration.objects.exists()
        or ImportedRelease.objects.exists()
        or Invoice.objects.exists()
    )


def assert_the_cycle_lanes_contract() -> Contract:
    """The fictional example as one contract, whichever of its files brought it."""
    contract = Contract.objects.select_related("buyer", "supplier", "collaboration").get()
    assert contract.ocid == OCID
    assert contract.title == "Contract to build new cycle lanes in the centre of town."
    assert (contract.value, contract.currency) == (Decimal("11000000.00"), "GBP")
    assert (contract.start_date, contract.end_date) == (date(2010, 7, 1), date(2011, 6, 30))
    assert contract.status == "active" and contract.source == "ocds"
    signature = contract.buyer_signature()
    assert contract.is_fully_signed() and signature is not None
    assert signature.signed_at == datetime.fromisoformat("2010-06-10T14:23:12Z")
    assert (contract.buyer.name, contract.buyer.kind) == ("London Borough of Barnet", "government")
    assert (contract.supplier.name, contract.supplier.kind) == (
        "AnyCorp Cycle Provision",
        "company",
    )
    assert contract.collaboration.model == "service_delivery"
    assert contract.collaboration.stage == "active"
    assert contract.collaboration.civic_organisation == contract.supplier
    assert contract.collaboration.institution == contract.buyer
    payments = list(Payment.objects.filter(invoice__contract=contract).order_by("paid_on"))
    assert [(p.paid_on, p.amount, p.currency) for p in payments] == [
        (date(2010, 8, 1), Decimal("50000.00"), "GBP"),
        (date(2010, 10, 1), Decimal("10000.00"), "GBP"),
    ]
    assert [p.ocds_id for p in payments] == ["ocds-213czf-000-00001-1", "ocds-213czf-000-00001-2"]
    # OCDS publishes what was paid, not the invoices: one settled invoice stands in for each.
    bills = list(contract.invoices.order_by("issued_on"))
    assert [(b.number, b.amount, b.settled_on) for b in bills] == [
        ("ocds-213czf-000-00001-1", Decimal("50000.00"), date(2010, 8, 1)),
        ("ocds-213czf-000-00001-2", Decimal("10000.00"), date(2010, 10, 1)),
    ]
    # Its milestones are the planning's: steps of the procurement, before the contract starts.
    assert [
        (m.ocds_id, m.title, m.kind, m.status, m.due_on, m.met_on)
        for m in contract.milestones.all()
    ] == [
        (
            "1.0",
            "Strategic outline procurement plan approval",
            "preProcurement",
            "met",
            date(2009, 3, 14),
            date(2009, 3, 14),
        ),
        ("2.0", "Public consultation", "engagement", "scheduled", date(2009, 5, 1), None),
    ]
    consultation = contract.milestones.get(ocds_id="2.0")
    assert consultation.description == (
        "A public consultation on the proposed cycle lane will be held at the council offices"
    )
    # Nobody delivers or accepts a step of the procurement.
    assert not contract.milestones.filter(submitted_on__isnull=False).exists()
    assert not contract.milestones.filter(accepted_on__isnull=False).exists()
    registered = {
        (i.organisation.name, str(i), i.legal_name) for i in PartyIdentifier.objects.all()
    }
    assert registered == {
        ("London Borough of Barnet", "GB-LAC-E09000003", "London Borough of Barnet"),
        ("AnyCorp Cycle Provision", "GB-COH-11111111.0", "AnyCorp Ltd"),
    }
    return contract


def test_the_record_of_the_fictional_example_becomes_one_contract():
    lines = imported(example(RECORD_PACKAGE))
    contract = assert_the_cycle_lanes_contract()
    assert set(ImportedRelease.objects.values_list("release_id", flat=True)) == {
        name.removesuffix(".json") for name in RELEASE_FILES
    }
    assert lines[0].startswith("Created the contract “Contract to build new cycle lanes")
    assert "with 2 milestones and 2 payments coming to 60,000.00 GBP" in lines[0]
    assert "New organisation: London Borough of Barnet (government body)." in lines
    assert "New organisation: AnyCorp Cycle Provision (company)." in lines
    assert not any(line.startswith("Not imported") for line in lines)
    feed = Activity.objects.get(collaboration=contract.collaboration)
    assert feed.message == lines[0] and feed.visibility == "both"
    assert AuditEntry.objects.filter(object_repr=contract.title, action="create").exists()


def test_the_release_package_of_the_example_becomes_the_same_contract():
    lines = imported(example(RELEASE_PACKAGE))
    assert_the_cycle_lanes_contract()
    assert ImportedRelease.objects.count() == 6
    assert "with 2 milestones and 2 payments" in lines[0]


def test_a_second_import_creates_nothing():
    imported(example(RELEASE_PACKAGE))
    models = (Contract, Milestone, Payment, Invoice, Organisation, AuditEntry)
    counts = [model.objects.count() for model in models]
    assert counts[1] == 2
    lines = imported(example(RELEASE_PACKAGE))
    assert lines == [f"Already imported: “{OCID}”, 6 releases; nothing changed."]
    assert imported(example(RECORD_PACKAGE)) == lines
    assert [model.objects.count() for model in models] == counts


def test_new_releases_of_a_known_process_update_its_contract():
    imported(package_of(*RELEASE_FILES[:4]))
    contract = Contract.objects.get()
    assert contract.status == "pending" and not contract.is_fully_signed()
    assert contract.collaboration.stage == "preparing"
    lines = imported(example(RELEASE_PACKAGE))
    assert lines[0] == (
        f"Updated the contract “Contract to build new cycle lanes in the centre of town.” ({OCID}) "
        "from 2 new releases: the collaboration moved to “Active”; 0 new milestones and 2 new "
        "payments."
    )
    assert_the_cycle_lanes_contract()
    assert ImportedRelease.objects.count() == 6


def test_the_releases_one_file_at_a_time_make_one_contract():
    for name in RELEASE_FILES[:3]:
        assert "has no award or contract yet" in refused(example(name))
    for name in RELEASE_FILES[3:]:
        imported(example(name))
    # The steps of the procurement are in the planning release, which cannot come alone.
    assert not Milestone.objects.exists()
    lines = imported(example(RELEASE_PACKAGE))
    assert "from 3 new releases: 2 new milestones and 0 new payments." in lines[0]
    assert_the_cycle_lanes_contract()


def test_a_new_value_of_a_signed_contract_is_a_variation():
    imported(example(RELEASE_PACKAGE))
    amendment = copy.deepcopy(example(RELEASE_FILES[-1]))
    release = amendment["releases"][0]
    release.update(
        id=f"{OCID}-07-contractAmendment", date="2011-02-01T09:00:00Z", tag=["contractAmendment"]
    )
    deal = release["contracts"][0]
    deal["value"]["amount"] = 12000000
    deal["amendments"] = [
        {"id": "1", "date": "2011-02-01T09:00:00Z", "rationale": "A second junction."}
    ]
    lines = imported(amendment)
    assert "variation 1" in lines[0]
    variation = Variation.objects.get()
    assert (variation.old_value, variation.new_value) == (
        Decimal("11000000.00"),
        Decimal("12000000.00"),
    )
    assert variation.reason == "A second junction." and variation.agreed_on == date(2011, 2, 1)
    assert Contract.objects.get().value == Decimal("12000000.00")


def test_milestones_of_every_block_are_imported_and_what_cannot_be_kept_is_named():
    package = example(RELEASE_PACKAGE)
    package["releases"][1]["tender"]["milestones"] = [
        {
            "id": "t1",
            "title": "Evaluation panel meets",
            "type": "assessment",
            "status": "met",
            "dueDate": "2010-04-01T10:00:00Z",
            "dateMet": "2010-04-02T10:00:00Z",
        }
    ]
    work = package["releases"][IMPLEMENTATION]["contracts"][0]["implementation"]
    work["milestones"] = [
        {
            "id": "m1",
            "title": "Junction rebuilt",
            "type": "delivery",
            "status": "met",
            "dueDate": "2010-12-01T00:00:00Z",
            "dateMet": "2010-11-28T00:00:00Z",
        },
        {
            "id": "m2",
            "title": "Second instalment",
            "type": "payment",
            "status": "scheduled",
            "dueDate": "2011-03-01T00:00:00Z",
            "value": {"amount": 250000.75, "currency": "GBP"},
        },
        {"id": "m3", "title": "Loan drawn", "type": "financing", "dueDate": "2010-09-01T00:00:00Z"},
        {
            "id": "m4",
            "title": "Site visit",
            "type": "inspection",
            "dueDate": "2010-09-01T00:00:00Z",
        },
        {"id": "m5", "title": "Handover", "type": "delivery"},
        {"id": "m6", "title": "Retention", "type": "payment", "dueDate": "2011-06-01T00:00:00Z"},
        {"id": "m7", "description": "Untyped", "dueDate": "2011-06-01T00:00:00Z"},
    ]
    lines = imported(package)
    rows = list(Milestone.objects.order_by("due_on"))
    assert [(m.ocds_id, m.kind, m.status, m.due_on) for m in rows] == [
        ("1.0", "preProcurement", "met", date(2009, 3, 14)),
        ("2.0", "engagement", "scheduled", date(2009, 5, 1)),
        ("t1", "assessment", "met", date(2010, 4, 1)),
        ("m3", "financing", "scheduled", date(2010, 9, 1)),
        ("m1", "delivery", "met", date(2010, 12, 1)),
        ("m2", "payment", "scheduled", date(2011, 3, 1)),
    ]
    assert rows[2].met_on == date(2010, 4, 2) and rows[2].accepted_on is None
    assert rows[4].accepted_on == date(2010, 11, 28) and rows[4].met_on is None
    assert (rows[5].amount, rows[5].currency) == (Decimal("250000.75"), "GBP")
    assert "6 milestones" in lines[0]
    assert lines[-1] == (
        "Not imported: the milestone “Site visit” of type “inspection”, a type Civic Bridge "
        "does not know; the milestone “Handover”, which has no due date; the payment milestone "
        "“Retention”, which does not say how much is due; the milestone “Untyped”, which has "
        "no type."
    )


def test_a_step_of_the_procurement_and_a_contract_milestone_may_share_an_id():
    package = example(RELEASE_PACKAGE)
    work = package["releases"][IMPLEMENTATION]["contracts"][0]["implementation"]
    work["milestones"] = [
        {"id": "1.0", "title": "Lanes open", "type": "delivery", "dueDate": "2011-05-01T00:00:00Z"}
    ]
    imported(package)
    assert sorted(Milestone.objects.values_list("ocds_id", "kind")) == [
        ("1.0", "delivery"),
        ("1.0", "preProcurement"),
        ("2.0", "engagement"),
    ]
    later = copy.deepcopy(package["releases"][IMPLEMENTATION])
    later.update(id=f"{OCID}-07-implementation", date="2011-05-02T09:00:00Z")
    later["contracts"][0]["implementation"]["milestones"][0].update(
        status="met", dateMet="2011-05-01T00:00:00Z"
    )
    lines = imported(package_of(RELEASE_FILES[0]) | {"releases": [later]})
    assert "0 new milestones" in lines[0]
    step, delivery = (
        Milestone.objects.get(ocds_id="1.0", kind=k) for k in ("preProcurement", "delivery")
    )
    assert (delivery.status, delivery.accepted_on) == ("met", date(2011, 5, 1))
    assert (step.title, step.met_on) == (
        "Strategic outline procurement plan approval",
        date(2009, 3, 14),
    )


def test_a_milestone_met_in_a_later_release_is_updated_not_repeated():
    package = package_of(*RELEASE_FILES[3:])
    contract_release = package["releases"][1]["contracts"][0]
    contract_release["implementation"] = {
        "milestones": [
            {"id": "m1", "title": "Junction", "type": "delivery", "dueDate": "2010-12-01T00:00:00Z"}
        ]
    }
    imported(package_of(*RELEASE_FILES[3:5]) | {"releases": package["releases"][:2]})
    assert Milestone.objects.get().status == "scheduled"
    later = package["releases"][2]["contracts"][0]["implementation"]
    later["milestones"] = [
        {"id": "m1", "status": "met", "type": "delivery", "dateMet": "2010-11-30T00:00:00Z"}
    ]
    lines = imported(package)
    milestone = Milestone.objects.get()
    assert (milestone.title, milestone.status, milestone.accepted_on) == (
        "Junction",
        "met",
        date(2010, 11, 30),
    )
    assert "0 new milestones and 2 new payments" in lines[0]


def test_organisations_are_found_by_register_id_then_by_name(world):
    barnet = organisation("london borough of barnet", OrganisationKind.GOVERNMENT)
    anycorp = organisation("AnyCorp", OrganisationKind.CIVIC)
    PartyIdentifier.objects.create(organisation=anycorp, scheme="GB-COH", identifier="11111111.0")
    lines = imported(example(RELEASE_PACKAGE))
    contract = Contract.objects.get()
    assert (contract.buyer, contract.supplier) == (barnet, anycorp)
    assert not any(line.startswith("New organisation") for line in lines)
    # The buyer found by name keeps its register id, to be found by it next time.
    assert PartyIdentifier.objects.get(organisation=barnet).identifier == "E09000003"


def test_an_open_collaboration_of_the_two_covering_the_start_is_reused(world):
    barnet = organisation("London Borough of Barnet", OrganisationKind.GOVERNMENT)
    anycorp = organisation("AnyCorp Cycle Provision", OrganisationKind.COMPANY)
    ongoing = Collaboration.objects.create(
        model="service_delivery",
        title="Cycling",
        civic_organisation=anycorp,
        institution=barnet,
        start_date=date(2010, 1, 1),
        stage="agreed",
    )
    lines = imported(example(RELEASE_PACKAGE))
    assert Contract.objects.get().collaboration == ongoing
    assert "In the collaboration “Cycling”." in lines
    assert Collaboration.objects.get().stage == "agreed"


def test_a_buyer_that_is_no_government_body_is_refused(world):
    organisation("London Borough of Barnet", OrganisationKind.COMPANY)
    problems = refused(example(RELEASE_PACKAGE))
    assert (
        "at releases[5].parties[0]: the buyer is London Borough of Barnet, which is a company"
        in problems
    )
    assert not Contract.objects.exists()


def test_an_importer_may_import_only_contracts_of_their_organisations(world):
    problems = refused(example(RELEASE_PACKAGE), acting_for={world.civic.pk})
    assert (
        "you can import only contracts of an organisation you are an editor or admin of" in problems
    )
    assert nothing_created()
    barnet = organisation("London Borough of Barnet", OrganisationKind.GOVERNMENT)
    imported(example(RELEASE_PACKAGE), acting_for={barnet.pk})
    assert Contract.objects.get().buyer == barnet
    # Not even whether it was imported is told to someone acting for neither side.
    again = refused(example(RELEASE_PACKAGE), acting_for={world.civic.pk})
    assert "you can import only contracts of an organisation" in again
    assert "Already imported" not in again


# Broken files: refused whole, the release and the JSON path named, nothing created


def test_a_release_without_an_ocid_is_refused_whole():
    package = example(RELEASE_PACKAGE)
    del package["releases"][2]["ocid"]
    problems = refused(package)
    assert problems == (
        "Release “ocds-213czf-000-00001-03-tenderAmendment” (without an ocid), at releases[2].ocid: "
        "is missing."
    )
    assert nothing_created()


def test_an_amount_that_is_no_number_is_refused_whole():
    package = example(RELEASE_PACKAGE)
    package["releases"][4]["contracts"][0]["value"]["amount"] = "11 million"
    problems = refused(package)
    assert problems == (
        "Release “ocds-213czf-000-00001-05-contract” of “ocds-213czf-000-00001”, at "
        'releases[4].contracts[0].value.amount: should be a number or empty, not "11 million".'
    )
    assert nothing_created()


def test_a_date_that_is_no_date_is_refused_whole():
    record = example(RECORD_PACKAGE)
    record["records"][0]["compiledRelease"]["contracts"][0]["dateSigned"] = "2010-06-31T14:23:12Z"
    problems = refused(record)
    assert problems == (
        f"Record “{OCID}”, at records[0].compiledRelease.contracts[0].dateSigned: should be a date "
        'and time such as 2024-05-01T09:30:00Z, not "2010-06-31T14:23:12Z".'
    )
    assert nothing_created()


def test_every_schema_problem_is_listed():
    package = example(RELEASE_PACKAGE)
    package["releases"][0]["date"] = "soon"
    package["releases"][5]["contracts"][0]["implementation"]["transactions"][0]["value"][
        "currency"
    ] = "POUNDS"
    problems = refused(package).splitlines()
    assert len(problems) == 2
    assert "releases[0].date" in problems[0]
    assert "releases[5].contracts[0].implementation.transactions[0].value.currency" in problems[1]


def test_a_payment_in_another_currency_is_refused_naming_its_release():
    package = example(RELEASE_PACKAGE)
    transaction = package["releases"][IMPLEMENTATION]["contracts"][0]["implementation"][
        "transactions"
    ][1]
    transaction["value"]["currency"] = "EUR"
    problems = refused(package)
    assert problems == (
        "Release “ocds-213czf-000-00001-06-implementation” of “ocds-213czf-000-00001”, at "
        "releases[5].contracts[0].implementation.transactions[1].value.currency: the contract is "
        "in GBP, not EUR: nothing here converts currencies."
    )
    assert nothing_created()


def test_an_invoice_number_the_supplier_used_is_refused(world):
    anycorp = organisation("AnyCorp Cycle Provision", OrganisationKind.COMPANY)
    barnet = organisation("London Borough of Barnet", OrganisationKind.GOVERNMENT)
    earlier = Collaboration.objects.create(
        model="service_delivery", title="Earlier", civic_organisation=anycorp, institution=barnet
    )
    contract = Contract.objects.create(
        collaboration=earlier,
        supplier=anycorp,
        buyer=barnet,
        title="Earlier work",
        value=Decimal("1000.00"),
        currency="GBP",
        start_date=date(2009, 1, 1),
        end_date=date(2009, 12, 31),
    )
    Invoice.objects.create(
        contract=contract,
        supplier=anycorp,
        number="ocds-213czf-000-00001-1",
        amount=Decimal("10.00"),
        currency="GBP",
        issued_on=date(2009, 2, 1),
        due_on=date(2009, 3, 1),
    )
    problems = refused(example(RELEASE_PACKAGE))
    assert problems == (
        "Release “ocds-213czf-000-00001-06-implementation” of “ocds-213czf-000-00001”, at "
        "releases[5].contracts[0].implementation.transactions[0].id: AnyCorp Cycle Provision already "
        "has an invoice numbered ocds-213czf-000-00001-1, which this payment's invoice would repeat."
    )
    assert Contract.objects.count() == 1 and not ImportedRelease.objects.exists()


def test_payments_in_the_future_refunds_and_too_much_are_refused():
    package = example(RELEASE_PACKAGE)
    transactions = package["releases"][IMPLEMENTATION]["contracts"][0]["implementation"][
        "transactions"
    ]
    transactions[0]["date"] = f"{days_ago(-3)}T00:00:00Z"
    transactions[1]["value"]["amount"] = -10
    transactions.append(
        {**copy.deepcopy(transactions[0]), "id": "3", "date": "2011-01-01T00:00:00Z"}
    )
    transactions[2]["value"]["amount"] = 11000000
    problems = refused(package).splitlines()
    assert "transactions[0].date: This date is in the future" in problems[0]
    assert "transactions[1].value.amount: a payment is more than nothing" in problems[1]
    assert "releases[5].contracts[0].value.amount: the payments come to" in problems[2]
    assert nothing_created()


def test_a_milestone_of_the_contract_outside_its_dates_is_refused():
    package = example(RELEASE_PACKAGE)
    package["releases"][IMPLEMENTATION]["contracts"][0]["implementation"]["milestones"] = [
        {"id": "late", "title": "Snagging", "type": "delivery", "dueDate": "2012-01-01T00:00:00Z"}
    ]
    # A deliverable is the contract's, wherever the file puts it.
    package["releases"][0]["planning"]["milestones"].append(
        {"id": "3.0", "title": "Design", "type": "delivery", "dueDate": "2009-06-01T00:00:00Z"}
    )
    problems = refused(package).splitlines()
    assert problems == [
        "Release “ocds-213czf-000-00001-01-planning” of “ocds-213czf-000-00001”, at "
        "releases[0].planning.milestones[2].dueDate: the milestone is due on 1 Jun 2009, outside "
        "the contract, from 1 Jul 2010 to 30 Jun 2011.",
        "Release “ocds-213czf-000-00001-06-implementation” of “ocds-213czf-000-00001”, at "
        "releases[5].contracts[0].implementation.milestones[0].dueDate: the milestone is due on "
        "1 Jan 2012, outside the contract, from 1 Jul 2010 to 30 Jun 2011.",
    ]
    assert nothing_created()


def test_a_step_of_the_procurement_after_the_contract_is_kept():
    package = example(RELEASE_PACKAGE)
    package["releases"][IMPLEMENTATION]["contracts"][0]["implementation"]["milestones"] = [
        {
            "id": "review",
            "title": "Post-project review",
            "type": "assessment",
            "dueDate": "2012-01-01T00:00:00Z",
        }
    ]
    imported(package)
    assert Milestone.objects.get(ocds_id="review").due_on == date(2012, 1, 1)


def test_a_step_of_the_procurement_priced_in_another_currency_is_refused_at_its_path():
    package = example(RELEASE_PACKAGE)
    package["releases"][1]["tender"]["milestones"] = [
        {
            "id": "t1",
            "title": "Bid bond",
            "type": "assessment",
            "dueDate": "2010-04-01T10:00:00Z",
            "value": {"amount": 100, "currency": "EUR"},
        }
    ]
    assert refused(package) == (
        "Release “ocds-213czf-000-00001-02-tender” of “ocds-213czf-000-00001”, at "
        "releases[1].tender.milestones[0].value.currency: the contract is in GBP, not EUR: "
        "nothing here converts currencies."
    )
    assert nothing_created()


def test_a_broken_process_refuses_the_whole_file():
    package = example(RELEASE_PACKAGE)
    other = copy.deepcopy(package["releases"][IMPLEMENTATION])
    other.update(ocid="ocds-213czf-000-00002", id="other-06")
    other["contracts"][0]["implementation"]["transactions"][0]["value"]["currency"] = "EUR"
    package["releases"].append(other)
    problems = refused(package)
    assert "Release “other-06” of “ocds-213czf-000-00002”" in problems
    assert nothing_created()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"{not json",
            "The file is not valid JSON: Expecting property name enclosed in double quotes at line 1",
        ),
        (b"\xff\xfe", "The file is not UTF-8 text"),
        (b"[]", "The file is not an OCDS package"),
        (b'{"records": "none", "x": 1}', "The package, at records: should be a list"),
        (raw(example(RELEASE_FILES[0])["releases"][0]), "The file is a single release"),
        (b'{"releases": [{"amount": NaN}]}', "NaN is not a number"),
    ],
)
def test_what_is_not_an_ocds_package_is_refused(content, message):
    assert message in refused(content)
    assert nothing_created()


def test_a_record_without_a_compiled_release_or_releases_is_refused():
    record = example(RECORD_PACKAGE)
    del record["records"][0]["compiledRelease"]
    assert "has neither a compiled release nor its releases" in refused(record)


def test_two_contracts_in_one_process_are_refused():
    package = example(RELEASE_PACKAGE)
    deal = package["releases"][IMPLEMENTATION]["contracts"]
    deal.append({**copy.deepcopy(deal[0]), "id": "second"})
    assert (
        "releases[5].contracts: the process has 2 of them; Civic Bridge keeps one contract"
        in refused(package)
    )


# Round trip and the command


def test_an_export_imports_elsewhere_as_the_same_contract(world):
    contract = demo_like_contract(world)
    milestones = sorted(
        (m.kind, m.title, m.due_on, m.status, m.amount) for m in contract.milestones.all()
    )
    payments = sorted(
        (p.paid_on, p.amount) for p in Payment.objects.filter(invoice__contract=contract)
    )
    text = export.to_json(export.record_package(contract)).encode()
    ocid, terms = export.ocid_for(contract), (contract.title, contract.value, contract.currency)
    dates = (contract.start_date, contract.end_date)
    contract.collaboration.delete()  # elsewhere: only the organisations are known
    outcomes = import_ocds(world.civic_lead, text, acting_for={world.civic.pk})
    again = outcomes[0].contract
    assert again is not None
    assert (again.ocid, (again.title, again.value, again.currency)) == (ocid, terms)
    assert (again.start_date, again.end_date, again.status) == (*dates, "active")
    assert (again.supplier, again.buyer, again.is_fully_signed()) == (
        world.civic,
        world.institution,
        True,
    )
    assert (
        sorted((m.kind, m.title, m.due_on, m.status, m.amount) for m in again.milestones.all())
        == milestones
    )
    assert (
        sorted((p.paid_on, p.amount) for p in Payment.objects.filter(invoice__contract=again))
        == payments
    )
    assert again.collaboration.stage == "active"


def test_the_example_exported_imports_elsewhere_with_its_steps_under_planning():
    imported(example(RECORD_PACKAGE))
    contract = export.for_export(Contract.objects.all()).get()
    record = json.loads(export.to_json(export.record_package(contract)))
    compiled = record["records"][0]["compiledRelease"]
    assert [
        (m["id"], m["type"], m["status"], m["dueDate"], m.get("dateMet"))
        for m in compiled["planning"]["milestones"]
    ] == [
        ("1.0", "preProcurement", "met", "2009-03-14T00:00:00Z", "2009-03-14T00:00:00Z"),
        ("2.0", "engagement", "scheduled", "2009-05-01T00:00:00Z", None),
    ]
    assert "milestones" not in compiled["contracts"][0]["implementation"]
    releases = export.release_package(contract)["releases"]
    steps = {r["tag"][0]: len(r.get("planning", {}).get("milestones", [])) for r in releases}
    assert steps == {"planning": 2, "award": 0, "contract": 0, "implementation": 0}
    contract.collaboration.delete()  # elsewhere: only the organisations are known
    lines = imported(record)
    assert not any(line.startswith(("New organisation", "Not imported")) for line in lines)
    assert_the_cycle_lanes_contract()


def test_a_contract_made_here_is_not_imported_over_itself(world):
    contract = demo_like_contract(world)
    text = export.to_json(export.release_package(contract)).encode()
    with pytest.raises(OcdsError, match="is the ocid of a contract made here"):
        import_ocds(None, text)


def test_the_command_reports_what_it_created(capsys):
    call_command("import_ocds", str(EXAMPLES / RECORD_PACKAGE))
    out = capsys.readouterr().out
    assert "Created the contract “Contract to build new cycle lanes" in out
    assert_the_cycle_lanes_contract()
    call_command("import_ocds", str(EXAMPLES / RECORD_PACKAGE))
    assert "Already imported" in capsys.readouterr().out


def test_the_command_fails_with_every_problem_and_exit_code_one(tmp_path, capsys, monkeypatch):
    broken = example(RELEASE_PACKAGE)
    del broken["releases"][2]["ocid"]
    path = tmp_path / "broken.json"
    path.write_bytes(raw(broken))
    with pytest.raises(
        CommandError, match=r"Nothing was imported\.\nRelease .* at releases\[2\]\.ocid"
    ):
        call_command("import_ocds", str(path))
    from django.core.management import ManagementUtility
    from django.db import connections

    # As from a shell; but a command run so closes every connection, the test's own too.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_code:
        ManagementUtility(["manage.py", "import_ocds", str(path)]).execute()
    assert exit_code.value.code == 1
    assert "Nothing was imported." in capsys.readouterr().err
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_ocds", str(tmp_path / "missing.json"))
    assert nothing_created()


def test_release_dates_are_recorded(world):
    imported(example(RELEASE_PACKAGE))
    first, last = ImportedRelease.objects.earliest("date"), ImportedRelease.objects.latest("date")
    assert first.release_id == "ocds-213czf-000-00001-01-planning"
    assert first.date == datetime.fromisoformat("2009-03-15T14:45:00Z")
    assert first.tags == ["planning"]
    assert last.date - first.date == timedelta(days=665, hours=18, minutes=45)
