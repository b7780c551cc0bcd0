"""Write a contract as OCDS 1.1.5: its releases, a release package and a record package.

A release is published for each stage that has happened, and each repeats what the
earlier ones said, as the standard's examples do:

- planning: the route the collaboration chose (its procurement plan) as a planned tender,
  and the steps of the procurement (a consultation, an approval) as planning milestones,
  published when there is either; later releases leave the planning out, and the
  compiled release keeps it from this one;
- award: the supplier chosen, with the value and dates first agreed;
- contract: the contract as it stands, its signature date and its variations as amendments;
- implementation: the contract's own milestones, the payments as transactions, and the
  invoices and credit notes as documents (OCDS has no invoice object).

A release's date is the last change to the records it shows, and its id is made from
what it says, so exporting again without a change gives the same file, and any change
gives a new release. Every package is validated against the official schemas before it leaves:
an invalid one raises `OcdsError` instead of being published.
"""

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from civicbridge.partners.models import Organisation

from ..choices import ContractStatus, MilestoneKind, MilestoneStatus, Route
from ..models import Contract, Invoice, PartyIdentifier, ProcurementPlan
from ..money import Money
from .compile import compile_releases
from .validation import RECORD_PACKAGE, RELEASE_PACKAGE, OcdsError, problems, validator

VERSION = "1.1"
# The procurement method (OCDS `method` codelist) that each route comes closest to.
METHOD = {
    Route.OPEN_TENDER: "open",
    Route.FRAMEWORK: "selective",
    Route.INNOVATION: "selective",
    Route.DIRECT_AWARD: "direct",
    Route.DONATION: "direct",
    Route.PRO_BONO: "direct",
    Route.GRANT: "direct",
}
AWARD_STATUS = {
    ContractStatus.PENDING: "pending",
    ContractStatus.ACTIVE: "active",
    ContractStatus.TERMINATED: "active",
    ContractStatus.CANCELLED: "cancelled",
}
PUBLIC_STATUSES = (ContractStatus.ACTIVE, ContractStatus.TERMINATED)
# Codes outside the open documentType codelist, which has none for these.
INVOICE_DOCUMENT = "invoice"
CREDIT_NOTE_DOCUMENT = "creditNote"


def ocid_for(contract: Contract) -> str:
    """The contract's own ocid, or one made of the OCDS_PREFIX setting and its id."""
    return contract.ocid or f"{settings.OCDS_PREFIX}{contract.pk}"


def is_published(contract: Contract) -> bool:
    """Anyone may download a contract in force, or ended, of a public collaboration."""
    return contract.collaboration.public and contract.status in PUBLIC_STATUSES


def for_export(contracts):
    """`contracts` with everything the export reads, in a fixed number of queries."""
    invoices = Invoice.objects.order_by("issued_on", "id").prefetch_related(
        "payments", "creditnotes"
    )
    identifiers = PartyIdentifier.objects.order_by("scheme", "id")
    return contracts.select_related(
        "collaboration", "supplier__supplier_profile", "buyer__supplier_profile"
    ).prefetch_related(
        "milestones__invoices",
        "variations",
        "signatures",
        Prefetch("invoices", queryset=invoices),
        Prefetch("supplier__party_identifiers", queryset=identifiers),
        Prefetch("buyer__party_identifiers", queryset=identifiers),
    )


def release_package(contract: Contract) -> dict:
    """The contract's releases in a validated release package."""
    releases = contract_releases(contract)
    package = {
        "uri": package_uri(contract, "release"),
        "version": VERSION,
        "publishedDate": max(release["date"] for release in releases),
        "publisher": publisher(),
        "releases": releases,
    }
    return validated(package, RELEASE_PACKAGE)


def record_package(contract: Contract) -> dict:
    """The contract's record, linking its releases and compiling them, validated."""
    releases = contract_releases(contract)
    releases_uri = package_uri(contract, "release")
    record = {
        "ocid": ocid_for(contract),
        "releases": [
            {
                "url": f"{releases_uri}#{release['id']}",
                "date": release["date"],
                "tag": release["tag"],
            }
            for release in releases
        ],
        "compiledRelease": compile_releases(releases),
    }
    package = {
        "uri": package_uri(contract, "record"),
        "version": VERSION,
        "publishedDate": max(release["date"] for release in releases),
        "publisher": publisher(),
        "packages": [releases_uri],
        "records": [record],
    }
    return validated(package, RECORD_PACKAGE)


def validated(package: dict, schema: str) -> dict:
    """`package` if the official schema accepts it; OcdsError with every problem if not."""
    found = problems(package, validator(schema).iter_errors(package))
    if found:
        raise OcdsError(found)
    return package


def to_json(package: dict) -> str:
    """The package as JSON text, amounts written as the exact numbers they are."""
    return json.dumps(package, indent=2, ensure_ascii=False, default=_number) + "\n"


def _number(value: Any) -> int | float:
    # JSON has one kind of number. An amount has at most 14 digits, which a float's
    # shortest form writes back exactly, so the file holds the Decimal's own digits.
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def package_uri(contract: Contract, kind: str) -> str:
    """Where the package is downloaded: the public address when anyone may."""
    public = is_published(contract)
    name = {
        ("release", True): "procurement:ocds_public_releases",
        ("release", False): "procurement:ocds_releases",
        ("record", True): "procurement:ocds_public_record",
        ("record", False): "procurement:ocds_record",
    }[(kind, public)]
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[contract.pk])


def publisher() -> dict:
    return {"name": "Civic Bridge", "uri": settings.SITE_URL}


# The releases


def contract_releases(contract: Contract) -> list[dict]:
    """The contract's releases, oldest first."""
    ocid = ocid_for(contract)
    parts = _Parts(contract, ocid)
    releases = []
    if parts.plan is not None or parts.steps:
        releases.append(
            _release(
                ocid,
                "planning",
                max(parts.planning_changes()),
                {
                    "parties": [parts.planning_party],
                    "buyer": parts.buyer_ref,
                    **parts.planning(),
                    **parts.tender("planned"),
                },
            )
        )
    both = {"parties": parts.parties, "buyer": parts.buyer_ref, **parts.tender("complete")}
    releases.append(_release(ocid, "award", contract.created_at, {**both, "awards": [parts.award]}))
    signed = {**both, "awards": [parts.award], "contracts": [parts.contract_block]}
    releases.append(_release(ocid, "contract", contract.updated_at, signed))
    implementation = parts.implementation()
    if implementation:
        moment = max([contract.updated_at, *parts.changes()])
        done = {**signed, "contracts": [{**parts.contract_block, "implementation": implementation}]}
        releases.append(_release(ocid, "implementation", moment, done))
    # A plan changed after the award is the latest release: a record lists them by date.
    return sorted(releases, key=lambda release: release["date"])


def _release(ocid: str, tag: str, moment: datetime, body: dict) -> dict:
    release = {
        "ocid": ocid,
        "date": instant(moment),
        "tag": [tag],
        "initiationType": "tender",
        "language": settings.LANGUAGE_CODE,
        **body,
    }
    # The id names what the release says: the same content, the same id; any change, a new one.
    digest = hashlib.sha256(to_json(release).encode()).hexdigest()[:12]
    return {"id": f"{ocid}-{tag}-{digest}", **release}


class _Parts:
    """The blocks the releases share, each built once from the prefetched contract."""

    def __init__(self, contract: Contract, ocid: str) -> None:
        self.row = contract
        self.ocid = ocid
        try:
            self.plan: ProcurementPlan | None = contract.collaboration.procurement_plan
        except ObjectDoesNotExist:
            self.plan = None
        milestones = list(contract.milestones.all())
        # The steps of the procurement go under planning; the rest are the contract's.
        self.steps = [m for m in milestones if m.procurement_step]
        self.milestones = [m for m in milestones if not m.procurement_step]
        payer = ["payer"] if self._payments() else []
        payee = ["payee"] if payer else []
        # Before the award the buyer only plans; once it pays, it is the payer as well.
        self.planning_party = party(contract.buyer, ["buyer", "procuringEntity"])
        self.parties = [
            party(contract.buyer, ["buyer", "procuringEntity", *payer]),
            party(contract.supplier, ["supplier", *payee]),
        ]
        self.buyer_ref = reference(contract.buyer)
        self.supplier_ref = reference(contract.supplier)
        self.award = self._award()
        self.contract_block = self._contract()

    def _payments(self) -> list:
        return [p for invoice in self.row.invoices.all() for p in invoice.payments.all()]

    def planning(self) -> dict:
        """The planning block, when there are steps of the procurement to show."""
        if not self.steps:
            return {}
        return {"planning": {"milestones": [milestone(m) for m in self.steps]}}

    def planning_changes(self) -> list[datetime]:
        """When the plan and each step of the procurement last changed."""
        moments = [m.updated_at for m in self.steps]
        return [self.plan.updated_at, *moments] if self.plan is not None else moments

    def tender(self, status: str) -> dict:
        """The tender block, when the collaboration chose a route."""
        if self.plan is None:
            return {}
        plan = self.plan
        return {
            "tender": {
                "id": f"{self.ocid}-tender",
                "title": self.row.collaboration.title,
                "status": status,
                "mainProcurementCategory": "services",
                "procurementMethod": METHOD[Route(plan.route)],
                "procurementMethodDetails": plan.get_route_display(),
                "procurementMethodRationale": plan.verdict_reason,
                "value": value(plan.estimated_value, plan.currency),
                "procuringEntity": self.buyer_ref,
            }
        }

    def _award(self) -> dict:
        contract = self.row
        variations = list(contract.variations.all())
        first_value = variations[0].old_value if variations else contract.value
        first_end = variations[0].old_end_date if variations else contract.end_date
        return {
            "id": f"{self.ocid}-award",
            "title": contract.title,
            "status": AWARD_STATUS[ContractStatus(contract.status)],
            "date": instant(contract.created_at),
            "value": value(first_value, contract.currency),
            "suppliers": [self.supplier_ref],
            "contractPeriod": period(contract.start_date, first_end),
        }

    def _contract(self) -> dict:
        contract = self.row
        block: dict[str, Any] = {
            "id": f"{self.ocid}-contract",
            "awardID": self.award["id"],
            "title": contract.title,
            "status": contract.status,
            "period": period(contract.start_date, contract.end_date),
            "value": value(contract.value, contract.currency),
        }
        if contract.description:
            block["description"] = contract.description
        standing = contract.standing_signatures()
        if contract.is_fully_signed():
            block["dateSigned"] = instant(max(s.signed_at for s in standing.values()))
        amendments = [amendment(v, contract.currency) for v in contract.variations.all()]
        if amendments:
            block["amendments"] = amendments
        return block

    def implementation(self) -> dict:
        """Milestones, transactions and documents, or an empty dict when there are none."""
        contract = self.row
        block: dict[str, list] = {}
        milestones = [milestone(m) for m in self.milestones]
        transactions = [
            transaction(p, payer=self.buyer_ref, payee=self.supplier_ref) for p in self._payments()
        ]
        documents = [
            doc for invoice in contract.invoices.all() for doc in invoice_documents(invoice)
        ]
        for key, items in (
            ("milestones", milestones),
            ("transactions", transactions),
            ("documents", documents),
        ):
            if items:
                block[key] = items
        return block

    def changes(self) -> list[datetime]:
        """When each record the implementation release shows last changed."""
        contract = self.row
        moments = [m.updated_at for m in self.milestones]
        for invoice in contract.invoices.all():
            moments.append(invoice.updated_at)
            moments += [p.updated_at for p in invoice.payments.all()]
            moments += [c.updated_at for c in invoice.creditnotes.all()]
        return moments


# The blocks


def instant(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def day(on: date) -> str:
    """A day as the date-time OCDS wants: its first second, in UTC."""
    return f"{on.isoformat()}T00:00:00Z"


def period(start: date, end: date) -> dict:
    return {"startDate": day(start), "endDate": f"{end.isoformat()}T23:59:59Z"}


def value(amount: Decimal, currency: str) -> dict:
    return {"amount": amount, "currency": currency}


def party_id(organisation: Organisation) -> str:
    """The id that names the organisation within a release: its register id if known."""
    registered = organisation.party_identifiers.all()
    if registered:
        return str(registered[0])
    return f"civicbridge-{organisation.popolo_id}"


def reference(organisation: Organisation) -> dict:
    return {"id": party_id(organisation), "name": organisation.name}


def party(organisation: Organisation, roles: list[str]) -> dict:
    block: dict[str, Any] = {**reference(organisation), "roles": roles}
    known = identifier(organisation)
    if known:
        block["identifier"] = known
    address = {"locality": organisation.city, "countryName": organisation.country}
    address = {key: text for key, text in address.items() if text}
    if address:
        block["address"] = address
    if organisation.website:
        block["contactPoint"] = {"url": organisation.website}
    return block


def identifier(organisation: Organisation) -> dict:
    """The organisation's id in a register, or its registration number from its supplier
    profile (whose register is not known), or nothing."""
    registered = organisation.party_identifiers.all()
    if registered:
        first = registered[0]
        known = {"scheme": first.scheme, "id": first.identifier}
        return {**known, "legalName": first.legal_name} if first.legal_name else known
    try:
        profile = organisation.supplier_profile
    except ObjectDoesNotExist:
        return {}
    known = {"legalName": profile.legal_name}
    return {**known, "id": profile.registration_number} if profile.registration_number else known


def amendment(variation, currency: str) -> dict:
    return {
        "id": f"variation-{variation.number}",
        "date": day(variation.agreed_on),
        "rationale": variation.reason,
        "description": _("Value %(old)s → %(new)s; end date %(old_end)s → %(new_end)s.")
        % {
            "old": Money(variation.old_value, currency),
            "new": Money(variation.new_value, currency),
            "old_end": variation.old_end_date,
            "new_end": variation.new_end_date,
        },
    }


def milestone(row) -> dict:
    """A milestone; a payment milestone also says how much is due, under `value`, a
    field outside the core schema, which allows it, since OCDS 1.1 has none for it."""
    block: dict[str, Any] = {
        "id": row.ocds_id or f"milestone-{row.pk}",
        "title": row.title,
        "type": row.kind,
        "dueDate": day(row.due_on),
        "status": row.status,
    }
    if row.description:
        block["description"] = row.description
    met = _date_met(row)
    if met:
        block["dateMet"] = day(met)
    if row.kind == MilestoneKind.PAYMENT and row.amount is not None:
        block["value"] = value(row.amount, row.currency)
    return block


def _date_met(row) -> date | None:
    """A deliverable is met when the buyer accepts it, a payment when its invoice is paid,
    and the other kinds on the day kept as they were met."""
    if row.status != MilestoneStatus.MET:
        return None
    if row.kind == MilestoneKind.PAYMENT:
        settled = [invoice.settled_on for invoice in row.invoices.all() if invoice.settled_on]
        return max(settled) if settled else None
    return row.accepted_on if row.needs_acceptance else row.met_on


def transaction(payment, *, payer: dict, payee: dict) -> dict:
    return {
        "id": payment.ocds_id or f"payment-{payment.pk}",
        "date": day(payment.paid_on),
        "value": value(payment.amount, payment.currency),
        "payer": payer,
        "payee": payee,
    }


def invoice_documents(invoice: Invoice) -> list[dict]:
    """The invoice, and each credit note against it, as implementation documents."""
    amount = Money(invoice.amount, invoice.currency)
    described = _("Invoice %(number)s for %(amount)s, issued %(issued)s, due %(due)s.") % {
        "number": invoice.number,
        "amount": amount,
        "issued": invoice.issued_on,
        "due": invoice.due_on,
    }
    if invoice.settled_on:
        described += " " + _("Settled %(day)s.") % {"day": invoice.settled_on}
    documents = [
        {
            "id": f"invoice-{invoice.number}",
            "documentType": INVOICE_DOCUMENT,
            "title": _("Invoice %(number)s") % {"number": invoice.number},
            "description": described,
            "datePublished": day(invoice.issued_on),
        }
    ]
    for note in invoice.creditnotes.all():
        documents.append(
            {
                "id": f"credit-note-{invoice.number}-{note.number}",
                "documentType": CREDIT_NOTE_DOCUMENT,
                "title": _("Credit note %(number)s") % {"number": note.number},
                "description": _("%(amount)s off invoice %(invoice)s: %(reason)s")
                % {
                    "amount": Money(note.amount, note.currency),
                    "invoice": invoice.number,
                    "reason": note.reason,
                },
                "datePublished": day(note.issued_on),
            }
        )
    return documents
