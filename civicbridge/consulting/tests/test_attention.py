"""What needs people in a consulting engagement, and what it reminds them of."""

from datetime import date, timedelta

from django.utils import timezone

from civicbridge.collaborations.attention import Viewer, needs_you
from civicbridge.collaborations.reminders import deadlines_of
from civicbridge.consulting import reminders, services
from civicbridge.consulting.choices import DeliverableStatus

from .conftest import submit


def _lines(user, kind: str, today: date | None = None) -> list:
    return [
        line
        for group in needs_you(Viewer.of(user, today)).groups
        for line in group.lines
        if line.kind == kind
    ]


def test_a_deliverable_waiting_is_the_institutions_to_decide(submitted, world):
    [line] = _lines(world.official, "deliverable_waiting")
    assert line.count == 1 and "accept" in line.text
    assert _lines(world.civic_lead, "deliverable_waiting") == []
    services.accept_deliverable(world.official, submitted, from_status=DeliverableStatus.SUBMITTED)
    assert _lines(world.official, "deliverable_waiting") == []


def test_a_recommendation_not_followed_for_three_months_goes_to_its_owner(recommendation, world):
    assert _lines(world.official, "recommendation_stale") == []
    later = timezone.localdate() + timedelta(days=100)
    [line] = _lines(world.official, "recommendation_stale", later)
    assert line.collaboration == recommendation.collaboration
    assert _lines(world.civic_lead, "recommendation_stale", later) == []
    services.record_adoption(
        world.official,
        recommendation,
        completion="complete",
        practice_change="major",
        evidence="Published.",
    )
    assert _lines(world.official, "recommendation_stale", later) == []


def _due(today):
    return list(reminders.deliverables_due(today))


def test_a_deliverable_due_within_a_week_reminds_the_civic_admins_once_per_phase(
    deliverable, world
):
    assert _due(deliverable.due_on - timedelta(days=8)) == []
    [soon] = _due(deliverable.due_on - timedelta(days=7))
    assert soon.recipient_id == world.civic_lead.pk
    assert soon.key.endswith("-soon") and "Permit data review" in soon.subject
    [late] = _due(deliverable.due_on + timedelta(days=1))
    assert late.key.endswith("-late") and late.key != soon.key


def test_a_deliverable_sent_is_not_reminded_until_changes_are_asked(deliverable, world):
    submit(world, deliverable)
    assert _due(deliverable.due_on) == []
    services.ask_changes(
        world.official, deliverable, from_status=DeliverableStatus.SUBMITTED, comment="More."
    )
    assert len(_due(deliverable.due_on)) == 1


def test_the_calendar_has_the_day_each_unsent_deliverable_is_due(deliverable, world):
    collaboration = deliverable.collaboration
    [deadline] = [
        d
        for d in deadlines_of({collaboration.pk: collaboration}, timezone.localdate())
        if d.uid.startswith("deliverable-")
    ]
    assert deadline.day == deliverable.due_on
