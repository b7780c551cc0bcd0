"""Milestones past their day and policy changes without news reach both sides' admins,
as reminders and in what needs them."""

from civicbridge.collaborations.attention import Viewer, all_lines
from civicbridge.policy import reminders, services
from civicbridge.policy.choices import PolicyStage

from .conftest import days_ago, record_change


def test_a_milestone_past_its_day_reminds_both_sides_admins_until_done(policy, world):
    commitment = services.save_commitment(world.civic_lead, policy, title="Open the budget")
    milestone = services.add_milestone(
        world.civic_lead, commitment, title="Budget online", due_on=days_ago(2)
    )
    due = list(reminders.milestones_due(days_ago(0)))
    assert {d.recipient_id for d in due} == {world.civic_lead.pk, world.official.pk}
    assert all(d.key == f"policy_milestone_due:{milestone.pk}:{days_ago(2)}" for d in due)
    assert any(
        line.kind == "policy_milestones" for line in all_lines(Viewer.of(world.official))[:10]
    )
    assert not any(
        line.kind == "policy_milestones" for line in all_lines(Viewer.of(world.fellow))[:10]
    )
    services.set_milestone_done(world.official, milestone, done_on=days_ago(0))
    assert list(reminders.milestones_due(days_ago(0))) == []


def test_a_milestone_not_yet_due_reminds_nobody(policy, world):
    commitment = services.save_commitment(world.civic_lead, policy, title="Open the budget")
    services.add_milestone(world.civic_lead, commitment, title="Later", due_on=days_ago(-5))
    assert list(reminders.milestones_due(days_ago(0))) == []


def test_a_stage_without_news_for_long_is_asked_about_until_it_moves(policy, world):
    change = record_change(world.civic_lead, policy, on=days_ago(100))
    due = list(reminders.stages_without_update(days_ago(0)))
    assert {d.recipient_id for d in due} == {world.civic_lead.pk, world.official.pk}
    assert any(line.kind == "policy_stale" for line in all_lines(Viewer.of(world.civic_lead))[:10])
    services.move_policy_change(
        world.official,
        change,
        from_stage=PolicyStage.DRAFT,
        stage=PolicyStage.CONSULTATION,
        on=days_ago(1),
        source_url="https://example.org/consultation",
    )
    assert list(reminders.stages_without_update(days_ago(0))) == []


def test_a_recent_stage_is_not_asked_about(policy, world):
    record_change(world.civic_lead, policy, on=days_ago(10))
    assert list(reminders.stages_without_update(days_ago(0))) == []
