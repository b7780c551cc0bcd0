"""The request and response bodies of the procurement API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from civicbridge.core.api.schemas import (
    NO_NUL,
    Body,
    Id,
    text,
    unchanged,
    unchanged_text,
)

from ..choices import MilestoneKind, OrganisationRoleKind, Route
from ..models import Contract
from ..services import contracts as services

Amount = Annotated[
    str,
    Field(
        pattern=r"^\d{1,12}(\.\d{1,2})?$",
        description="A Decimal amount as a string, to the cent, such as 1250.00.",
    ),
]
Currency = Annotated[
    str,
    Field(
        min_length=3,
        max_length=3,
        pattern=r"^[A-Za-z]{3}$",
        description="The ISO 4217 code, such as AUD.",
    ),
]


class ContractOut(Schema):
    id: int
    collaboration_id: int
    supplier_id: int
    buyer_id: int
    title: str
    description: str
    reference: str
    value: Decimal
    currency: str
    start_date: date
    end_date: date
    payment_terms_days: int
    status: str
    supplier_signed_at: datetime | None
    supplier_signed_by_id: int | None
    buyer_signed_at: datetime | None
    buyer_signed_by_id: int | None

    # Each side's standing signature, read from the contract's prefetched signatures.
    @staticmethod
    def resolve_supplier_signed_at(contract: Contract) -> datetime | None:
        signature = contract.supplier_signature()
        return signature.signed_at if signature else None

    @staticmethod
    def resolve_supplier_signed_by_id(contract: Contract) -> int | None:
        signature = contract.supplier_signature()
        return signature.signed_by_id if signature else None

    @staticmethod
    def resolve_buyer_signed_at(contract: Contract) -> datetime | None:
        signature = contract.buyer_signature()
        return signature.signed_at if signature else None

    @staticmethod
    def resolve_buyer_signed_by_id(contract: Contract) -> int | None:
        signature = contract.buyer_signature()
        return signature.signed_by_id if signature else None


class ContractDetailOut(ContractOut):
    terms: str = Field(
        ..., description="The fingerprint of the terms: send it back to sign what you read."
    )

    @staticmethod
    def resolve_terms(contract: Contract) -> str:
        return services.terms_digest(contract)


class ContractIn(Body):
    title: str = text(300, None, min_length=1)
    description: str = text(10_000)
    reference: str = text(100)
    value: Amount
    currency: Currency
    start_date: date
    end_date: date
    payment_terms_days: int = Field(30, ge=0, le=365)


class ContractChange(Body):
    """The terms to change before both sides sign; every field left out keeps its value."""

    title: str = unchanged_text(300, min_length=1)
    description: str = unchanged_text(10_000)
    reference: str = unchanged_text(100)
    value: Amount = unchanged()
    currency: Currency = unchanged()
    start_date: date = unchanged()
    end_date: date = unchanged()
    payment_terms_days: int = unchanged(ge=0, le=365)


class ContractSignatureOut(Schema):
    id: int
    contract_id: int
    party_id: int
    signed_by_id: int | None
    signer_name: str
    signed_at: datetime
    terms: str = Field(..., description="The fingerprint of the terms signed, where kept.")
    voided_at: datetime | None
    void_reason: str


class SignIn(Body):
    terms: str = Field(..., min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$")
    password: str = text(4096, None)


class MilestoneOut(Schema):
    id: int
    contract_id: int
    kind: str
    title: str
    description: str
    due_on: date
    amount: Decimal | None
    currency: str
    status: str
    submitted_on: date | None
    accepted_on: date | None
    accepted_by_id: int | None
    acceptance_note: str
    met_on: date | None


class MilestoneIn(Body):
    kind: MilestoneKind
    title: str = text(300, None, min_length=1)
    description: str = text(5000)
    due_on: date
    amount: Amount | None = None
    currency: Currency | None = Field(None, description="Left out: the contract's.")


class MilestoneChange(Body):
    """The milestone's terms to change; every field left out keeps its value."""

    kind: MilestoneKind = unchanged()
    title: str = unchanged_text(300, min_length=1)
    description: str = unchanged_text(5000)
    due_on: date = unchanged()
    amount: Amount | None = unchanged()
    currency: Currency | None = unchanged()


class DeliveryIn(Body):
    on: date | None = Field(None, description="The day it was delivered; left out: today.")


class AcceptanceIn(Body):
    outcome: Literal["met", "partiallyMet", "notMet"] = Field(
        ..., description="Met, partly met or not met: a note says what falls short."
    )
    note: str = text(5000)
    on: date | None = Field(None, description="The day it was judged; left out: today.")


class StepOutcomeIn(Body):
    status: Literal["met", "partiallyMet", "notMet"] = Field(
        ..., description="Whether the step happened: met, partly met or not met."
    )
    met_on: date | None = Field(
        None, description="The day it happened: needed unless not met, never in the future."
    )


class VariationOut(Schema):
    id: int
    number: int
    reason: str
    old_value: Decimal
    new_value: Decimal
    old_end_date: date
    new_end_date: date
    agreed_on: date
    recorded_by_id: int | None


class VariationIn(Body):
    new_value: Amount | None = None
    currency: Currency | None = Field(None, description="Left out: the contract's.")
    new_end_date: date | None = None
    reason: str = text(5000, None, min_length=1)
    agreed_on: date


class PlannedCostOut(Schema):
    id: int
    description: str
    amount: Decimal
    currency: str
    due_on: date


class PlannedCostIn(Body):
    description: str = text(300, None, min_length=1)
    amount: Amount
    currency: Currency
    due_on: date


class InvoiceOut(Schema):
    id: int
    contract_id: int
    supplier_id: int
    number: str
    milestone_id: int | None
    amount: Decimal
    currency: str
    issued_on: date
    due_on: date
    settled_on: date | None
    note: str
    paid: Decimal
    credited: Decimal
    outstanding: Decimal
    days_to_pay: int | None = Field(..., description="From issue to settlement; null if open.")
    days_overdue: int = Field(..., description="Past the due date, to settlement or today.")


class InvoiceIn(Body):
    number: str = text(100, None, min_length=1)
    milestone: Id | None = Field(None, description="A payment milestone it bills.")
    amount: Amount
    currency: Currency
    issued_on: date
    due_on: date | None = Field(None, description="Left out: issued on + payment terms.")
    note: str = text(5000)


class PaymentOut(Schema):
    id: int
    invoice_id: int
    amount: Decimal
    currency: str
    paid_on: date
    reference: str
    recorded_by_id: int | None


class PaymentIn(Body):
    amount: Amount
    currency: Currency
    paid_on: date
    reference: str = text(200)


class CreditNoteOut(Schema):
    id: int
    invoice_id: int
    number: str
    amount: Decimal
    currency: str
    issued_on: date
    reason: str


class CreditNoteIn(Body):
    number: str = text(100, None, min_length=1)
    amount: Amount
    currency: Currency
    issued_on: date
    reason: str = text(5000, None, min_length=1)


class JurisdictionOut(Schema):
    id: int
    name: str
    code: str
    country: str
    parent_id: int | None
    example: bool
    notes: str


class JurisdictionPage(Schema):
    items: list[JurisdictionOut]
    next: int | None


class RuleOut(Schema):
    id: int
    route: str
    allowed: bool
    max_value: Decimal | None
    currency: str
    explanation: str
    source: str
    source_date: date


class StatutoryStepOut(Schema):
    id: int
    route: str
    order: int
    name: str
    minimum_days: int
    source: str
    source_date: date


class JurisdictionDetailOut(JurisdictionOut):
    rules: list[RuleOut] = Field(..., alias="route_rules")
    steps: list[StatutoryStepOut] = Field(..., alias="statutory_steps")


class JurisdictionIn(Body):
    name: str = text(200, None, min_length=1)
    code: str = Field(..., min_length=1, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$")
    country: str = text(100)
    parent: Id | None = Field(None, description="The jurisdiction it is part of.")
    example: bool = Field(False, description="Made-up rules that show how the platform works.")
    notes: str = text(20_000)


class JurisdictionChange(Body):
    """A jurisdiction's facts to change; every field left out keeps its value."""

    name: str = unchanged_text(200, min_length=1)
    code: str = unchanged(min_length=1, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$")
    country: str = unchanged_text(100)
    parent: Id | None = unchanged()
    example: bool = unchanged()
    notes: str = unchanged_text(20_000)


class RuleIn(Body):
    route: Route
    allowed: bool
    max_value: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="Empty: at any value."
    )
    currency: str = Field(
        "", max_length=3, pattern=NO_NUL, description="The value limit's currency, such as AUD."
    )
    explanation: str = text(20_000, None, min_length=1)
    source: str = text(500, None, min_length=1)
    source_date: date


class RuleChange(Body):
    """A rule's parts to change; every field left out keeps its value."""

    route: Route = unchanged()
    allowed: bool = unchanged()
    max_value: Decimal | None = unchanged(ge=0, max_digits=14, decimal_places=2)
    currency: str = unchanged_text(3)
    explanation: str = unchanged_text(20_000, min_length=1)
    source: str = unchanged_text(500, min_length=1)
    source_date: date = unchanged()


class StepIn(Body):
    route: Route
    order: int = Field(..., ge=0, le=32767, description="Steps follow one another: 1, 2, 3…")
    name: str = text(200, None, min_length=1)
    minimum_days: int = Field(..., ge=0, le=32767)
    source: str = text(500, None, min_length=1)
    source_date: date


class StepChange(Body):
    """A step's parts to change; every field left out keeps its value."""

    route: Route = unchanged()
    order: int = unchanged(ge=0, le=32767)
    name: str = unchanged_text(200, min_length=1)
    minimum_days: int = unchanged(ge=0, le=32767)
    source: str = unchanged_text(500, min_length=1)
    source_date: date = unchanged()


class TimelineStepOut(Schema):
    name: str
    minimum_days: int
    starts_on: date
    ends_on: date
    source: str


class TimelineOut(Schema):
    starts_on: date
    earliest_start: date
    planned_start: date | None
    days_short: int
    steps: list[TimelineStepOut]


class ProcurementPlanOut(Schema):
    collaboration_id: int
    route: str
    jurisdiction_id: int | None
    estimated_value: Decimal
    currency: str
    procurement_starts_on: date
    verdict: str
    verdict_reason: str
    decided_by_id: int | None
    timeline: TimelineOut


class ProcurementPlanIn(Body):
    route: Route
    jurisdiction: Id | None = None
    estimated_value: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    currency: str = text(3, None, min_length=3)
    procurement_starts_on: date


class RoleOut(Schema):
    id: int
    organisation_id: int
    institution_id: int
    role: str
    started_on: date
    ended_on: date | None
    note: str


class RolePage(Schema):
    items: list[RoleOut]
    next: int | None


class RoleIn(Body):
    institution: Id
    role: OrganisationRoleKind
    started_on: date
    ended_on: date | None = None
    note: str = text(5000)


class RecusalOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    stands_aside_from: str


class DisclosureOut(Schema):
    id: int
    organisation_id: int
    institution_id: int
    collaboration_id: int | None
    roles: list[str]
    mission_discussion: str
    outcome: str
    discussed_on: date
    recusals: list[RecusalOut]


class DisclosurePage(Schema):
    items: list[DisclosureOut]
    next: int | None


class DisclosureIn(Body):
    institution: Id
    collaboration: Id | None = None
    roles: list[OrganisationRoleKind] = Field(..., min_length=1, max_length=6)
    mission_discussion: str = text(20_000, None, min_length=1)
    outcome: str = text(20_000, None, min_length=1)
    discussed_on: date


class DisclosureRecusalIn(Body):
    person: Id
    stands_aside_from: str = text(300, None, min_length=1)
