"""F8 and C1 at the close: the institution accepts every deliverable, names an owner for
every recommendation and agrees the credit before the engagement closes."""

import pytest

from civicbridge.collaborations.services import credit
from civicbridge.collaborations.services.lifecycle import GateRefused, advance
from civicbridge.consulting import checks, services
from civicbridge.consulting.choices import DeliverableStatus

from .conftest import submit

CLOSING_GATES = {
    "consulting.deliverables_accepted",
    "consulting.owner_named",
    "consulting.credit_agreed",
}


def _to_closing(world, collaboration):
    for _stage in ("preparing", "agreed", "active", "closing"):
        advance(world.civic_lead, collaboration, early=True)


def _agree_credit(world, collaboration):
    statement = credit.draft_credit(
        world.civic_lead,
        collaboration,
        text="Testshire Council opened its permit data.",
        government_contribution="The council's permits team rebuilt the register.",
    )
    for admin in (world.civic_lead, world.official):
        statement = credit.approve_credit(admin, statement)


def test_an_engagement_without_acceptance_owner_or_credit_does_not_close(submitted, world):
    services.add_recommendation(
        world.civic_lead,
        submitted.collaboration,
        deliverable=submitted,
        title="Publish the register",
        finding="Asked weekly.",
        priority="high",
    )
    collaboration = submitted.collaboration
    _to_closing(world, collaboration)
    with pytest.raises(GateRefused) as refused:
        advance(world.civic_lead, collaboration, early=True)
    assert {r.condition for r in refused.value.refusals} == CLOSING_GATES
    collaboration.refresh_from_db()
    assert collaboration.stage == "closing"


def test_the_engagement_closes_once_the_institution_owns_the_result(
    submitted, recommendation, world
):
    collaboration = submitted.collaboration
    _to_closing(world, collaboration)
    services.accept_deliverable(world.official, submitted, from_status=DeliverableStatus.SUBMITTED)
    _agree_credit(world, collaboration)
    advance(world.civic_lead, collaboration, early=True)
    collaboration.refresh_from_db()
    assert collaboration.stage == "closed"


def test_deliverables_accepted_counts_what_waits(consulting, deliverable, submitted, world):
    assert checks.deliverables_accepted(consulting) == (
        False,
        "1 deliverable is not accepted by the institution yet.",
    )
    services.ask_changes(
        world.official, submitted, from_status=DeliverableStatus.SUBMITTED, comment="More."
    )
    submit(world, submitted)
    services.accept_deliverable(
        world.official, submitted, from_status=DeliverableStatus.RESUBMITTED
    )
    assert checks.deliverables_accepted(consulting)[0] is True


def test_no_deliverable_is_not_accepted(consulting):
    passed, reason = checks.deliverables_accepted(consulting)
    assert not passed and "No deliverable" in reason


def test_owner_named_leaves_out_withdrawn_recommendations(recommendation, world):
    collaboration = recommendation.collaboration
    assert checks.owner_named(collaboration)[0] is True
    unowned = services.add_recommendation(
        world.civic_lead,
        collaboration,
        deliverable=recommendation.deliverable,
        title="Hire a data steward",
        finding="Nobody owns the data.",
        priority="low",
    )
    assert checks.owner_named(collaboration) == (
        False,
        "1 recommendation has no owner at the institution yet.",
    )
    services.record_adoption(
        world.official,
        unowned,
        completion="withdrawn",
        practice_change="did_not_change",
        evidence="The council has no budget for it.",
    )
    assert checks.owner_named(collaboration)[0] is True


def test_recommendations_tracked_asks_one_update_each(recommendation, world):
    collaboration = recommendation.collaboration
    assert checks.recommendations_tracked(collaboration)[0] is False
    services.record_adoption(
        world.official,
        recommendation,
        completion="limited",
        practice_change="marginal",
        evidence="A first export went out.",
    )
    assert checks.recommendations_tracked(collaboration)[0] is True
