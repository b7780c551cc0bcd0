"""Contracts, milestones, variations, invoices, payments and credit notes through the API:
the same permission helpers, forms and services as the Contract and Invoices tabs.

Money goes both ways as a string holding a Decimal to the cent ("1250.00"), beside its
currency code; a JSON number would pass through a float and is not taken.
"""

from typing import Any

from django.utils import timezone
from ninja import Query, Router, Status

from civicbridge.collaborations import signing
from civicbridge.core.api.forms import changed, validated
from civicbridge.core.api.schemas import (
    CONFLICT_CODES,
    ERROR_CODES,
    ApiRequest,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
)
from civicbridge.core.permissions import require

from .. import permissions
from ..forms.contracts import (
    AcceptanceForm,
    ContractForm,
    DeliveryForm,
    MilestoneForm,
    PlannedCostForm,
    SignContractForm,
    StepOutcomeForm,
    VariationForm,
)
from ..forms.invoices import CreditNoteForm, InvoiceForm, PaymentForm
from ..models import Contract, CreditNote, Invoice, Milestone, Payment, PlannedCost, Variation
from ..queries import invoice_row, with_money
from ..services import contracts as services
from ..services import invoices as invoice_services
from .schemas import (
    AcceptanceIn,
    ContractChange,
    ContractDetailOut,
    ContractIn,
    ContractOut,
    ContractSignatureOut,
    CreditNoteIn,
    CreditNoteOut,
    DeliveryIn,
    InvoiceIn,
    InvoiceOut,
    MilestoneChange,
    MilestoneIn,
    MilestoneOut,
    PaymentIn,
    PaymentOut,
    PlannedCostIn,
    PlannedCostOut,
    SignIn,
    StepOutcomeIn,
    VariationIn,
    VariationOut,
)

router = Router(tags=["service delivery"])

# Contracts


@router.get(
    "/collaborations/{collaboration_id}/contracts",
    response={200: Page[ContractOut], ERROR_CODES: ErrorOut},
    url_name="contracts",
)
def list_contracts(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The contracts of a service-delivery collaboration."""
    collaboration = permissions.get_service_delivery_for(request.auth, collaboration_id)
    return page(Contract.objects.filter(collaboration=collaboration).with_signatures(), params)


@router.post(
    "/collaborations/{collaboration_id}/contracts",
    response={201: ContractDetailOut, ERROR_CODES: ErrorOut},
    url_name="contract_create",
)
def create_contract(request: ApiRequest, collaboration_id: Id, payload: ContractIn):
    """Draft a contract: the civic organisation supplies, the institution buys."""
    collaboration = permissions.get_service_delivery_for(request.auth, collaboration_id, edit=True)
    data = validated(ContractForm(payload.dict()))
    return Status(201, services.create_contract(request.auth, collaboration, **data))


@router.get(
    "/contracts/{contract_id}",
    response={200: ContractDetailOut, ERROR_CODES: ErrorOut},
    url_name="contract",
)
def get_contract(request: ApiRequest, contract_id: Id):
    return permissions.get_contract_for(request.auth, contract_id)


@router.patch(
    "/contracts/{contract_id}",
    response={200: ContractDetailOut, ERROR_CODES: ErrorOut},
    url_name="contract_edit",
)
def change_contract(request: ApiRequest, contract_id: Id, payload: ContractChange):
    """Change the draft; a signature already given is voided. A signed contract changes
    only by a variation."""
    contract = permissions.get_contract_for(request.auth, contract_id)
    require(permissions.can_write_contract(request.auth, contract))
    form = changed(ContractForm, payload, initial=ContractForm.initial_for(contract))
    return services.update_contract(request.auth, contract, **validated(form))


@router.get(
    "/contracts/{contract_id}/signatures",
    response={200: Page[ContractSignatureOut], ERROR_CODES: ErrorOut},
    url_name="contract_signatures",
)
def list_contract_signatures(request: ApiRequest, contract_id: Id, params: Query[PageParams]):
    """Every signature given on the contract, with when and why a change voided it."""
    contract = permissions.get_contract_for(request.auth, contract_id)
    return page(contract.signatures.all(), params)


@router.post(
    "/contracts/{contract_id}/signatures",
    response={200: ContractDetailOut, CONFLICT_CODES: ErrorOut},
    url_name="contract_sign",
)
def sign_contract(request: ApiRequest, contract_id: Id, payload: SignIn):
    """Sign for your side the terms you read (their fingerprint), re-entering your
    password. Refused while the supplier has an undisclosed conflict of interest."""
    contract = permissions.get_contract_for(request.auth, contract_id)
    require(permissions.can_sign_contract(request.auth, contract))
    data = validated(SignContractForm(payload.dict()))
    data["password"] = signing.confirm_signers_password(request, request.auth, data["password"])
    return services.sign_contract(request.auth, contract, **data)


# Milestones


def _milestone(user, contract_id: int, milestone_id: int) -> Milestone:
    contract = permissions.get_contract_for(user, contract_id)
    return permissions.milestone_of(contract, milestone_id)


@router.get(
    "/contracts/{contract_id}/milestones",
    response={200: Page[MilestoneOut], ERROR_CODES: ErrorOut},
    url_name="milestones",
)
def list_milestones(request: ApiRequest, contract_id: Id, params: Query[PageParams]):
    contract = permissions.get_contract_for(request.auth, contract_id)
    return page(Milestone.objects.filter(contract=contract), params)


@router.post(
    "/contracts/{contract_id}/milestones",
    response={201: MilestoneOut, ERROR_CODES: ErrorOut},
    url_name="milestone_create",
)
def add_milestone(request: ApiRequest, contract_id: Id, payload: MilestoneIn):
    """Add a milestone before both sides sign: the contract's own (a deliverable, a payment,
    a report, a financing event) falls within its dates; a step of the procurement (a
    consultation, an approval) may come before it starts."""
    contract = permissions.get_contract_for(request.auth, contract_id)
    data = validated(MilestoneForm(payload.dict()))
    return Status(201, services.add_milestone(request.auth, contract, **data))


@router.patch(
    "/contracts/{contract_id}/milestones/{milestone_id}",
    response={200: MilestoneOut, ERROR_CODES: ErrorOut},
    url_name="milestone_edit",
)
def change_milestone(
    request: ApiRequest, contract_id: Id, milestone_id: Id, payload: MilestoneChange
):
    milestone = _milestone(request.auth, contract_id, milestone_id)
    initial = {name: getattr(milestone, name) for name in services.MILESTONE_TERMS}
    form = changed(MilestoneForm, payload, initial=initial)
    return services.change_milestone(request.auth, milestone, **validated(form))


@router.delete(
    "/contracts/{contract_id}/milestones/{milestone_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="milestone_delete",
)
def remove_milestone(request: ApiRequest, contract_id: Id, milestone_id: Id):
    services.remove_milestone(request.auth, _milestone(request.auth, contract_id, milestone_id))
    return Status(204, None)


@router.post(
    "/contracts/{contract_id}/milestones/{milestone_id}/delivery",
    response={200: MilestoneOut, ERROR_CODES: ErrorOut},
    url_name="milestone_deliver",
)
def deliver_milestone(request: ApiRequest, contract_id: Id, milestone_id: Id, payload: DeliveryIn):
    """The supplier hands over a deliverable or a report for the buyer to accept."""
    milestone = _milestone(request.auth, contract_id, milestone_id)
    data = validated(DeliveryForm(payload.dict()))
    return services.deliver_milestone(request.auth, milestone, **data)


@router.post(
    "/contracts/{contract_id}/milestones/{milestone_id}/acceptance",
    response={200: MilestoneOut, ERROR_CODES: ErrorOut},
    url_name="milestone_accept",
)
def accept_milestone(request: ApiRequest, contract_id: Id, milestone_id: Id, payload: AcceptanceIn):
    """The buyer says whether a delivered milestone meets the contract, with a note unless
    it does. The supplier cannot accept its own work."""
    milestone = _milestone(request.auth, contract_id, milestone_id)
    data = validated(AcceptanceForm(payload.dict()))
    return services.accept_milestone(request.auth, milestone, **data)


@router.post(
    "/contracts/{contract_id}/milestones/{milestone_id}/outcome",
    response={200: MilestoneOut, ERROR_CODES: ErrorOut},
    url_name="milestone_outcome",
)
def record_step(request: ApiRequest, contract_id: Id, milestone_id: Id, payload: StepOutcomeIn):
    """Either side records whether a step of the procurement (pre-procurement, approval,
    public engagement, assessment) happened, and when, before or after signing: it is not
    a term of the contract and voids no signature. Other kinds are refused."""
    milestone = _milestone(request.auth, contract_id, milestone_id)
    require(permissions.can_record_step(request.auth, milestone.contract))
    data = validated(StepOutcomeForm(payload.dict()))
    return services.record_step(request.auth, milestone, **data)


# Variations


@router.get(
    "/contracts/{contract_id}/variations",
    response={200: Page[VariationOut], ERROR_CODES: ErrorOut},
    url_name="variations",
)
def list_variations(request: ApiRequest, contract_id: Id, params: Query[PageParams]):
    """The changes agreed after signing, with the old and new values."""
    contract = permissions.get_contract_for(request.auth, contract_id)
    return page(Variation.objects.filter(contract=contract), params)


@router.post(
    "/contracts/{contract_id}/variations",
    response={201: VariationOut, ERROR_CODES: ErrorOut},
    url_name="variation_create",
)
def record_variation(request: ApiRequest, contract_id: Id, payload: VariationIn):
    """Record an agreed change of the signed contract's value, end date or both."""
    contract = permissions.get_contract_for(request.auth, contract_id)
    data = validated(VariationForm(payload.dict()))
    return Status(201, services.record_variation(request.auth, contract, **data))


# Planned costs: the supplier's side only


def _supplier_contract(user, contract_id: int) -> Contract:
    contract = permissions.get_contract_for(user, contract_id)
    if not permissions.sees_planned_costs(user, contract):
        require(permissions.can_act_for_supplier(user, contract))
    return contract


@router.get(
    "/contracts/{contract_id}/planned-costs",
    response={200: Page[PlannedCostOut], ERROR_CODES: ErrorOut},
    url_name="planned_costs",
)
def list_planned_costs(request: ApiRequest, contract_id: Id, params: Query[PageParams]):
    """What the supplier plans to spend, for its cash flow; the buyer does not see it."""
    contract = _supplier_contract(request.auth, contract_id)
    return page(PlannedCost.objects.filter(contract=contract), params)


@router.post(
    "/contracts/{contract_id}/planned-costs",
    response={201: PlannedCostOut, ERROR_CODES: ErrorOut},
    url_name="planned_cost_create",
)
def add_planned_cost(request: ApiRequest, contract_id: Id, payload: PlannedCostIn):
    contract = _supplier_contract(request.auth, contract_id)
    data = validated(PlannedCostForm(payload.dict()))
    return Status(201, services.add_planned_cost(request.auth, contract, **data))


@router.delete(
    "/contracts/{contract_id}/planned-costs/{cost_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="planned_cost_delete",
)
def remove_planned_cost(request: ApiRequest, contract_id: Id, cost_id: Id):
    contract = _supplier_contract(request.auth, contract_id)
    services.remove_planned_cost(request.auth, permissions.planned_cost_of(contract, cost_id))
    return Status(204, None)


# Invoices


INVOICE_FIELDS = (
    "id",
    "contract_id",
    "supplier_id",
    "number",
    "milestone_id",
    "amount",
    "currency",
    "issued_on",
    "due_on",
    "settled_on",
    "note",
)


def _invoice_out(invoice: Invoice) -> dict[str, Any]:
    """The invoice with what was paid and credited, what is owed, and how late, as of
    today. `invoice` comes with its money (`with_money`)."""
    row = invoice_row(invoice, timezone.localdate())
    return {
        **{name: getattr(invoice, name) for name in INVOICE_FIELDS},
        "paid": row.paid.amount,
        "credited": row.credited.amount,
        "outstanding": row.outstanding.amount,
        "days_to_pay": row.days_to_pay,
        "days_overdue": row.days_overdue,
    }


@router.get(
    "/contracts/{contract_id}/invoices",
    response={200: Page[InvoiceOut], ERROR_CODES: ErrorOut},
    url_name="invoices",
)
def list_invoices(request: ApiRequest, contract_id: Id, params: Query[PageParams]):
    """The contract's invoices, each with what is paid, owed and how late it is."""
    contract = permissions.get_contract_for(request.auth, contract_id)
    found = page(with_money(Invoice.objects.filter(contract=contract)), params)
    return {**found, "items": [_invoice_out(invoice) for invoice in found["items"]]}


@router.post(
    "/contracts/{contract_id}/invoices",
    response={201: InvoiceOut, ERROR_CODES: ErrorOut},
    url_name="invoice_create",
)
def add_invoice(request: ApiRequest, contract_id: Id, payload: InvoiceIn):
    """Bill the buyer, under a number the supplier uses once (a duplicate is a 422)."""
    contract = permissions.get_contract_for(request.auth, contract_id)
    data = validated(InvoiceForm(payload.dict(), contract=contract))
    invoice = invoice_services.add_invoice(request.auth, contract, **data)
    return Status(201, _invoice_out(with_money(Invoice.objects.filter(pk=invoice.pk)).get()))


@router.get(
    "/invoices/{invoice_id}",
    response={200: InvoiceOut, ERROR_CODES: ErrorOut},
    url_name="invoice",
)
def get_invoice(request: ApiRequest, invoice_id: Id):
    invoice = permissions.get_invoice_for(request.auth, invoice_id)
    return _invoice_out(with_money(Invoice.objects.filter(pk=invoice.pk)).get())


@router.get(
    "/invoices/{invoice_id}/payments",
    response={200: Page[PaymentOut], ERROR_CODES: ErrorOut},
    url_name="payments",
)
def list_payments(request: ApiRequest, invoice_id: Id, params: Query[PageParams]):
    invoice = permissions.get_invoice_for(request.auth, invoice_id)
    return page(Payment.objects.filter(invoice=invoice), params)


@router.post(
    "/invoices/{invoice_id}/payments",
    response={201: PaymentOut, ERROR_CODES: ErrorOut},
    url_name="payment_create",
)
def record_payment(request: ApiRequest, invoice_id: Id, payload: PaymentIn):
    """Record money paid toward the invoice; more than is owed is refused."""
    invoice = permissions.get_invoice_for(request.auth, invoice_id)
    data = validated(PaymentForm(payload.dict()))
    return Status(201, invoice_services.record_payment(request.auth, invoice, **data))


@router.delete(
    "/invoices/{invoice_id}/payments/{payment_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="payment_delete",
)
def remove_payment(request: ApiRequest, invoice_id: Id, payment_id: Id):
    """Take out a payment recorded by mistake: the invoice is open again if not covered."""
    invoice = permissions.get_invoice_for(request.auth, invoice_id)
    invoice_services.remove_payment(request.auth, permissions.payment_of(invoice, payment_id))
    return Status(204, None)


@router.get(
    "/invoices/{invoice_id}/credit-notes",
    response={200: Page[CreditNoteOut], ERROR_CODES: ErrorOut},
    url_name="credit_notes",
)
def list_credit_notes(request: ApiRequest, invoice_id: Id, params: Query[PageParams]):
    invoice = permissions.get_invoice_for(request.auth, invoice_id)
    return page(CreditNote.objects.filter(invoice=invoice), params)


@router.post(
    "/invoices/{invoice_id}/credit-notes",
    response={201: CreditNoteOut, ERROR_CODES: ErrorOut},
    url_name="credit_note_create",
)
def add_credit_note(request: ApiRequest, invoice_id: Id, payload: CreditNoteIn):
    """The supplier takes an amount off the invoice, never more than is owed."""
    invoice = permissions.get_invoice_for(request.auth, invoice_id)
    data = validated(CreditNoteForm(payload.dict()))
    return Status(201, invoice_services.add_credit_note(request.auth, invoice, **data))
