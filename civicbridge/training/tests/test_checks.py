"""The training checks the playbook names, and the gates they inform."""

from civicbridge.collaborations.services.lifecycle import advance, gate_results
from civicbridge.training.checks import capacity_before, follow_ups_planned, several_departments
from civicbridge.training.choices import Moment
from civicbridge.training.services import capacity, sessions
from tests.factories import DepartmentFactory

from .test_services import rate
from .trainingdata import enrol, officials, session


def test_participants_from_more_than_one_department(world, programme):
    assert not several_departments(programme)[0]
    enrol(world, programme, officials(world, 2))
    passed, reason = several_departments(programme)
    assert not passed and "one department" in reason
    enrol(
        world,
        programme,
        officials(world, 1, DepartmentFactory(organisation=world.institution), "B"),
    )
    assert several_departments(programme) == (True, "3 participants from 2 departments.")


def test_capacity_measured_before_the_first_session(world, programme, taught):
    a, b = enrol(world, programme, officials(world, 2))
    rate(a, Moment.BEFORE, 2)
    passed, reason = capacity_before(programme)
    assert not passed and "1 of 2" in reason
    rate(b, Moment.BEFORE, 3)
    assert capacity_before(programme)[0]


def test_follow_ups_planned_for_everyone_who_attended(world, programme, taught):
    day = session(world, programme, [taught[0]], days=-1)
    [a] = enrol(world, programme, officials(world, 1))
    assert not follow_ups_planned(programme)[0]
    sessions.invite(world.civic_lead, day, [a])
    sessions.take_attendance(world.civic_lead, day, [a.pk])
    assert not follow_ups_planned(programme)[0]
    capacity.plan_follow_ups(world.civic_lead, programme)
    assert follow_ups_planned(programme)[0]


def test_the_gates_name_the_training_conditions_and_none_blocks(world, programme):
    advance(world.civic_lead, programme)  # preparing
    programme.refresh_from_db()
    stage, results = gate_results(programme)
    assert stage == "agreed"
    ours = {r.condition: r for r in results if r.condition.startswith("training.")}
    assert not ours["training.several_departments"].passed
    advance(world.civic_lead, programme)  # a risk, not a stop
    programme.refresh_from_db()
    assert programme.stage == "agreed"


def test_closing_plans_the_follow_ups(world, programme, taught):
    day = session(world, programme, [taught[0]], days=-1)
    [a] = enrol(world, programme, officials(world, 1))
    sessions.invite(world.civic_lead, day, [a])
    sessions.take_attendance(world.civic_lead, day, [a.pk])
    for _stage in range(5):
        advance(world.civic_lead, programme, early=True)
        programme.refresh_from_db()
    assert programme.stage == "closed"
    assert set(a.self_assessments.values_list("moment", flat=True)) == set(Moment.values)
