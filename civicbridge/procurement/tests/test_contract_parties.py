"""A contract's supplier and buyer are the collaboration's parties: no body changes them,
and when both sides approve a change of party the contract follows and its signatures are
void (X1)."""

from civicbridge.collaborations.services.parties import (
    approve_party_change,
    propose_party_change,
)
from civicbridge.procurement.models import ContractSignature

from .contract_helpers import draft, service_delivery, sign_both

REASON = "Testshire Council merged into Elsewhere Council."


def test_a_change_of_party_moves_the_contract_and_voids_its_signatures(world, playbook):
    collaboration = service_delivery(world)
    contract = sign_both(world, draft(world, collaboration))
    assert ContractSignature.objects.valid().count() == 2
    change = propose_party_change(
        world.civic_lead, collaboration, side="institution", successor=world.other, reason=REASON
    )
    approve_party_change(world.official, change)
    contract.refresh_from_db()
    assert (contract.supplier, contract.buyer) == (world.civic, world.other)
    assert ContractSignature.objects.valid().count() == 0
    assert all(REASON in s.void_reason for s in ContractSignature.objects.all())


def test_no_contract_body_names_a_supplier_or_a_buyer(world, playbook, client_for):
    collaboration = service_delivery(world)
    contract = draft(world, collaboration)
    response = client_for(world.civic_lead).patch(
        f"/api/v1/contracts/{contract.pk}",
        {"buyer": world.other.pk, "supplier": world.other.pk, "title": "Renamed"},
        content_type="application/json",
    )
    contract.refresh_from_db()
    assert (contract.supplier, contract.buyer) == (world.civic, world.institution)
    assert response.status_code == 200, response.content  # the parties are ignored
