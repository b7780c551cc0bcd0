"""The handover plan (F3): successors, tasks, the gate on closing, and follow-ups by link."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.collaborations.choices import Stage, StillRunning, TrainingStatus
from civicbridge.collaborations.models import Activity, FollowUp, HandoverTask, Risk, Successor
from civicbridge.collaborations.services import handover as services
from civicbridge.collaborations.services.lifecycle import GateRefused, advance
from tests.factories import FollowUpFactory, MembershipFactory, PersonFactory


def official(world, **kwargs):
    """Another official with a current membership of the institution."""
    person = PersonFactory.create(**kwargs)
    MembershipFactory.create(person=person, organisation=world.institution)
    return person


def closing(fellowship):
    """The fellowship at `closing`, with the MOU both sides signed, as it must be by then."""
    from civicbridge.collaborations.services import agreement
    from tests.factories import PASSWORD

    world_civic, world_institution = fellowship.civic_organisation, fellowship.institution
    lead = world_civic.memberships.get(access="admin").person.user
    official = world_institution.memberships.get(access="admin").person.user
    agreement.add_obligation(
        lead,
        fellowship,
        party=world_institution,
        description="Host the fellow.",
        owner=official.person,
        due_date=fellowship.start_date,
    )
    for signer in (lead, official):
        agreement.sign_agreement(signer, fellowship, version=1, password=PASSWORD)
    fellowship.stage = Stage.CLOSING
    fellowship.save(update_fields=["stage"])
    return fellowship


def close(world, fellowship):
    """A fellowship closed with a complete handover, as the gate wants it."""
    closing(fellowship)
    services.add_successor(
        world.official,
        fellowship,
        person=world.official.person,
        training_status=TrainingStatus.TRAINED,
    )
    task = services.add_task(world.civic_lead, fellowship, title="Hand over the code")
    services.complete_task(world.official, task)
    advance(world.civic_lead, fellowship, early=True)
    return fellowship


# Successors and tasks


def test_a_successor_is_a_current_official_of_the_institution(world, fellowship):
    with pytest.raises(ValidationError) as error:
        services.add_successor(world.civic_lead, fellowship, person=world.civic_lead.person)
    assert "person" in error.value.message_dict
    former = PersonFactory.create()
    MembershipFactory.create(
        person=former, organisation=world.institution, end_date=date.today() - timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        services.add_successor(world.civic_lead, fellowship, person=former)
    successor = services.add_successor(
        world.civic_lead, fellowship, person=official(world), takes_over="The open data portal"
    )
    assert successor.training_status == TrainingStatus.NOT_STARTED
    assert Activity.objects.filter(collaboration=fellowship, message__contains="successor").exists()


def test_a_successor_is_named_once(world, fellowship):
    person = official(world)
    services.add_successor(world.civic_lead, fellowship, person=person)
    with pytest.raises(ValidationError, match="already"):
        services.add_successor(world.official, fellowship, person=person)


def test_only_members_of_either_side_change_the_plan(world, fellowship):
    for user in (world.outsider, world.admin):
        with pytest.raises(PermissionDenied):
            services.add_task(user, fellowship, title="x")
    services.add_task(world.official, fellowship, title="Write the runbook")
    services.add_task(world.fellow, fellowship, title="Train the team")
    assert fellowship.handover_tasks.count() == 2


def test_a_task_owner_is_a_person_of_either_side(world, fellowship):
    with pytest.raises(ValidationError) as error:
        services.add_task(world.civic_lead, fellowship, title="x", owner=world.outsider.person)
    assert "owner" in error.value.message_dict
    services.add_task(world.civic_lead, fellowship, title="a", owner=world.fellow.person)
    services.add_task(world.civic_lead, fellowship, title="b", owner=world.official.person)


def test_training_status_changes_are_recorded(world, fellowship):
    successor = services.add_successor(world.civic_lead, fellowship, person=official(world))
    services.update_successor(world.official, successor, training_status=TrainingStatus.IN_TRAINING)
    successor.refresh_from_db()
    assert successor.training_status == TrainingStatus.IN_TRAINING
    assert Activity.objects.filter(message__contains="In training").exists()


def test_completing_a_task_twice_keeps_the_first_date(world, fellowship):
    task = services.add_task(world.civic_lead, fellowship, title="Docs")
    with time_machine.travel(date(2030, 1, 5)):
        services.complete_task(world.civic_lead, task)
    with time_machine.travel(date(2030, 1, 9)):
        services.complete_task(world.official, task)
    task.refresh_from_db()
    assert task.done_on == date(2030, 1, 5)
    assert Activity.objects.filter(message__contains="done").count() == 1
    services.reopen_task(world.civic_lead, task)
    task.refresh_from_db()
    assert task.done_on is None


def test_the_plan_is_frozen_once_closed(world, fellowship):
    close(world, fellowship)
    with pytest.raises(ValidationError, match="closed"):
        services.add_task(world.civic_lead, fellowship, title="Late")
    task = fellowship.handover_tasks.get()
    with pytest.raises(ValidationError):
        services.reopen_task(world.civic_lead, task)


def test_removing_a_successor(world, fellowship):
    successor = services.add_successor(world.civic_lead, fellowship, person=official(world))
    services.remove_successor(world.official, successor)
    assert not Successor.objects.exists()


# The gate on closing


def test_closing_is_refused_without_handover_tasks(world, fellowship):
    closing(fellowship)
    services.add_successor(
        world.civic_lead, fellowship, person=official(world), training_status="trained"
    )
    with pytest.raises(GateRefused, match="no tasks"):
        advance(world.civic_lead, fellowship, early=True)
    fellowship.refresh_from_db()
    assert fellowship.stage == Stage.CLOSING


def test_closing_is_refused_with_an_open_task(world, fellowship):
    closing(fellowship)
    services.add_successor(
        world.civic_lead, fellowship, person=official(world), training_status="trained"
    )
    services.complete_task(
        world.civic_lead, services.add_task(world.civic_lead, fellowship, title="a")
    )
    services.add_task(world.civic_lead, fellowship, title="b")
    with pytest.raises(GateRefused, match=r"1 handover tasks? (is|are) not done"):
        advance(world.civic_lead, fellowship, early=True)


def test_closing_is_refused_without_a_trained_successor(world, fellowship):
    closing(fellowship)
    services.add_successor(
        world.civic_lead, fellowship, person=official(world), training_status="in_training"
    )
    services.complete_task(
        world.civic_lead, services.add_task(world.civic_lead, fellowship, title="a")
    )
    with pytest.raises(GateRefused, match="no successor official is trained"):
        advance(world.civic_lead, fellowship, early=True)


def test_closing_with_a_complete_handover_schedules_follow_ups(world, fellowship):
    with time_machine.travel(date(2030, 3, 31)):
        close(world, fellowship)
    fellowship.refresh_from_db()
    assert fellowship.stage == Stage.CLOSED
    assert [(f.months_after, f.due_on) for f in fellowship.follow_ups.all()] == [
        (6, date(2030, 9, 30)),
        (12, date(2031, 3, 31)),
    ]
    # The credit gate is not blocking: it only records a risk.
    assert Risk.objects.filter(condition="fellowship.government_credit").exists()


# The handover tab


def test_handover_tab_shows_what_blocks_closing_and_the_playbook_advice(
    world, fellowship, client_for
):
    response = client_for(world.fellow).get(
        reverse("collaborations:handover", args=[fellowship.pk])
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "What still blocks closing" in text
    assert "the handover plan has no tasks" in text
    assert "train them during the fellowship" in text  # the playbook's mitigation


def test_handover_tab_warns_near_the_end_with_open_tasks(world, fellowship, client_for):
    fellowship.end_date = timezone.localdate() + timedelta(days=20)
    fellowship.start_date = fellowship.end_date - timedelta(days=100)
    fellowship.save()
    url = reverse("collaborations:handover", args=[fellowship.pk])
    task = services.add_task(
        world.civic_lead, fellowship, title="Runbook", due_date=date.today() - timedelta(days=1)
    )
    text = client_for(world.civic_lead).get(url).content.decode()
    assert "handover task is still open" in text
    assert "Overdue" in text
    services.complete_task(world.civic_lead, task)
    text = client_for(world.civic_lead).get(url).content.decode()
    assert "still open" not in text and "Overdue" not in text


def test_done_button_completes_a_task(world, fellowship, client_for):
    task = services.add_task(world.civic_lead, fellowship, title="Runbook")
    url = reverse("collaborations:handover_task_done", args=[fellowship.pk, task.pk])
    assert client_for(world.civic_lead).get(url).status_code == 405
    response = client_for(world.official).post(url)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_on == timezone.localdate()
    reopen = reverse("collaborations:handover_task_reopen", args=[fellowship.pk, task.pk])
    client_for(world.official).post(reopen)
    task.refresh_from_db()
    assert task.done_on is None


def test_viewers_and_outsiders_cannot_complete_tasks(world, fellowship, client_for):
    task = services.add_task(world.civic_lead, fellowship, title="Runbook")
    url = reverse("collaborations:handover_task_done", args=[fellowship.pk, task.pk])
    assert client_for(world.outsider).post(url).status_code == 404
    assert client_for(world.admin).post(url).status_code == 403
    task.refresh_from_db()
    assert task.done_on is None


def test_the_status_form_changes_training(world, fellowship, client_for):
    successor = services.add_successor(
        world.civic_lead, fellowship, person=official(world), takes_over="Portal"
    )
    url = reverse("collaborations:successor_edit", args=[fellowship.pk, successor.pk])
    response = client_for(world.official).post(
        url, {"takes_over": "Portal", "training_status": "trained"}
    )
    assert response.status_code == 302
    successor.refresh_from_db()
    assert (successor.training_status, successor.takes_over) == ("trained", "Portal")


def test_successor_form_offers_only_the_institutions_officials(world, fellowship, client_for):
    url = reverse("collaborations:successor_create", args=[fellowship.pk])
    response = client_for(world.civic_lead).post(url, {"person": world.civic_lead.person.pk})
    assert response.status_code == 200
    assert not Successor.objects.exists()
    person = official(world, name="Pat Heir")
    response = client_for(world.civic_lead).post(
        url, {"person": person.pk, "takes_over": "x", "training_status": "not_started"}
    )
    assert response.status_code == 302
    assert Successor.objects.get().person == person


def test_follow_up_links_show_to_the_institution_only(world, fellowship, client_for):
    close(world, fellowship)
    url = reverse("collaborations:handover", args=[fellowship.pk])
    token = fellowship.follow_ups.first().token
    official_page = client_for(world.official).get(url).content.decode()
    assert "Not answered" in official_page
    assert f"http://testserver/follow-ups/{token}/" in official_page
    civic_page = client_for(world.civic_lead).get(url).content.decode()
    assert "Not answered" in civic_page and token not in civic_page


# Follow-ups by link, no account


@pytest.fixture
def follow_up(world, fellowship):
    close(world, fellowship)
    return fellowship.follow_ups.get(months_after=6)


def answer_url(follow_up):
    return reverse("collaborations:follow_up_answer", args=[follow_up.token])


def test_an_unknown_follow_up_token_is_not_found(db, client):
    assert client.get("/follow-ups/not-a-token/").status_code == 404


def test_a_follow_up_opens_on_its_due_date(follow_up, client):
    response = client.get(answer_url(follow_up))
    assert response.status_code == 200
    assert "This follow-up opens on" in response.content.decode()
    assert response.context["form"] is None
    client.post(answer_url(follow_up), {"answer": "yes", "answered_by": "Early"})
    follow_up.refresh_from_db()
    assert follow_up.answered_at is None


def test_a_follow_up_is_answered_without_an_account(
    world, follow_up, client, django_capture_on_commit_callbacks
):
    with time_machine.travel(follow_up.due_on + timedelta(days=1)):
        assert client.get(answer_url(follow_up)).context["form"] is not None
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                answer_url(follow_up),
                {"answer": "partly", "evidence": "The portal runs.", "answered_by": "Sam Official"},
            )
        assert response.status_code == 302
        page = client.get(answer_url(follow_up))
    follow_up.refresh_from_db()
    assert (follow_up.answer, follow_up.answered_by) == (StillRunning.PARTLY, "Sam Official")
    assert "Thank you" in page.content.decode() and page.context["form"] is None
    activity = Activity.objects.get(message__contains="6-month follow-up")
    assert (activity.owner_organisation, activity.visibility) == (world.institution, "both")
    assert any("Follow-up answered" in message.subject for message in mail.outbox)


def test_a_second_answer_changes_nothing(follow_up, client):
    with time_machine.travel(follow_up.due_on):
        client.post(answer_url(follow_up), {"answer": "yes", "answered_by": "First"})
        response = client.post(answer_url(follow_up), {"answer": "no", "answered_by": "Second"})
    assert response.status_code == 200
    assert "answered already" in response.content.decode()
    follow_up.refresh_from_db()
    assert (follow_up.answer, follow_up.answered_by) == ("yes", "First")
    assert Activity.objects.filter(message__contains="6-month follow-up").count() == 1


def test_a_lost_race_is_refused_by_the_conditional_update(follow_up, monkeypatch):
    """Two submissions both read the row unanswered; only the first update claims it."""
    real_get = FollowUp.objects.select_related

    def stale(*args):
        queryset = real_get(*args)
        row = queryset.get(token=follow_up.token)
        row.answered_at = None  # what the second submission read before the first saved
        return type("Stale", (), {"get": lambda self, **kw: row})()

    with time_machine.travel(follow_up.due_on):
        services.answer_follow_up(follow_up.token, answer="yes", answered_by="A")
        monkeypatch.setattr(FollowUp.objects, "select_related", stale)
        assert services.answer_follow_up(follow_up.token, answer="no", answered_by="B") is None
    follow_up.refresh_from_db()
    assert (follow_up.answer, follow_up.answered_by) == ("yes", "A")


def test_an_answer_needs_a_name(follow_up):
    with time_machine.travel(follow_up.due_on), pytest.raises(ValidationError):
        services.answer_follow_up(follow_up.token, answer="yes", answered_by="  ")


def test_the_answer_form_keeps_csrf(follow_up, client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    with time_machine.travel(follow_up.due_on):
        response = strict.post(answer_url(follow_up), {"answer": "yes", "answered_by": "X"})
    assert response.status_code == 403


# Queries


def add_plan(world, fellowship, how_many):
    for i in range(how_many):
        person = official(world)
        Successor.objects.create(
            collaboration=fellowship, person=person, training_status="in_training"
        )
        HandoverTask.objects.create(
            collaboration=fellowship,
            title=f"Task {i}",
            owner=person,
            due_date=date.today() - timedelta(days=i),
            done_on=date.today() if i % 2 else None,
        )


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_handover_tab_queries_do_not_grow_with_the_plan(world, fellowship, client_for):
    fellowship.stage = Stage.CLOSED
    fellowship.closed_on = date.today()
    fellowship.save()
    for months in (6, 12):
        FollowUpFactory(collaboration=fellowship, months_after=months, due_on=date.today())
    client = client_for(world.official)
    url = reverse("collaborations:handover", args=[fellowship.pk])
    add_plan(world, fellowship, 2)
    few = count_queries(client, url)
    add_plan(world, fellowship, 20)
    assert count_queries(client, url) == few


# Who may open what

PERSONAS = ("civic_lead", "official", "fellow", "outsider", "admin", "anonymous")
BOTH_SIDES = (200, 200, 200, 404, 200, 302)
EDITORS = (200, 200, 200, 404, 403, 302)
POST_ONLY = (405, 405, 405, 405, 405, 302)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("collaborations:handover", BOTH_SIDES),
        ("collaborations:successor_create", EDITORS),
        ("collaborations:successor_edit", EDITORS),
        ("collaborations:successor_delete", EDITORS),
        ("collaborations:handover_task_create", EDITORS),
        ("collaborations:handover_task_done", POST_ONLY),
        ("collaborations:handover_task_reopen", POST_ONLY),
        ("collaborations:follow_up_answer", (200,) * 6),
    ],
)
def test_persona_walk(name, expected, world, fellowship, client_for):
    successor = services.add_successor(world.official, fellowship, person=world.official.person)
    task = services.add_task(world.official, fellowship, title="Runbook")
    follow_up = FollowUpFactory.create(collaboration=fellowship, due_on=date.today())
    kwargs = {
        "collaborations:successor_edit": {"pk": fellowship.pk, "successor_pk": successor.pk},
        "collaborations:successor_delete": {"pk": fellowship.pk, "successor_pk": successor.pk},
        "collaborations:handover_task_done": {"pk": fellowship.pk, "task_pk": task.pk},
        "collaborations:handover_task_reopen": {"pk": fellowship.pk, "task_pk": task.pk},
        "collaborations:follow_up_answer": {"token": follow_up.token},
    }.get(name, {"pk": fellowship.pk})
    url = reverse(name, kwargs=kwargs)
    got = tuple(client_for(getattr(world, persona)).get(url).status_code for persona in PERSONAS)
    assert got == expected
