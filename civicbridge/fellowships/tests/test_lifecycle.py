"""The playbook's fellowship conditions at the gates: missing F2/F4 work becomes a risk."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from civicbridge.collaborations.choices import Stage
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services.lifecycle import advance
from civicbridge.fellowships import services
from civicbridge.playbook import checks


@pytest.fixture
def signed(monkeypatch):
    """The MOU counts as signed: its own tests are in the collaborations app."""
    monkeypatch.setattr(checks, "_registry", {**checks._registry})
    checks._registry["collaborations.agreement_signed"] = lambda c: (True, "Signed.")


def _fresh(collaboration):
    return Collaboration.objects.get(pk=collaboration.pk)


def _open_risks(collaboration):
    return set(collaboration.risks.filter(resolved_on=None).values_list("condition", flat=True))


def test_agreed_without_statements_records_both_as_risks(placement, world, signed):
    collaboration = _fresh(placement.collaboration)
    advance(world.civic_lead, collaboration)
    transition = advance(world.civic_lead, _fresh(collaboration))  # not blocked
    assert transition.to_stage == Stage.AGREED
    assert {"fellowship.supervisor_willing", "fellowship.fellow_willing"} <= _open_risks(
        collaboration
    )


def test_agreed_with_both_statements_records_no_willingness_risk(placement, world, signed):
    services.record_statement(world.fellow, placement, who="fellow", text="Keen.")
    services.record_statement(world.official, placement, who="supervisor", text="Keen.")
    collaboration = _fresh(placement.collaboration)
    advance(world.civic_lead, collaboration)
    advance(world.civic_lead, _fresh(collaboration))
    risks = _open_risks(collaboration)
    assert "fellowship.supervisor_willing" not in risks
    assert "fellowship.fellow_willing" not in risks


def _to_agreed(collaboration, actor):
    advance(actor, _fresh(collaboration))
    advance(actor, _fresh(collaboration))


def _deliver_at(placement, actor, days_before):
    day = placement.start_date - timedelta(days=days_before)
    with time_machine.travel(datetime.combine(day, time(9), tzinfo=UTC)):
        services.deliver_brief(actor, placement)


def test_active_records_a_risk_when_the_brief_was_late(complete_brief, world, signed):
    placement = complete_brief.placement
    _deliver_at(placement, world.official, days_before=10)
    _to_agreed(placement.collaboration, world.civic_lead)
    transition = advance(world.civic_lead, _fresh(placement.collaboration))
    assert transition.to_stage == Stage.ACTIVE
    risk = placement.collaboration.risks.get(condition="fellowship.preparation_brief")
    assert "later than 30 days" in risk.reason


def test_active_records_no_brief_risk_when_it_came_in_time(complete_brief, world, signed):
    placement = complete_brief.placement
    _deliver_at(placement, world.official, days_before=45)
    _to_agreed(placement.collaboration, world.civic_lead)
    advance(world.civic_lead, _fresh(placement.collaboration))
    assert "fellowship.preparation_brief" not in _open_risks(placement.collaboration)
