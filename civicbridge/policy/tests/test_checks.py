"""The checks the playbook's policy conditions name, read from the records."""

from civicbridge.collaborations.choices import Completion, StakeholderRole
from civicbridge.collaborations.services import people
from civicbridge.playbook import checks as registry
from civicbridge.playbook.tests.helpers import shipped
from civicbridge.policy import checks, services

from .conftest import days_ago


def test_the_playbook_names_the_policy_checks_and_they_are_registered():
    policy = next(m for m in shipped()["models"] if m["id"] == "policy")
    named = {c["id"]: c.get("check") for c in policy["conditions"]}
    assert named["policy.decision_maker_named"] == "policy.decision_maker_named"
    assert named["policy.proposals_tracked"] == "policy.proposals_tracked"
    assert named["policy.credit_agreed"] == "collaborations.credit_published"
    assert {"policy.decision_maker_named", "policy.proposals_tracked"} <= registry.registered()


def test_a_decision_maker_must_be_named(policy, world):
    passed, reason = checks.decision_maker_named(policy)
    assert not passed and "Decision-maker" in reason
    people.add_stakeholder(
        world.official, policy, person=world.official.person, role=StakeholderRole.DECISION_MAKER
    )
    passed, reason = checks.decision_maker_named(policy)
    assert passed and "Sam Official" in reason


def test_a_champion_is_not_a_decision_maker(policy, world):
    people.add_stakeholder(
        world.official, policy, person=world.official.person, role=StakeholderRole.CHAMPION
    )
    assert not checks.decision_maker_named(policy)[0]


def test_proposals_are_tracked_once_every_commitment_is_assessed(policy, change, world):
    assert checks.proposals_tracked(policy)[0]
    commitment = services.save_commitment(world.civic_lead, policy, title="Open the budget")
    passed, reason = checks.proposals_tracked(policy)
    assert not passed and "1 commitment was never assessed" in reason
    services.assess_commitment(
        world.official,
        commitment,
        from_completion=Completion.NOT_STARTED,
        completion=Completion.LIMITED,
        on=days_ago(1),
        evidence="A first portal page.",
    )
    assert checks.proposals_tracked(policy)[0]


def test_nothing_recorded_is_nothing_tracked(policy):
    assert not checks.proposals_tracked(policy)[0]
