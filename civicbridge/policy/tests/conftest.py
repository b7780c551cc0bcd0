"""A policy development collaboration of the world's two sides, and a policy change in it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from civicbridge.collaborations.choices import Model
from civicbridge.policy import services
from civicbridge.policy.choices import Instrument
from tests.factories import CollaborationFactory


@pytest.fixture
def policy(world, playbook):
    """A proposed policy collaboration towards more agile procurement."""
    return CollaborationFactory.create(
        model=Model.POLICY,
        title="Towards agile procurement",
        civic_organisation=world.civic,
        institution=world.institution,
    )


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def record_change(actor, collaboration, **changes):
    fields = {
        "title": "Allow challenge-based procurement",
        "instrument": Instrument.PROCUREMENT_RULE,
        "current_text": "Only open tenders above 50,000.",
        "proposed_change": "Allow challenge-based procurement up to 200,000.",
        "deciding_body": "Ministry of Finance",
        "on": days_ago(30),
        "source_url": "https://example.org/draft",
        **changes,
    }
    return services.add_policy_change(actor, collaboration, **fields)


@pytest.fixture
def change(policy, world):
    return record_change(world.civic_lead, policy)
