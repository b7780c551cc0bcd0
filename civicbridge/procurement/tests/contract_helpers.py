"""What the contract and invoice tests share: a service-delivery collaboration of the test
world, a contract drafted through the services, and both sides' signatures."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from civicbridge.collaborations.services.lifecycle import create_collaboration
from civicbridge.procurement.models import Contract
from civicbridge.procurement.services import contracts
from tests.factories import PASSWORD


def service_delivery(world, **fields):
    """A service delivery of the world's civic organisation to its institution."""
    today = timezone.localdate()
    return create_collaboration(
        world.civic_lead,
        model="service_delivery",
        title=fields.pop("title", "Permit portal"),
        civic_organisation=fields.pop("civic_organisation", world.civic),
        institution=fields.pop("institution", world.institution),
        start_date=today - timedelta(days=200),
        end_date=today + timedelta(days=200),
        **fields,
    )


def contract_terms(**changes) -> dict:
    today = timezone.localdate()
    return {
        "title": "Build the permit portal",
        "value": Decimal("100000.00"),
        "currency": "AUD",
        "start_date": today - timedelta(days=180),
        "end_date": today + timedelta(days=180),
        "payment_terms_days": 30,
        **changes,
    }


def draft(world, collaboration, **changes) -> Contract:
    return contracts.create_contract(world.civic_lead, collaboration, **contract_terms(**changes))


def sign(user, contract: Contract) -> Contract:
    return contracts.sign_contract(
        user, contract, terms=contracts.terms_digest(contract), password=PASSWORD
    )


def sign_both(world, contract: Contract) -> Contract:
    sign(world.civic_lead, contract)
    return sign(world.official, contract)


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)
