"""The demo workspace holds fellowships at three stages, each showing what it should."""

import pytest
from django.contrib.auth import get_user_model

from civicbridge.collaborations.attention import Viewer, needs_you
from civicbridge.collaborations.checks import institution_side_warning
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.queries import checkin_overview
from civicbridge.playbook import checks


@pytest.fixture
def demo(demo_workspace, db):
    return {c.stage: c for c in Collaboration.objects.filter(model="fellowship")}


def test_three_fellowships_preparing_active_and_closed(demo):
    assert set(demo) == {"preparing", "active", "closed"}
    assert all(c.model == "fellowship" for c in demo.values())


def test_preparing_fellowship_waits_for_the_councils_signature(demo):
    preparing = demo["preparing"]
    passed, reason = checks.run("collaborations.agreement_signed", preparing)
    assert not passed and "Hobart City Council" in reason and "Code for Australia" not in reason
    official = preparing.institution.memberships.get(person__name="Sam Okafor").person.user
    awaiting = [
        group.collaboration
        for group in needs_you(Viewer.of(official)).groups
        if any(line.kind == "mou_unsigned" for line in group.lines)
    ]
    assert preparing in awaiting
    assert "rests on one person" in institution_side_warning(preparing)


def test_active_fellowship_has_diverging_check_ins_and_a_late_brief(demo):
    active = demo["active"]
    overview = checkin_overview(active)
    assert overview.divergent
    assert [side for _due, side in overview.missing] == [active.institution_id]
    assert active.risks.filter(condition="fellowship.preparation_brief").exists()


def test_closed_fellowship_was_handed_over_with_credit_and_a_follow_up_answered(demo):
    closed = demo["closed"]
    assert checks.run("collaborations.handover_complete", closed)[0]
    assert checks.run("collaborations.credit_published", closed)[0]
    assert closed.public
    answered = closed.follow_ups.exclude(answer="")
    assert [f.months_after for f in answered] == [6]
    assert [t.to_stage for t in closed.transitions.order_by("at", "id")] == [
        "preparing",
        "agreed",
        "active",
        "closing",
        "closed",
    ]


def test_loading_the_demo_sends_no_mail_to_anyone_outside_it(demo_workspace, db):
    recipients = {address for message in demo_workspace for address in message.to}
    assert all(address.endswith("@example.org") for address in recipients)


def test_each_personas_home_holds_what_is_theirs(demo):
    """The fellow sees their own fellowship, not the contracts of Code for Australia; the
    council officer who pays late sees the invoices to pay."""
    users = get_user_model().objects
    fellow = needs_you(Viewer.of(users.get(email="fellow@example.org")))
    assert fellow.groups
    assert {group.collaboration.model for group in fellow.groups} == {"fellowship"}
    launceston = needs_you(Viewer.of(users.get(email="finance@launceston.example.org")))
    assert "invoices_to_pay" in {line.kind for group in launceston.groups for line in group.lines}
