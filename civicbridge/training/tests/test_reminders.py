"""Participants are asked for their self-assessment by e-mail, once, when it opens."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from civicbridge.notifications.services import enqueue_due
from civicbridge.training.choices import Moment
from civicbridge.training.models import SelfAssessment
from civicbridge.training.services import capacity, sessions

from .test_services import rate
from .trainingdata import enrol, officials, session


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_before_is_asked_once_while_the_first_session_is_ahead(world, programme, taught):
    session(world, programme, [taught[0]], days=5)
    a, b = enrol(world, programme, officials(world, 2))
    rate(b, Moment.BEFORE, 3)
    enqueue_due()
    enqueue_due()
    [message] = sent_to(a.person.email)
    assert "Rate your capacity" in message.subject
    assert "/training/self-assessments/" in message.body
    assert not sent_to(b.person.email)
    assert SelfAssessment.objects.get(participant=a, moment=Moment.BEFORE).sent_at is not None


def test_after_is_asked_once_the_last_session_started(world, programme, taught):
    session(world, programme, [taught[0]], days=-2)
    last = session(world, programme, [taught[0]], days=3, title="Last")
    [a] = enrol(world, programme, officials(world, 1))
    rate(a, Moment.BEFORE, 2)
    enqueue_due()
    assert not sent_to(a.person.email)
    sessions.update_session(
        world.civic_lead,
        last,
        modules=[taught[0]],
        trainers=[],
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    enqueue_due(full=True)
    [message] = sent_to(a.person.email)
    assessment = SelfAssessment.objects.get(participant=a, moment=Moment.AFTER)
    assert f"/training/self-assessments/{assessment.pk}/" in message.body


def test_follow_ups_are_asked_on_their_day(world, programme, taught):
    day = session(world, programme, [taught[0]], days=-200)
    [a] = enrol(world, programme, officials(world, 1))
    rate(a, Moment.BEFORE, 2)
    rate(a, Moment.AFTER, 4)
    sessions.invite(world.civic_lead, day, [a])
    sessions.take_attendance(world.civic_lead, day, [a.pk])
    capacity.plan_follow_ups(world.civic_lead, programme)
    enqueue_due(full=True)
    subjects = sent_to(a.person.email)
    assert len(subjects) == 2  # three and six months: both days have come


def test_a_participant_with_an_account_finds_their_open_self_assessment(world, programme, taught):
    from civicbridge.collaborations.attention import Viewer, needs_you

    session(world, programme, [taught[0]], days=5)
    [mine] = enrol(world, programme, [world.official.person])
    [other] = enrol(world, programme, officials(world, 1))
    kinds = [
        (group.collaboration, line.kind, line.url)
        for group in needs_you(Viewer.of(world.official)).groups
        for line in group.lines
        if line.kind == "training_rating"
    ]
    assert kinds == [
        (programme, "training_rating", f"/collaborations/{programme.pk}/training/mine/")
    ]
    rate(mine, Moment.BEFORE, 3)
    still = [
        line
        for group in needs_you(Viewer.of(world.official)).groups
        for line in group.lines
        if line.kind == "training_rating"
    ]
    assert still == []
    assert other.person != world.official.person
