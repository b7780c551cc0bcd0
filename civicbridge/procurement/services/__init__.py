"""Every write to the service-delivery records, one module per part of the Contract tab.

What the modules share lives here: the side an actor writes for, and the contract locked
against a concurrent change or signature.
"""

from civicbridge.collaborations import permissions as collaboration_permissions

from ..models import Contract


def writer_side(actor, contract: Contract) -> int:
    """The party the actor writes for, for the activity feed."""
    side = collaboration_permissions.side_of(actor, contract.collaboration)
    assert side is not None, "the caller checked the actor acts for a party"
    return side


def locked_contract(contract: Contract) -> Contract:
    """The contract as stored now, locked against a concurrent change or signature."""
    stored = Contract.objects.select_for_update().get(pk=contract.pk)
    stored.collaboration = contract.collaboration
    stored.supplier, stored.buyer = contract.supplier, contract.buyer
    return stored
