"""Collaborations at fixed dates, so each reminder's day can be travelled to."""

from datetime import date

import pytest

from civicbridge.collaborations.choices import Stage
from civicbridge.collaborations.models import Agreement
from civicbridge.notifications.models import Reminder
from tests.factories import CollaborationFactory

START = date(2026, 3, 1)
END = date(2026, 8, 31)


@pytest.fixture
def collaboration(world):
    """An active collaboration from 1 March to 31 August 2026 with check-ins every 14 days."""
    return CollaborationFactory.create(
        title="Permit data",
        civic_organisation=world.civic,
        institution=world.institution,
        start_date=START,
        end_date=END,
        stage=Stage.ACTIVE,
        checkin_every_days=14,
    )


@pytest.fixture
def agreement(collaboration):
    return Agreement.objects.create(collaboration=collaboration, purpose="Work together.")


@pytest.fixture
def make_reminder(world, collaboration):
    def make(user=None, key="obligation_due:1:2026-03-10-soon", **fields):
        return Reminder.objects.create(
            kind=key.split(":")[0],
            key=key,
            recipient=user or world.official,
            collaboration=collaboration,
            subject="Obligation due 2026-03-10: Permit data",
            body="Provide a desk.",
            url=f"/collaborations/{collaboration.pk}/agreement/",
            **fields,
        )

    return make
