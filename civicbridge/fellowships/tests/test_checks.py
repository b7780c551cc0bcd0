"""The fellowship's checks say what the playbook's fellowship conditions need (F2, F4)."""

from datetime import UTC, datetime, time, timedelta

import time_machine

from civicbridge.collaborations.models import Collaboration
from civicbridge.fellowships import checks, services


def test_statements_fail_without_a_placement(fellowship):
    assert checks.supervisor_statement(fellowship)[0] is False
    assert checks.fellow_statement(fellowship)[0] is False


def test_supervisor_statement_passes_once_the_supervisor_stated_it(placement, world):
    passed, reason = checks.supervisor_statement(placement.collaboration)
    assert not passed and "Sam Official" in reason
    services.record_statement(world.official, placement, who="supervisor", text="Keen to try.")
    assert checks.supervisor_statement(placement.collaboration)[0] is True
    assert checks.fellow_statement(placement.collaboration)[0] is False


def test_fellow_statement_passes_once_the_fellow_stated_it(placement, world):
    passed, reason = checks.fellow_statement(placement.collaboration)
    assert not passed and "Jo Fellow" in reason
    services.record_statement(world.fellow, placement, who="fellow", text="I want to help.")
    assert checks.fellow_statement(placement.collaboration)[0] is True
    assert checks.supervisor_statement(placement.collaboration)[0] is False


def _fresh(placement):
    """The collaboration as the next request reads it (no cached related rows)."""
    return Collaboration.objects.get(pk=placement.collaboration_id)


def _at(day):
    return datetime.combine(day, time(12), tzinfo=UTC)


def test_brief_delivered_30_days_before_the_start_is_in_time(complete_brief, world):
    placement = complete_brief.placement
    assert services.brief_days_before_start(placement.collaboration) == 30  # the playbook's
    assert checks.brief_delivered_in_time(placement.collaboration)[0] is False  # not sent
    with time_machine.travel(_at(placement.start_date - timedelta(days=30))):
        services.deliver_brief(world.official, placement)
    passed, reason = checks.brief_delivered_in_time(_fresh(placement))
    assert passed, reason


def test_brief_delivered_29_days_before_the_start_is_late(complete_brief, world):
    placement = complete_brief.placement
    with time_machine.travel(_at(placement.start_date - timedelta(days=29))):
        services.deliver_brief(world.official, placement)
    passed, reason = checks.brief_delivered_in_time(_fresh(placement))
    assert not passed and "later than 30 days" in reason
