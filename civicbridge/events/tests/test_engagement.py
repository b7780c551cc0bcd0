"""The engagement plan (E1): decisions, owners, capacity and officials' commitments, and
the gate that keeps the event open until the plan is complete."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.collaborations.models import Risk
from civicbridge.collaborations.services.lifecycle import GateRefused, advance
from civicbridge.events.services import engagement
from civicbridge.playbook import checks
from tests.factories import PersonFactory

from .projectdata import add_project, add_team, hackathon, institution_viewer

PLAN = "events.engagement_plan"
CAPACITY = "events.capacity_to_absorb"
SOON = date.today() + timedelta(days=30)


@pytest.fixture
def event(world, playbook):
    return hackathon(world)


@pytest.fixture
def entries(world, event):
    first, second = event.teams.order_by("name")
    return add_project(world, event, first, "Bin map"), add_project(
        world, event, second, "Pothole app"
    )


def continued(world, project, *, owner=True, capacity="Two officials, a day a week."):
    return engagement.decide(
        world.official,
        project,
        worth_continuing=True,
        owner=world.official.person if owner else None,
        capacity=capacity,
    )


def commit(world, plan, actor=None, official=None, due_on=SOON):
    return engagement.add_commitment(
        actor or world.official,
        plan,
        official=official or world.official.person,
        next_step="Pilot it in one district.",
        due_on=due_on,
    )


# Decisions and commitments


def test_either_side_decides_and_the_outsider_does_not(world, entries):
    bins, potholes = entries

    engagement.decide(world.civic_lead, bins, worth_continuing=False)
    continued(world, potholes)

    with pytest.raises(PermissionDenied):
        engagement.decide(world.outsider, bins, worth_continuing=True)


def test_the_owner_works_for_the_institution(world, entries):
    with pytest.raises(ValidationError) as refused:
        engagement.decide(
            world.civic_lead, entries[0], worth_continuing=True, owner=world.civic_lead.person
        )

    assert "owner" in refused.value.message_dict


def test_a_commitment_needs_a_project_worth_continuing(world, entries):
    plan = engagement.decide(world.civic_lead, entries[0], worth_continuing=False)

    with pytest.raises(ValidationError, match="not worth continuing"):
        commit(world, plan)


def test_the_committed_official_works_for_the_institution(world, entries):
    plan = continued(world, entries[0])
    stranger = PersonFactory.create(name="Nobody's Official")

    with pytest.raises(ValidationError) as refused:
        commit(world, plan, official=stranger)

    assert "official" in refused.value.message_dict
    assert not plan.commitments.exists()


def test_an_official_who_only_reads_records_their_own_commitment_only(world, entries):
    plan = continued(world, entries[0])
    viewer = institution_viewer(world)

    commitment = commit(world, plan, actor=viewer, official=viewer.person)

    assert commitment.official == viewer.person
    with pytest.raises(PermissionDenied):
        commit(world, plan, actor=viewer, official=world.official.person)


def test_the_official_ticks_their_commitment_off(world, entries):
    viewer = institution_viewer(world)
    commitment = commit(world, continued(world, entries[0]), official=viewer.person)

    engagement.set_commitment_done(viewer, commitment, done=True)

    assert commitment.done_on == timezone.localdate()
    with pytest.raises(PermissionDenied):
        engagement.set_commitment_done(world.outsider, commitment, done=False)


# The gate


def test_without_projects_the_gate_passes_and_says_so(world, event):
    passed, reason = checks.run(PLAN, event.collaboration)

    assert passed
    assert "No project is recorded" in reason


def test_the_gate_names_what_each_project_lacks(world, entries):
    bins, _potholes = entries
    continued(world, bins, owner=False, capacity=" ")

    passed, reason = checks.run(PLAN, bins.event.collaboration)

    assert not passed
    assert "“Bin map”: no official's commitment" in reason
    assert "nobody in the institution named to own it" in reason
    assert "capacity to absorb it is not stated" in reason
    assert "“Pothole app”: no decision" in reason


def test_the_gate_passes_when_every_project_has_a_complete_plan(world, entries):
    bins, potholes = entries
    commit(world, continued(world, bins))
    engagement.decide(world.civic_lead, potholes, worth_continuing=False)

    passed, reason = checks.run(PLAN, bins.event.collaboration)

    assert passed, reason


def test_the_event_closes_only_with_a_complete_plan(world, entries):
    bins, potholes = entries
    collaboration = bins.event.collaboration
    for _stage in ("preparing", "agreed", "active", "closing"):
        advance(world.civic_lead, collaboration, early=True)
    engagement.decide(world.civic_lead, potholes, worth_continuing=False)
    plan = continued(world, bins)

    with pytest.raises(GateRefused) as refused:
        advance(world.civic_lead, collaboration, early=True)
    assert [r.condition for r in refused.value.refusals] == ["event.engagement_plan"]
    assert "Bin map" in str(refused.value)
    collaboration.refresh_from_db()
    assert collaboration.stage == "closing"

    commit(world, plan)
    advance(world.civic_lead, collaboration, early=True)

    collaboration.refresh_from_db()
    assert collaboration.stage == "closed"


def test_an_overdue_commitment_is_a_risk_at_closing(world, entries):
    bins, potholes = entries
    collaboration = bins.event.collaboration
    engagement.decide(world.civic_lead, potholes, worth_continuing=False)
    commit(world, continued(world, bins), due_on=date.today() - timedelta(days=1))
    assert not checks.run(CAPACITY, collaboration)[0]
    for _stage in ("preparing", "agreed", "active", "closing", "closed"):
        advance(world.civic_lead, collaboration, early=True)

    risk = Risk.objects.get(collaboration=collaboration, condition="event.capacity_to_absorb")
    assert "overdue" in risk.reason


# Pages


def test_the_plan_is_recorded_on_the_tab(world, event, entries, client_for):
    bins, _potholes = entries
    client = client_for(world.official)
    url = reverse("events:plan_edit", args=[event.collaboration_id, bins.pk])

    response = client.post(
        url,
        {"worth_continuing": "True", "owner": world.official.person.pk, "capacity": "A team."},
    )

    assert response.status_code == 302
    assert bins.engagement_plan.worth_continuing


def test_the_outsider_and_the_judges_do_not_see_the_plan(world, event, entries, client_for):
    from civicbridge.events.services import judging

    from .projectdata import judge_user

    judge = judge_user(world)
    judging.add_judge(world.civic_lead, event, email=judge.email)
    url = reverse("events:engagement", args=[event.collaboration_id])

    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(judge).get(url).status_code == 404
    assert client_for(world.fellow).get(url).status_code == 200


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_plan_tab_takes_as_many_queries_for_ten_times_the_projects(
    world, event, entries, client_for
):
    for project in entries:
        commit(world, continued(world, project))
    url = reverse("events:engagement", args=[event.collaboration_id])
    once = _queries(client_for(world.civic_lead), url)

    for number in range(18):
        project = add_project(world, event, add_team(world, event, f"More {number}"))
        plan = continued(world, project)
        commit(world, plan)
        commit(world, plan)

    assert _queries(client_for(world.civic_lead), url) == once
