"""The training room's writes: who may make them, what they refuse, and what they record."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civicbridge.collaborations.services import credit
from civicbridge.partners.choices import Access
from civicbridge.training.choices import Moment, SeatStatus
from civicbridge.training.models import Seat, SelfAssessment
from civicbridge.training.queries import eligible, participants
from civicbridge.training.services import capacity, curriculum, sessions
from civicbridge.training.services import participants as participant_services
from tests.factories import MembershipFactory, PersonFactory, UserFactory

from .trainingdata import enrol, officials, session


def test_the_civic_side_writes_the_curriculum_and_the_institution_does_not(world, programme):
    module = curriculum.add_module(world.civic_lead, programme, title="Basics")
    assert module.position == 1
    assert curriculum.add_module(world.fellow, programme, title="More").position == 2
    with pytest.raises(PermissionDenied):
        curriculum.add_module(world.official, programme, title="Ours")


def test_only_a_training_programme_takes_a_curriculum(world, fellowship):
    with pytest.raises(ValidationError):
        curriculum.add_module(world.civic_lead, fellowship, title="Basics")


def test_a_session_needs_a_place_or_a_link_and_trainers_of_either_side(world, programme, taught):
    basics, _practice, _objectives = taught
    starts = timezone.now() + timedelta(days=3)
    fields: dict[str, Any] = {
        "title": "Day",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
    }
    with pytest.raises(ValidationError) as nowhere:
        sessions.add_session(world.civic_lead, programme, capacity=10, **fields)
    assert "place" in nowhere.value.message_dict
    stranger = PersonFactory(name="Stranger")
    with pytest.raises(ValidationError) as strays:
        sessions.add_session(
            world.civic_lead, programme, capacity=10, place="Hall", trainers=[stranger], **fields
        )
    assert "Stranger" in strays.value.message_dict["trainers"][0]
    planned = sessions.add_session(
        world.civic_lead,
        programme,
        capacity=10,
        online_link="https://meet.example.org/open-data",
        modules=[basics],
        trainers=[world.official.person, world.civic_lead.person],
        **fields,
    )
    assert set(planned.trainers.all()) == {world.official.person, world.civic_lead.person}


def test_a_participant_is_an_official_of_the_institution_with_their_department(world, programme):
    [person] = officials(world, 1)
    participant = participant_services.add_participant(world.civic_lead, programme, person=person)
    assert participant.department == person.memberships.get().department
    moments = set(participant.self_assessments.values_list("moment", flat=True))
    assert moments == {Moment.BEFORE, Moment.AFTER}
    with pytest.raises(ValidationError):
        participant_services.add_participant(
            world.civic_lead, programme, person=world.civic_lead.person
        )
    with pytest.raises(ValidationError):  # once
        participant_services.add_participant(world.civic_lead, programme, person=person)


def test_institution_admins_register_their_officials_and_viewers_do_not(world, programme):
    first, second = officials(world, 2)
    participant_services.add_participant(world.official, programme, person=first)
    assert programme.training_participants.get().person == first
    with pytest.raises(PermissionDenied):
        participant_services.add_participant(_viewer(world), programme, person=second)


def _viewer(world):
    """A user who only views the institution."""
    user = UserFactory(person__name="Vi Ewer")
    MembershipFactory(person=user.person, organisation=world.institution, access=Access.VIEWER)
    return user


def test_registration_stops_at_capacity_and_twice_changes_nothing(world, programme, taught):
    day = session(world, programme, [taught[0]], capacity=2)
    a, b, c = enrol(world, programme, officials(world, 3))
    sessions.register(world.civic_lead, day, a)
    again = sessions.register(world.civic_lead, day, a)
    assert again.status == SeatStatus.REGISTERED
    sessions.register(world.official, day, b)
    with pytest.raises(ValidationError, match="full"):
        sessions.register(world.civic_lead, day, c)
    assert Seat.objects.filter(session=day).count() == 2


def test_a_participant_registers_themself(world, programme, taught):
    day = session(world, programme, [taught[0]])
    [person] = officials(world, 1)
    [participant] = enrol(world, programme, [person])
    user = UserFactory(person=person)
    seat = sessions.register(user, day, participant)
    assert seat.status == SeatStatus.REGISTERED
    [other] = enrol(world, programme, officials(world, 1, prefix="Other"))
    with pytest.raises(PermissionDenied):
        sessions.register(user, day, other)


def test_attendance_ticks_who_came_and_taking_it_again_changes_only_the_difference(
    world, programme, taught
):
    day = session(world, programme, [taught[0]])
    a, b = enrol(world, programme, officials(world, 2))
    sessions.invite(world.civic_lead, day, [a, b])
    counts = sessions.take_attendance(world.civic_lead, day, [a.pk])
    assert counts == {"attended": 1, "absent": 1}
    assert Seat.objects.get(session=day, participant=b).status == SeatStatus.ABSENT
    counts = sessions.take_attendance(world.civic_lead, day, [a.pk, b.pk])
    assert counts == {"attended": 2, "absent": 0}
    with pytest.raises(PermissionDenied):
        sessions.take_attendance(world.official, day, [])
    [stranger] = enrol(world, programme, officials(world, 1, prefix="Late"))
    with pytest.raises(ValidationError):
        sessions.take_attendance(world.civic_lead, day, [stranger.pk])


def test_the_certificate_is_earned_by_covering_every_required_module(world, programme, taught):
    basics, practice, _objectives = taught
    first = session(world, programme, [practice], title="Practice")
    second = session(world, programme, [basics], days=14, title="Basics")
    a, b = enrol(world, programme, officials(world, 2))
    for day in (first, second):
        sessions.invite(world.civic_lead, day, [a, b])
    sessions.take_attendance(world.civic_lead, first, [a.pk, b.pk])
    sessions.take_attendance(world.civic_lead, second, [a.pk])
    assert list(eligible(programme)) == [a]
    rows: dict[int, Any] = {p.pk: p for p in participants(programme)}
    assert (rows[a.pk].attended, rows[a.pk].covered) == (2, 1)
    assert (rows[b.pk].attended, rows[b.pk].covered) == (1, 0)


def rate(participant, moment, score):
    assessment = SelfAssessment.objects.get(participant=participant, moment=moment)
    objectives = capacity.objectives_of(participant.collaboration)
    return capacity.answer_self_assessment(assessment, {o.pk: score for o in objectives})


def test_a_self_assessment_is_answered_once_with_every_objective_on_the_scale(
    world, programme, taught
):
    [participant] = enrol(world, programme, officials(world, 1))
    assessment = participant.self_assessments.get(moment=Moment.BEFORE)
    objectives = list(capacity.objectives_of(programme))
    with pytest.raises(ValidationError):
        capacity.answer_self_assessment(assessment, {objectives[0].pk: 3})
    with pytest.raises(ValidationError):
        capacity.answer_self_assessment(assessment, {o.pk: 6 for o in objectives})
    assert capacity.answer_self_assessment(assessment, {o.pk: 2 for o in objectives})
    assert capacity.answer_self_assessment(assessment, {o.pk: 4 for o in objectives}) is None
    assert sorted(assessment.ratings.values_list("score", flat=True)) == [2, 2, 2]


def test_the_link_answers_its_own_self_assessment_only_and_once(world, programme, taught):
    a, b = enrol(world, programme, officials(world, 2))
    before = a.self_assessments.get(moment=Moment.BEFORE)
    token = capacity.answer_token(before)
    assert capacity.assessment_for_link(before.pk, token) == before
    other = b.self_assessments.get(moment=Moment.BEFORE)
    with pytest.raises(capacity.LinkRefused) as wrong:
        capacity.assessment_for_link(other.pk, token)
    assert wrong.value.status == 400
    with pytest.raises(capacity.LinkRefused):
        capacity.assessment_for_link(before.pk, token + "x")
    after = a.self_assessments.get(moment=Moment.AFTER)
    with pytest.raises(capacity.LinkRefused) as closed:  # no session planned yet
        capacity.assessment_for_link(after.pk, capacity.answer_token(after))
    assert closed.value.status == 403
    rate(a, Moment.BEFORE, 3)
    with pytest.raises(capacity.LinkRefused) as used:
        capacity.assessment_for_link(before.pk, token)
    assert used.value.status == 410


def test_follow_ups_are_planned_for_attendees_from_the_last_session(world, programme, taught):
    day = session(world, programme, [taught[0]], days=-1)
    a, b = enrol(world, programme, officials(world, 2))
    sessions.invite(world.civic_lead, day, [a, b])
    sessions.take_attendance(world.civic_lead, day, [a.pk])
    assert capacity.plan_follow_ups(world.civic_lead, programme) == 2
    assert capacity.plan_follow_ups(world.civic_lead, programme) == 0
    planned = dict(a.self_assessments.exclude(due_on=None).values_list("moment", "due_on"))
    last_day = timezone.localdate(day.starts_at)
    assert planned[Moment.MONTHS_3] > last_day + timedelta(days=85)
    assert planned[Moment.MONTHS_6] > last_day + timedelta(days=175)
    assert not b.self_assessments.exclude(due_on=None).exists()
    with pytest.raises(PermissionDenied):
        capacity.plan_follow_ups(world.official, programme)


def test_a_participant_is_named_champion_of_a_reform_of_their_institution(world, programme, taught):
    participant, other = enrol(world, programme, officials(world, 2))
    reform = credit.ask_reform(world.civic_lead, programme, title="Publish spending monthly")
    participant_services.name_champion(world.civic_lead, participant, reform)
    assert list(reform.champions.all()) == [participant.person]
    with pytest.raises(PermissionDenied):  # the ledger's rule: the reform's side changes it
        participant_services.name_champion(world.official, other, reform)


def test_a_participant_who_attended_stays(world, programme, taught):
    day = session(world, programme, [taught[0]])
    a, b = enrol(world, programme, officials(world, 2))
    sessions.invite(world.civic_lead, day, [a, b])
    sessions.take_attendance(world.civic_lead, day, [a.pk])
    with pytest.raises(ValidationError):
        participant_services.remove_participant(world.civic_lead, a)
    participant_services.remove_participant(world.official, b)
    assert not SelfAssessment.objects.filter(participant_id=b.pk).exists()


def test_a_module_with_ratings_stays(world, programme, taught):
    basics, practice, _objectives = taught
    [participant] = enrol(world, programme, officials(world, 1))
    rate(participant, Moment.BEFORE, 3)
    with pytest.raises(ValidationError):
        curriculum.remove_module(world.civic_lead, basics)
    extra = curriculum.add_module(world.civic_lead, programme, title="Extra")
    curriculum.add_objective(world.civic_lead, extra, text="Not rated by anyone")
    curriculum.remove_module(world.civic_lead, extra)
    assert list(programme.training_modules.all()) == [basics, practice]
