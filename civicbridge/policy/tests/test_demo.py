"""The demo workspace holds a policy collaboration at work and one closed, each showing what
it should."""

import pytest

from civicbridge.collaborations.models import Collaboration
from civicbridge.playbook import checks
from civicbridge.policy.choices import PolicyStage
from civicbridge.policy.models import Commitment, ConsultationResponse, PolicyChange


@pytest.fixture
def demo(demo_workspace, db):
    return {c.stage: c for c in Collaboration.objects.filter(model="policy")}


def test_one_policy_collaboration_active_and_one_closed(demo):
    assert set(demo) == {"active", "closed"}
    assert demo["active"].title == "Towards agile procurement"


def test_the_active_one_has_its_change_in_consultation_a_response_and_a_plan(demo):
    active = demo["active"]
    change = PolicyChange.objects.get(collaboration=active)
    assert change.stage == PolicyStage.CONSULTATION
    assert [s.stage for s in change.stages.order_by("on")] == ["draft", "consultation"]
    response = ConsultationResponse.objects.get(policy_change=change)
    assert response.file and response.content_type == "application/pdf"
    assert Commitment.objects.filter(collaboration=active).count() == 2
    assert checks.run("policy.decision_maker_named", active)[0]


def test_the_closed_one_ended_at_mixed_completion_with_its_rule_in_force(demo):
    closed = demo["closed"]
    completions = sorted(
        Commitment.objects.filter(collaboration=closed).values_list("completion", flat=True)
    )
    assert completions == ["complete", "limited", "not_started", "substantial"]
    assert PolicyChange.objects.get(collaboration=closed).stage == PolicyStage.IN_FORCE
    assert checks.run("collaborations.credit_published", closed)[0]
