"""Who may see and write what in the service-delivery room.

A contract, its milestones, variations and invoices are seen by the members of its two
parties, the supplier and the buyer (and by platform admins, who read everything and write
nothing). Each write belongs to one side: either side drafts the contract, records a
variation and the outcome of a step of the procurement; the supplier delivers and
invoices; the buyer accepts what was delivered; either side records a payment. Only an
admin signs for a side. What the supplier plans to spend is its own business: the buyer
does not see it. Views and API routes fetch through `get_*_for`.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from civicbridge.collaborations import permissions as collaboration_permissions
from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration
from civicbridge.core.permissions import Decision, require
from civicbridge.partners.choices import Access
from civicbridge.partners.models import Organisation
from civicbridge.partners.permissions import acting_organisation_ids, is_platform_admin

from .choices import ContractStatus
from .models import (
    Contract,
    Disclosure,
    Invoice,
    Jurisdiction,
    Milestone,
    OrganisationRole,
    Payment,
    PlannedCost,
    Recusal,
    RouteRule,
    StatutoryStep,
)


def get_service_delivery_for(user, pk: int, *, edit: bool = False) -> Collaboration:
    """A service-delivery collaboration the user may see (and `edit`), else 404."""
    collaboration = collaboration_permissions.get_collaboration_for(user, pk, edit=edit)
    if collaboration.model != Model.SERVICE_DELIVERY:
        raise Http404
    return collaboration


def visible_contracts(user) -> QuerySet[Contract]:
    """The contracts whose supplier or buyer the user acts for; every one for admins."""
    contracts = Contract.objects.select_related("supplier", "buyer", "collaboration")
    if is_platform_admin(user):
        return contracts
    acting = acting_organisation_ids(user)
    return contracts.filter(Q(supplier_id__in=acting) | Q(buyer_id__in=acting))


def visible_invoices(user) -> QuerySet[Invoice]:
    """The invoices of the contracts the user may see."""
    invoices = Invoice.objects.select_related("contract__buyer", "contract__collaboration")
    if is_platform_admin(user):
        return invoices
    acting = acting_organisation_ids(user)
    return invoices.filter(Q(contract__supplier_id__in=acting) | Q(contract__buyer_id__in=acting))


def _acts_for(user, organisation_id: int, minimum: str = Access.MEMBER) -> bool:
    return organisation_id in acting_organisation_ids(user, minimum)


def can_write_contract(user, contract: Contract) -> Decision:
    """Members of either party draft the contract and record its variations."""
    if _acts_for(user, contract.supplier_id) or _acts_for(user, contract.buyer_id):
        return True, ""
    return False, _("Only members of %(supplier)s or %(buyer)s can change this contract.") % {
        "supplier": contract.supplier.name,
        "buyer": contract.buyer.name,
    }


def can_sign_contract(user, contract: Contract) -> Decision:
    """An admin of a party signs the contract for it."""
    if _acts_for(user, contract.supplier_id, Access.ADMIN) or _acts_for(
        user, contract.buyer_id, Access.ADMIN
    ):
        return True, ""
    return False, _(
        "Only an admin of %(supplier)s or %(buyer)s can sign this contract for their side."
    ) % {"supplier": contract.supplier.name, "buyer": contract.buyer.name}


def signing_side(user, contract: Contract) -> int | None:
    """The party the user signs for: the supplier if they are an admin of both."""
    for party in (contract.supplier_id, contract.buyer_id):
        if _acts_for(user, party, Access.ADMIN):
            return party
    return None


def can_act_for_supplier(user, contract: Contract) -> Decision:
    """The supplier delivers, invoices, credits and plans its own costs."""
    if _acts_for(user, contract.supplier_id):
        return True, ""
    return False, _("Only members of %(supplier)s, the supplier, can do this.") % {
        "supplier": contract.supplier.name
    }


def can_accept(user, contract: Contract) -> Decision:
    """Only the buyer judges whether a deliverable meets the contract."""
    if _acts_for(user, contract.buyer_id):
        return True, ""
    return False, _(
        "Only members of %(buyer)s, the buyer, can accept a deliverable: the supplier cannot "
        "accept its own work."
    ) % {"buyer": contract.buyer.name}


def can_record_step(user, contract: Contract) -> Decision:
    """Either side records how a step of the procurement went: the buyer runs the
    procurement, and the supplier, which drafts the contract with its steps, takes part
    in some (a consultation, an assessment)."""
    return can_write_contract(user, contract)


def can_record_payment(user, contract: Contract) -> Decision:
    """The buyer records what it paid, or the supplier what it received."""
    return can_write_contract(user, contract)


def sees_planned_costs(user, contract: Contract) -> bool:
    """The supplier's own side (and platform admins) see what it plans to spend."""
    return is_platform_admin(user) or _acts_for(user, contract.supplier_id, Access.VIEWER)


def can_see_finances(user, organisation: Organisation) -> Decision:
    """An organisation's money owed and cash flow are for its own members."""
    if is_platform_admin(user) or _acts_for(user, organisation.pk, Access.VIEWER):
        return True, ""
    return False, _("Only members of %(name)s can see what it is owed and its cash flow.") % {
        "name": organisation.name
    }


def get_contract_for(user, pk: int, *, collaboration: Collaboration | None = None) -> Contract:
    """The contract `pk` if the user may see it (of `collaboration`, if given), else 404."""
    if not user.is_authenticated:
        raise Http404
    contracts = visible_contracts(user)
    if collaboration is not None:
        contracts = contracts.filter(collaboration=collaboration)
    contract = get_object_or_404(contracts, pk=pk)
    if collaboration is not None:
        contract.collaboration = collaboration
    return contract


def milestone_of(contract: Contract, pk: int) -> Milestone:
    """One milestone of a contract fetched through `get_contract_for`, else 404."""
    milestone = get_object_or_404(Milestone, contract=contract, pk=pk)
    milestone.contract = contract
    return milestone


def planned_cost_of(contract: Contract, pk: int) -> PlannedCost:
    """One planned cost of a contract fetched through `get_contract_for`, else 404."""
    cost = get_object_or_404(PlannedCost, contract=contract, pk=pk)
    cost.contract = contract
    return cost


def get_invoice_for(user, pk: int, *, collaboration: Collaboration | None = None) -> Invoice:
    """The invoice `pk` if the user may see its contract (of `collaboration`), else 404."""
    if not user.is_authenticated:
        raise Http404
    invoices = visible_invoices(user).select_related("contract__supplier", "supplier")
    if collaboration is not None:
        invoices = invoices.filter(contract__collaboration=collaboration)
    invoice = get_object_or_404(invoices, pk=pk)
    if collaboration is not None:
        invoice.contract.collaboration = collaboration
    return invoice


def payment_of(invoice: Invoice, pk: int) -> Payment:
    """One payment of an invoice fetched through `get_invoice_for`, else 404."""
    payment = get_object_or_404(Payment, invoice=invoice, pk=pk)
    payment.invoice = invoice
    return payment


def get_finances_for(user, pk: int) -> Organisation:
    """An organisation whose money owed and cash flow the user may see (403 with why)."""
    if not user.is_authenticated:
        raise Http404
    organisation = get_object_or_404(Organisation, pk=pk)
    require(can_see_finances(user, organisation))
    return organisation


# Routes and rules, and the conflict-of-interest register

# Jurisdictions, their route rules and statutory steps: everyone signed in reads them, and
# platform admins keep them. An organisation's roles and disclosures are written by its
# admins alone, as statements made on its behalf; anyone signed in reads them, and the
# disclosures are public.


def can_read_rules(user) -> Decision:
    if user.is_authenticated:
        return True, ""
    return False, _("Sign in to read the procurement rules.")


def can_edit_rules(user) -> Decision:
    if is_platform_admin(user):
        return True, ""
    return False, _("Only platform admins keep the procurement rules of jurisdictions.")


def get_jurisdiction_for(user, pk: int, *, edit: bool = False) -> Jurisdiction:
    require(can_edit_rules(user) if edit else can_read_rules(user))
    return get_object_or_404(Jurisdiction.objects.select_related("parent"), pk=pk)


def get_rule_for(user, jurisdiction: Jurisdiction, pk: int) -> RouteRule:
    """A route rule of a jurisdiction the user fetched for editing."""
    rule = get_object_or_404(RouteRule, jurisdiction=jurisdiction, pk=pk)
    rule.jurisdiction = jurisdiction
    return rule


def get_step_for(user, jurisdiction: Jurisdiction, pk: int) -> StatutoryStep:
    """A statutory step of a jurisdiction the user fetched for editing."""
    step = get_object_or_404(StatutoryStep, jurisdiction=jurisdiction, pk=pk)
    step.jurisdiction = jurisdiction
    return step


def can_write_register(user, organisation: Organisation) -> Decision:
    """Only an admin of the organisation records its roles and disclosures."""
    if _acts_for(user, organisation.pk, Access.ADMIN):
        return True, ""
    return False, _("Only an admin of %(name)s can write its conflict-of-interest register.") % {
        "name": organisation.name
    }


def get_register_for(user, pk: int, *, edit: bool = False) -> Organisation:
    """The organisation whose register the user reads (signed in) or writes (its admins)."""
    if not user.is_authenticated:
        raise Http404
    organisation = get_object_or_404(Organisation, pk=pk)
    if edit:
        require(can_write_register(user, organisation))
    return organisation


def get_role_for(user, organisation: Organisation, pk: int) -> OrganisationRole:
    """A role in the register of an organisation the user fetched through `get_register_for`."""
    role = get_object_or_404(
        OrganisationRole.objects.select_related("institution"), organisation=organisation, pk=pk
    )
    role.organisation = organisation
    return role


def get_disclosure_for(user, organisation: Organisation, pk: int) -> Disclosure:
    """A disclosure of an organisation the user fetched through `get_register_for`."""
    disclosure = get_object_or_404(
        Disclosure.objects.select_related("institution"), organisation=organisation, pk=pk
    )
    disclosure.organisation = organisation
    return disclosure


def get_recusal_for(user, disclosure: Disclosure, pk: int) -> Recusal:
    recusal = get_object_or_404(
        Recusal.objects.select_related("person"), disclosure=disclosure, pk=pk
    )
    recusal.disclosure = disclosure
    return recusal


# OCDS: a party downloads its contracts; anyone downloads the published ones; members of an
# organisation import the contracts it is a party to.


def published_contracts():
    """The contracts anyone may download as open data: in force, or ended, of a public
    collaboration."""
    return Contract.objects.filter(
        collaboration__public=True,
        status__in=[ContractStatus.ACTIVE, ContractStatus.TERMINATED],
    )


def get_published_contract(pk: int) -> Contract:
    """A contract in force, or ended, of a public collaboration, for anyone."""
    return get_object_or_404(published_contracts(), pk=pk)


def can_import_ocds(user) -> Decision:
    """Editors and admins of an organisation import the contracts it is a party to."""
    if acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only editors and admins of an organisation import its contracts from OCDS.")


def may_start_ocds_import(user, options: dict) -> Decision:
    """Who may start an OCDS import in the task worker: whoever may import OCDS at all."""
    return can_import_ocds(user)
