"""The demo's feedback and shortcomings, loaded with the whole demo workspace."""

from django.urls import reverse

from civicbridge.collaborations.models import Collaboration
from civicbridge.feedback.choices import FeedbackStatus, ShortcomingStatus
from civicbridge.feedback.demo import FELLOWSHIP, SERVICE, TRAINING
from civicbridge.feedback.models import Feedback, Shortcoming


def test_the_demo_has_feedback_in_every_state_with_answers(demo_workspace, db, client):
    collaboration = Collaboration.objects.get(title=FELLOWSHIP)
    rows = Feedback.objects.filter(collaboration=collaboration)
    assert set(rows.values_list("status", flat=True)) == set(FeedbackStatus.values)
    assert rows.exclude(answer="").count() == 2
    public = client.get(reverse("feedback:public", args=[collaboration.pk]))
    assert b"published every night" in public.content
    assert b"resident.sandy.bay@example.org" not in public.content
    assert b"spam spam" not in public.content


def test_the_demo_has_three_shortcomings_in_different_states(demo_workspace, db):
    rows = Shortcoming.objects.filter(collaboration__title=SERVICE)
    assert sorted(rows.values_list("status", flat=True)) == sorted(
        [ShortcomingStatus.IN_PROGRESS, ShortcomingStatus.DECLINED, ShortcomingStatus.PROPOSED]
    )
    assert all(row.solution for row in rows)


def test_the_training_programme_turned_what_it_found_into_solutions(demo_workspace, db):
    rows = Shortcoming.objects.filter(collaboration__title=TRAINING)
    assert sorted(rows.values_list("status", flat=True)) == sorted(
        [ShortcomingStatus.DONE, ShortcomingStatus.IN_PROGRESS, ShortcomingStatus.PROPOSED]
    )
    assert all(row.solution for row in rows)
    said = Feedback.objects.filter(collaboration__title=TRAINING)
    assert sorted(said.values_list("status", flat=True)) == [
        FeedbackStatus.NEW,
        FeedbackStatus.PUBLISHED,
    ]
    assert said.exclude(answer="").count() == 1
