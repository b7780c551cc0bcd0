"""Import an OCDS release package or record package as contracts (S8).

The whole file is checked against the official schema first: an invalid file is refused
whole, each problem named by release and JSON path. Then, in one transaction, each
contracting process (ocid) of the file is written from its compiled release:

- its buyer and supplier are found by their register id, then by name, or created (the
  buyer as a government body, the supplier as a company);
- a service-delivery collaboration between them that covers the contract's start is
  found, or one is created at the stage the contract's status implies;
- the contract is created with its milestones, and every transaction becomes a payment
  against an invoice that stands in for the one OCDS does not publish;
- every release is recorded, so importing it again creates nothing, and new releases of
  a process imported before update its contract.

An import records what already happened, a contract signed and invoices paid, which the
contract room's services cannot replay: they ask the signer's password and take invoices
only while a contract is in force, from someone acting for a side. So the import writes
the rows itself and holds them to the same rules through the checks those services use:
the contract's currency and dates, the contract's own milestones within its dates (a
step of the procurement may come before it starts), milestones priced in its currency,
payments in its currency and never in the future, invoices within the contract's value
and one number per supplier, and a variation for a signed contract's new value or end
date. A process that breaks a rule refuses the whole file.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.choices import Model, Stage
from civicbridge.collaborations.lifecycle import STAGES
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import record_activity
from civicbridge.collaborations.services.checkins import refresh_owed_checkins
from civicbridge.core import audit, formats
from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.partners.imports import ImportFailed, Progress, no_progress
from civicbridge.partners.models import ImportRun, Organisation
from civicbridge.partners.permissions import acting_organisation_ids

from ..choices import ContractStatus, MilestoneKind, Source
from ..models import (
    Contract,
    ContractSignature,
    ImportedRelease,
    Invoice,
    Milestone,
    Payment,
    Variation,
)
from ..money import Money, settled_on
from ..services.validation import invoiced_net
from .organisations import find_organisation, learn_identifier, new_organisation
from .reading import Process, ReleaseRef, read_processes
from .rules import contract_problems, milestone_problems, payment_problems
from .terms import (
    ContractTerms,
    MilestoneTerms,
    PaymentTerms,
    Unreadable,
    read_instant,
    read_terms,
)
from .validation import OcdsError

# Who wrote a row is empty when the command imports: nobody signed in.
WHO = ["created_by", "recorded_by"]
STAGE_FOR_STATUS = {
    ContractStatus.PENDING: Stage.PREPARING,  # awaiting signatures
    ContractStatus.ACTIVE: Stage.ACTIVE,
    ContractStatus.TERMINATED: Stage.CLOSED,
    ContractStatus.CANCELLED: Stage.CLOSED,
}


@dataclass
class Outcome:
    """What the import did with one process, in sentences for the person who imported."""

    ocid: str
    contract: Contract | None
    lines: list[str] = field(default_factory=list)


def import_ocds(
    actor,
    raw: bytes | IO[bytes],
    *,
    acting_for: set[int] | None = None,
    progress: Progress = no_progress,
) -> list[Outcome]:
    """Import the file `raw`; with `acting_for`, only processes whose buyer or supplier
    is one of those organisations. Raises OcdsError, having changed nothing, on any problem."""
    progress(_("Checking the file against the OCDS schema"), 0, 0)
    processes = read_processes(raw)
    outcomes: list[Outcome] = []
    problems: list[str] = []
    try:
        with transaction.atomic():
            for done, process in enumerate(processes, start=1):
                progress(_("Importing the contracting processes"), done, len(processes))
                try:
                    outcomes.append(_import_process(actor, process, acting_for))
                except Unreadable as refusal:
                    problems += refusal.problems
            if problems:
                raise OcdsError(problems)
    except IntegrityError:
        raise OcdsError(
            [
                _(
                    "Someone imported the same releases at the same moment, so nothing was "
                    "imported: import the file again to see what is new."
                )
            ]
        ) from None
    return outcomes


def run_import(run: ImportRun, progress: Progress) -> list[str]:
    """Import an upload in the task worker, for the organisations its uploader acts for."""
    actor = run.created_by
    acting_for = acting_organisation_ids(actor, Access.MEMBER) if actor else set()
    try:
        with run.file.open("rb") as upload:
            outcomes = import_ocds(actor, upload, acting_for=acting_for, progress=progress)
    except OcdsError as error:
        raise ImportFailed(error.problems) from None
    return [line for outcome in outcomes for line in outcome.lines]


def _import_process(actor, process: Process, acting_for: set[int] | None) -> Outcome:
    known = set(
        ImportedRelease.objects.filter(ocid=process.ocid).values_list("release_id", flat=True)
    )
    new = [ref for ref in process.releases if ref.id not in known]
    contract = _contract_of(process.ocid)
    if contract is not None and not _yours(contract.buyer, contract.supplier, acting_for):
        raise Unreadable([_not_yours(process.ocid, contract.buyer.name, contract.supplier.name)])
    if not new:
        return Outcome(
            process.ocid,
            contract,
            [
                _("Already imported: “%(ocid)s”, %(count)d releases; nothing changed.")
                % {"ocid": process.ocid, "count": len(process.releases)}
            ],
        )
    if contract is not None and contract.source != Source.OCDS:
        raise Unreadable(
            [
                _(
                    "“%(ocid)s” is the ocid of a contract made here, “%(title)s”: Civic Bridge "
                    "does not import its own contracts over themselves."
                )
                % {"ocid": process.ocid, "title": contract}
            ]
        )
    terms = read_terms(process)
    if contract is None:
        outcome = _create(actor, process, terms, acting_for)
    else:
        outcome = _update(actor, process, terms, contract, new)
    assert outcome.contract is not None
    ImportedRelease.objects.bulk_create(
        ImportedRelease(
            ocid=process.ocid,
            release_id=ref.id[:200],
            contract=outcome.contract,
            date=read_instant(ref.date),
            tags=ref.tags,
        )
        for ref in new
    )
    if terms.left_out:
        outcome.lines.append(_("Not imported: %(what)s.") % {"what": "; ".join(terms.left_out)})
    return outcome


def _contract_of(ocid: str) -> Contract | None:
    """The contract with this ocid: its own, or the one the export gives a contract made
    here, the OCDS_PREFIX setting and its id."""
    contracts = Contract.objects.select_related("collaboration", "supplier", "buyer")
    found = contracts.filter(ocid=ocid).first()
    number = ocid.removeprefix(settings.OCDS_PREFIX)
    if found is None and ocid.startswith(settings.OCDS_PREFIX) and number.isdigit():
        found = contracts.filter(pk=int(number), ocid__isnull=True).first()
    return found


# A new contract


def _create(actor, process: Process, terms: ContractTerms, acting_for: set[int] | None) -> Outcome:
    buyer, problems = find_organisation(process, terms.buyer, buyer=True)
    supplier, more = find_organisation(process, terms.supplier, buyer=False)
    problems += more
    if not _yours(buyer, supplier, acting_for):
        # Say nothing more about organisations the importer does not act for.
        raise Unreadable([_not_yours(process.ocid, terms.buyer.name, terms.supplier.name)])
    if buyer is not None and buyer == supplier:
        problems.append(
            process.problem(
                terms.supplier.steps, _("the buyer and the supplier are one organisation.")
            )
        )
    problems += contract_problems(process, terms)
    problems += milestone_problems(process, terms, terms.milestones)
    problems += payment_problems(process, terms, terms.payments, supplier, invoiced=Decimal(0))
    if problems:
        raise Unreadable(problems)
    lines: list[str] = []
    buyer = buyer or new_organisation(actor, terms.buyer, OrganisationKind.GOVERNMENT, lines)
    supplier = supplier or new_organisation(actor, terms.supplier, OrganisationKind.COMPANY, lines)
    learn_identifier(actor, buyer, terms.buyer)
    learn_identifier(actor, supplier, terms.supplier)
    collaboration = _collaboration(actor, terms, supplier, buyer, lines)
    contract = Contract(
        collaboration=collaboration,
        supplier=supplier,
        buyer=buyer,
        title=terms.title,
        description=terms.description,
        ocid=process.ocid,
        value=terms.value,
        currency=terms.currency,
        start_date=terms.start_date,
        end_date=terms.end_date,
        status=terms.status,
        source=Source.OCDS,
        created_by=_user(actor),
    )
    contract.full_clean(exclude=WHO)
    contract.save()
    audit.log_created(actor, contract)
    _sign(actor, contract, terms)
    for milestone in terms.milestones:
        _add_milestone(actor, contract, milestone)
    for payment in terms.payments:
        _add_payment(actor, contract, payment)
    paid = sum((p.amount for p in terms.payments), Decimal(0))
    summary = _(
        "Created the contract “%(title)s” (%(ocid)s) between %(buyer)s, the buyer, and "
        "%(supplier)s, the supplier: %(value)s from %(start)s to %(end)s, %(status)s, with "
        "%(milestones)d milestones and %(payments)d payments coming to %(paid)s."
    ) % {
        "title": contract,
        "ocid": process.ocid,
        "buyer": buyer,
        "supplier": supplier,
        "value": Money(contract.value, contract.currency),
        "start": formats.day(contract.start_date),
        "end": formats.day(contract.end_date),
        "status": contract.get_status_display().lower(),
        "milestones": len(terms.milestones),
        "payments": len(terms.payments),
        "paid": Money(paid, contract.currency),
    }
    _tell(actor, contract, summary)
    return Outcome(process.ocid, contract, [summary, *lines])


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _yours(
    buyer: Organisation | None, supplier: Organisation | None, acting_for: set[int] | None
) -> bool:
    """Whether the importer acts for the buyer or the supplier (always, for the command)."""
    if acting_for is None:
        return True
    return bool({party.pk for party in (buyer, supplier) if party is not None} & acting_for)


def _not_yours(ocid: str, buyer: str, supplier: str) -> str:
    return _(
        "“%(ocid)s” is a contract between %(buyer)s and %(supplier)s: you can import only "
        "contracts of an organisation you are an editor or admin of."
    ) % {"ocid": ocid, "buyer": buyer, "supplier": supplier}


def _collaboration(
    actor, terms: ContractTerms, supplier: Organisation, buyer: Organisation, lines: list[str]
) -> Collaboration:
    """The open service-delivery collaboration of the two that covers the contract's
    start, or a new one at the stage the contract's status implies."""
    found = (
        Collaboration.objects.filter(
            model=Model.SERVICE_DELIVERY, civic_organisation=supplier, institution=buyer
        )
        .exclude(stage=Stage.CLOSED)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=terms.start_date))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=terms.start_date))
        .order_by("-start_date", "-id")
        .first()
    )
    if found is not None:
        lines.append(_("In the collaboration “%(title)s”.") % {"title": found})
        return found
    stage = STAGE_FOR_STATUS[ContractStatus(terms.status)]
    # Not create_record: a collaboration has a field called `model`.
    collaboration = Collaboration(
        model=Model.SERVICE_DELIVERY,
        title=terms.title[:200],
        summary=terms.description,
        civic_organisation=supplier,
        institution=buyer,
        start_date=terms.start_date,
        end_date=terms.end_date,
        stage=stage,
        closed_on=min(terms.end_date, timezone.localdate()) if stage == Stage.CLOSED else None,
        created_by=_user(actor),
    )
    collaboration.full_clean(exclude=WHO)
    collaboration.save()
    refresh_owed_checkins(collaboration)
    audit.log_created(actor, collaboration)
    lines.append(
        _("New service-delivery collaboration: “%(title)s”, %(stage)s.")
        % {"title": collaboration, "stage": collaboration.get_stage_display().lower()}
    )
    return collaboration


def _sign(actor, contract: Contract, terms: ContractTerms) -> None:
    """A contract in force, or ended, was signed by both sides on its signature date.

    The release names no signer: each side's signature carries the side's name.
    """
    signed = terms.status in (ContractStatus.ACTIVE, ContractStatus.TERMINATED)
    if not signed or terms.signed_at is None:
        return
    standing = contract.standing_signatures()
    for party in (contract.supplier, contract.buyer):
        if party.pk not in standing:
            signature = ContractSignature.objects.create(
                contract=contract, party=party, signer_name=party.name, signed_at=terms.signed_at
            )
            audit.log_created(actor, signature)


def _add_milestone(actor, contract: Contract, terms: MilestoneTerms) -> Milestone:
    milestone = Milestone(contract=contract, ocds_id=terms.ocds_id)
    _set_milestone(milestone, terms)
    milestone.full_clean()
    milestone.save()
    audit.log_created(actor, milestone)
    return milestone


def _set_milestone(milestone: Milestone, terms: MilestoneTerms) -> None:
    milestone.kind, milestone.title = terms.kind, terms.title
    milestone.description, milestone.due_on = terms.description, terms.due_on
    milestone.amount = terms.amount
    milestone.currency = terms.currency if terms.amount is not None else ""
    milestone.status = terms.status
    if terms.kind in MilestoneKind.delivered():
        # A deliverable met was delivered and accepted; the data has one date for both.
        milestone.submitted_on = milestone.accepted_on = terms.met_on
    elif terms.kind != MilestoneKind.PAYMENT:
        # A payment is met by its invoice paid; the other kinds keep the day as it is.
        milestone.met_on = terms.met_on


def _add_payment(actor, contract: Contract, terms: PaymentTerms) -> Payment:
    """The payment, against an invoice standing in for the one OCDS does not publish,
    numbered with the transaction's id and settled by it."""
    money = Money(terms.amount, terms.currency)
    invoice = Invoice(
        contract=contract,
        supplier=contract.supplier,
        number=terms.ocds_id,
        amount=terms.amount,
        currency=terms.currency,
        issued_on=terms.paid_on,
        due_on=terms.paid_on,
        settled_on=settled_on(money, [(terms.paid_on, money)]),
        note=_(
            "Stands in for the invoice of the OCDS transaction “%(id)s”: OCDS publishes what "
            "was paid, not the invoice."
        )
        % {"id": terms.ocds_id},
        created_by=_user(actor),
    )
    invoice.full_clean(exclude=WHO, validate_constraints=False)
    invoice.save()
    audit.log_created(actor, invoice)
    payment = Payment(
        invoice=invoice,
        amount=terms.amount,
        currency=terms.currency,
        paid_on=terms.paid_on,
        reference=terms.reference,
        ocds_id=terms.ocds_id,
        recorded_by=_user(actor),
    )
    payment.full_clean(exclude=WHO)
    payment.save()
    audit.log_created(actor, payment)
    return payment


def _tell(actor, contract: Contract, message: str) -> None:
    """Say on the collaboration's feed, to both sides, what the import did."""
    record_activity(actor, contract.collaboration, message, side=contract.supplier_id)


# New releases of a contract imported before


def _update(
    actor,
    process: Process,
    terms: ContractTerms,
    contract: Contract,
    new: list[ReleaseRef],
) -> Outcome:
    # A step of the procurement and a milestone of the contract may share an id.
    existing = {(m.procurement_step, m.ocds_id): m for m in contract.milestones.all()}
    paid = set(Payment.objects.filter(invoice__contract=contract).values_list("ocds_id", flat=True))
    payments = [p for p in terms.payments if p.ocds_id not in paid]
    problems = contract_problems(process, terms)
    if terms.currency != contract.currency:
        problems.append(
            process.problem(
                [*terms.value_steps, "currency"],
                _("the contract was imported in %(old)s: its currency cannot change to %(new)s.")
                % {"old": contract.currency, "new": terms.currency},
            )
        )
    problems += milestone_problems(process, terms, terms.milestones)
    invoiced = invoiced_net(contract)
    problems += payment_problems(process, terms, payments, contract.supplier, invoiced=invoiced)
    if problems:
        raise Unreadable(problems)
    latest = max(new, key=lambda ref: ref.date)
    changes = _vary(actor, contract, terms, latest)
    moved = _follow_status(actor, contract, terms.status)
    before = audit.snapshot(contract)
    contract.title, contract.description = terms.title, terms.description
    contract.start_date, contract.status = terms.start_date, terms.status
    contract.full_clean(exclude=WHO)
    contract.save()
    audit.log_updated(actor, contract, before)
    _sign(actor, contract, terms)
    added = 0
    for milestone in terms.milestones:
        known = existing.get((milestone.kind in MilestoneKind.procurement(), milestone.ocds_id))
        if known is not None:
            _change_milestone(actor, known, milestone)
        else:
            _add_milestone(actor, contract, milestone)
            added += 1
    for payment in payments:
        _add_payment(actor, contract, payment)
    summary = _(
        "Updated the contract “%(title)s” (%(ocid)s) from %(count)d new releases: %(changes)s"
        "%(moved)s%(milestones)d new milestones and %(payments)d new payments."
    ) % {
        "title": contract,
        "ocid": process.ocid,
        "count": len(new),
        "changes": changes,
        "moved": moved,
        "milestones": added,
        "payments": len(payments),
    }
    _tell(actor, contract, summary)
    return Outcome(process.ocid, contract, [summary])


def _vary(actor, contract: Contract, terms: ContractTerms, latest: ReleaseRef) -> str:
    """A new value or end date: a numbered variation once the contract is signed, as the
    contract room records every change of a signed contract. Returns what changed."""
    if (terms.value, terms.end_date) == (contract.value, contract.end_date):
        return ""
    if contract.status == ContractStatus.PENDING:
        contract.value, contract.end_date = terms.value, terms.end_date
        return _("new value or end date; ")
    number = (contract.variations.aggregate(last=Max("number"))["last"] or 0) + 1
    variation = Variation(
        contract=contract,
        number=number,
        reason=terms.amendment_reason
        or _("Changed in the OCDS release “%(id)s”.") % {"id": latest.id},
        old_value=contract.value,
        new_value=terms.value,
        old_end_date=contract.end_date,
        new_end_date=terms.end_date,
        agreed_on=read_instant(latest.date).date(),
        recorded_by=_user(actor),
    )
    variation.full_clean(exclude=WHO)
    variation.save()
    audit.log_created(actor, variation)
    contract.value, contract.end_date = terms.value, terms.end_date
    return _("variation %(number)d; ") % {"number": number}


def _follow_status(actor, contract: Contract, status: str) -> str:
    """Move a collaboration the import made to the stage of the contract's new status;
    say so, or say nothing.

    The import makes a collaboration at its stage directly, with no transition; one that
    people run started as proposed and has moved through transitions, and is theirs to move.
    """
    collaboration = contract.collaboration
    new = STAGE_FOR_STATUS[ContractStatus(status)]
    forward = STAGES.index(new) > STAGES.index(collaboration.stage)
    if not forward or collaboration.transitions.exists():
        return ""
    before = audit.snapshot(collaboration)
    collaboration.stage = new
    if new == Stage.CLOSED:
        collaboration.closed_on = min(contract.end_date, timezone.localdate())
    collaboration.save(update_fields=["stage", "closed_on", "updated_at"])
    refresh_owed_checkins(collaboration)
    audit.log_updated(actor, collaboration, before)
    return _("the collaboration moved to “%(stage)s”; ") % {
        "stage": collaboration.get_stage_display()
    }


def _change_milestone(actor, milestone: Milestone, terms: MilestoneTerms) -> None:
    before = audit.snapshot(milestone)
    _set_milestone(milestone, terms)
    milestone.full_clean()
    milestone.save()
    audit.log_updated(actor, milestone, before)
