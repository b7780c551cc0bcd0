"""What the OCDS tests share: a contract like the demo's, made through the services, and the
fictional OCDS example shipped in tests/data/ocds/."""

import copy
import json
from decimal import Decimal
from pathlib import Path

from civicbridge.procurement.models import Contract, Milestone
from civicbridge.procurement.ocds import export
from civicbridge.procurement.services import contracts, invoices
from civicbridge.procurement.services.routes import choose_route

from .contract_helpers import days_ago, draft, service_delivery, sign_both

EXAMPLES = Path(__file__).parent / "data" / "ocds"
OCID = "ocds-213czf-000-00001"
RELEASE_FILES = [
    "ocds-213czf-000-00001-01-planning.json",
    "ocds-213czf-000-00001-02-tender.json",
    "ocds-213czf-000-00001-03-tenderAmendment.json",
    "ocds-213czf-000-00001-04-award.json",
    "ocds-213czf-000-00001-05-contract.json",
    "ocds-213czf-000-00001-06-implementation.json",
]
RELEASE_PACKAGE = "ocds-213czf-000-00001.json"
RECORD_PACKAGE = "record-ocds-213czf-000-00001.json"


def example(name: str) -> dict:
    """One of the fictional example's files, as data to change in a test."""
    return json.loads((EXAMPLES / name).read_text())


def raw(data: dict) -> bytes:
    return json.dumps(data).encode()


def package_of(*names: str) -> dict:
    """A release package of the releases of the named single-release files."""
    package = example(names[0])
    package["releases"] = [example(name)["releases"][0] for name in names]
    return copy.deepcopy(package)


def demo_like_contract(world) -> Contract:
    """A direct award signed by both sides, with a deliverable accepted, a payment
    milestone billed and paid in two parts, a second invoice with a credit note, and a
    variation of its value."""
    collaboration = service_delivery(world)
    choose_route(
        world.civic_lead,
        collaboration,
        route="direct_award",
        jurisdiction=None,
        estimated_value=Decimal("100000.00"),
        currency="AUD",
        procurement_starts_on=days_ago(260),
    )
    contract = draft(world, collaboration)
    delivery = contracts.add_milestone(
        world.civic_lead, contract, kind="delivery", title="Portal live", due_on=days_ago(90)
    )
    instalment = contracts.add_milestone(
        world.civic_lead,
        contract,
        kind="payment",
        title="First instalment",
        due_on=days_ago(60),
        amount=Decimal("40000.00"),
        currency="AUD",
    )
    contract = sign_both(world, contract)
    contracts.deliver_milestone(world.civic_lead, _fresh(delivery), on=days_ago(95))
    contracts.accept_milestone(world.official, _fresh(delivery), outcome="met", on=days_ago(92))
    bill = invoices.add_invoice(
        world.civic_lead,
        contract,
        number="INV-001",
        amount=Decimal("40000.00"),
        currency="AUD",
        issued_on=days_ago(100),
        milestone=instalment,
    )
    invoices.record_payment(
        world.official, bill, amount=Decimal("25000.50"), currency="AUD", paid_on=days_ago(70)
    )
    invoices.record_payment(
        world.official, bill, amount=Decimal("14999.50"), currency="AUD", paid_on=days_ago(40)
    )
    second = invoices.add_invoice(
        world.civic_lead,
        contract,
        number="INV-002",
        amount=Decimal("10000.00"),
        currency="AUD",
        issued_on=days_ago(20),
    )
    invoices.add_credit_note(
        world.civic_lead,
        second,
        number="CN-1",
        amount=Decimal("500.00"),
        currency="AUD",
        issued_on=days_ago(10),
        reason="One form was not needed.",
    )
    contracts.record_variation(
        world.civic_lead,
        contract,
        reason="Two more permit forms.",
        agreed_on=days_ago(5),
        new_value=Decimal("120000.00"),
        currency="AUD",
    )
    return exported(contract)


def exported(contract: Contract) -> Contract:
    """The contract as the export reads it."""
    return export.for_export(Contract.objects.filter(pk=contract.pk)).get()


def _fresh(milestone: Milestone) -> Milestone:
    return Milestone.objects.select_related("contract__collaboration").get(pk=milestone.pk)
