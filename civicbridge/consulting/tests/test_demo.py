"""The demo workspace holds a consulting engagement at work and one closed, each showing
what it should."""

import pytest
from django.contrib.auth import get_user_model

from civicbridge.collaborations.attention import Viewer, needs_you
from civicbridge.collaborations.models import Collaboration
from civicbridge.consulting.models import Recommendation
from civicbridge.playbook import checks


@pytest.fixture
def demo(demo_workspace, db):
    return {c.stage: c for c in Collaboration.objects.filter(model="consulting")}


def test_one_engagement_active_and_one_closed(demo):
    assert set(demo) == {"active", "closed"}


def test_the_active_engagement_waits_for_the_council_and_for_an_owner(demo):
    active = demo["active"]
    statuses = dict(active.deliverables.values_list("kind", "status"))
    assert statuses == {
        "report": "accepted_after_changes",
        "prototype": "submitted",
        "workshop": "planned",
    }
    assert checks.run("consulting.owner_named", active)[0] is False
    official = get_user_model().objects.get(email="official@example.org")
    kinds = {
        line.kind
        for group in needs_you(Viewer.of(official)).groups
        if group.collaboration == active
        for line in group.lines
    }
    assert "deliverable_waiting" in kinds


def test_the_closed_engagement_is_owned_credited_and_followed_at_mixed_adoption(demo):
    closed = demo["closed"]
    for check in (
        "consulting.deliverables_accepted",
        "consulting.owner_named",
        "collaborations.credit_published",
    ):
        assert checks.run(check, closed)[0] is True, check
    completions = set(
        Recommendation.objects.filter(collaboration=closed).values_list("completion", flat=True)
    )
    assert completions == {"complete", "limited", "not_started", "withdrawn"}
    latest = Recommendation.objects.get(collaboration=closed, completion="complete")
    assert latest.updates.count() == 2 and latest.practice_change == "major"
