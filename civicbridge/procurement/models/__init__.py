from .conflicts import Disclosure, OrganisationRole, Recusal
from .contracts import (
    Contract,
    ContractSignature,
    CreditNote,
    ImportedRelease,
    Invoice,
    Milestone,
    Payment,
    PlannedCost,
    Variation,
)
from .parties import PartyIdentifier
from .routes import Jurisdiction, ProcurementPlan, RouteRule, RuleHistoryEntry, StatutoryStep

__all__ = [
    "Contract",
    "ContractSignature",
    "CreditNote",
    "Disclosure",
    "ImportedRelease",
    "Invoice",
    "Jurisdiction",
    "Milestone",
    "OrganisationRole",
    "PartyIdentifier",
    "Payment",
    "PlannedCost",
    "ProcurementPlan",
    "Recusal",
    "RouteRule",
    "RuleHistoryEntry",
    "StatutoryStep",
    "Variation",
]
