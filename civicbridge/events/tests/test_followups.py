"""Follow-ups of each project (E5): planned on closing, sent when due, reminded once, then
unknown; answered once through a signed link; and what a project led to."""

from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from civicbridge.collaborations.models import Activity
from civicbridge.collaborations.services.lifecycle import create_collaboration
from civicbridge.core.dates import add_months
from civicbridge.events.choices import ProjectStatus, Respondent
from civicbridge.events.models import Project, ProjectFollowUp
from civicbridge.events.services import followups
from civicbridge.notifications import services as sender
from civicbridge.notifications.models import Reminder
from civicbridge.notifications.services import enqueue_due, send_reminder
from civicbridge.partners.choices import OrganisationKind
from tests.factories import OrganisationFactory

from .followupdata import EVENT_DAY, close, give_official_an_address, past_event, project


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def run_pass(when: datetime) -> dict[str, int]:
    """One scheduler pass at `when`; the tests' tasks run at once, so what it enqueues goes."""
    with time_machine.travel(when, tick=False):
        return enqueue_due()


@pytest.fixture
def event(world, playbook):
    give_official_an_address(world)
    found = past_event(world)
    project(world, found, "Bin map", contact="Ana Lee", committed=True)
    project(world, found, "Bus times", contact="Ben Ode")
    project(world, found, "Nobody to ask")
    return found


@pytest.fixture
def closed(world, event):
    with time_machine.travel(at(EVENT_DAY + timedelta(days=10))):
        close(world, event)
    return event


def test_closing_plans_follow_ups_at_one_three_six_and_twelve_months(closed):
    rows = ProjectFollowUp.objects.order_by("project__title", "months", "respondent")
    assert [(f.project.title, f.months, f.respondent, f.due_on) for f in rows] == [
        ("Bin map", months, respondent, add_months(EVENT_DAY, months))
        for months in (1, 3, 6, 12)
        for respondent in (Respondent.OFFICIAL, Respondent.TEAM)
    ] + [
        ("Bus times", months, Respondent.TEAM, add_months(EVENT_DAY, months))
        for months in (1, 3, 6, 12)
    ]
    assert add_months(EVENT_DAY, 1) == date(2025, 4, 15)
    assert {f.email for f in rows} == {
        "ana.lee@example.net",
        "ben.ode@example.net",
        "sam.official@council.example",
    }


def test_planning_again_adds_only_what_is_missing(world, closed):
    project(world, closed, "Late entry", contact="Cy Late")
    with time_machine.travel(at(EVENT_DAY + timedelta(days=12))):
        assert followups.schedule_follow_ups(world.civic_lead, closed) == 4
        assert followups.schedule_follow_ups(world.civic_lead, closed) == 0


def test_a_late_close_asks_once_about_the_latest_period_gone(world, event):
    with time_machine.travel(at(add_months(EVENT_DAY, 4))):
        close(world, event)
    months = set(ProjectFollowUp.objects.values_list("months", flat=True))
    assert months == {3, 6, 12}


def test_the_playbook_names_the_periods(world, event, playbook):
    content = playbook.content
    model = next(m for m in content["models"] if m["id"] == "event")
    assert model["parameters"]["project_follow_up_months"] == [1, 3, 6, 12]
    assert followups.project_follow_up_months(event.collaboration) == [1, 3, 6, 12]


def test_other_collaborations_closing_plan_no_project_follow_ups(world, closed, fellowship):
    assert ProjectFollowUp.objects.filter(project__event__collaboration=fellowship).count() == 0
    assert not closed.collaboration.follow_ups.exists()  # no institution-wide F3 follow-up


# Sending, reminding, unknown ------------------------------------------------------------


def test_due_follow_ups_are_e_mailed_once_with_their_own_link(closed):
    one_month = add_months(EVENT_DAY, 1)
    assert run_pass(at(one_month - timedelta(days=1)))["follow_ups"] == 0
    assert run_pass(at(one_month))["follow_ups"] == 3
    assert run_pass(at(one_month, 10))["follow_ups"] == 0
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana.lee@example.net",
        "ben.ode@example.net",
        "sam.official@council.example",
    ]
    message = next(m for m in mail.outbox if m.to == ["ben.ode@example.net"])
    follow_up = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=1)
    assert "Bus times" in message.subject
    assert f"/follow-ups/projects/{follow_up.pk}/" in message.body
    assert follow_up.sent_at == at(one_month)


def test_a_failed_e_mail_is_tried_again_at_the_next_pass(closed, monkeypatch):
    one_month = add_months(EVENT_DAY, 1)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(sender, "send_mail", refuse)
    assert run_pass(at(one_month))["follow_ups"] == 0
    assert not ProjectFollowUp.objects.filter(sent_at__isnull=False).exists()
    monkeypatch.undo()
    assert run_pass(at(one_month, 10))["follow_ups"] == 3
    assert len(mail.outbox) == 3


@pytest.fixture
def queued(settings):
    """Passes only enqueue, as with a worker beside them: the tests below are the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_follow_up_is_claimed_once_when_two_senders_race(closed, queued, monkeypatch):
    one_month = add_months(EVENT_DAY, 1)
    assert run_pass(at(one_month))["enqueued"] == 3
    assert mail.outbox == []
    ask = Reminder.objects.get(email="ben.ode@example.net")
    # A second sender takes the same row while the first holds it, between claim and mail.
    second: list[bool] = []
    deliver = sender.send_mail

    def second_sender_meanwhile(*args, **kwargs):
        second.append(send_reminder.call(ask.pk))
        return deliver(*args, **kwargs)

    monkeypatch.setattr(sender, "send_mail", second_sender_meanwhile)
    with time_machine.travel(at(one_month, 10), tick=False):
        assert send_reminder.call(ask.pk) is True
    monkeypatch.undo()
    assert second == [False]
    assert send_reminder.call(ask.pk) is False
    assert [m.to for m in mail.outbox] == [["ben.ode@example.net"]]
    ask.refresh_from_db()
    assert ask.attempts == 1
    follow_up = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=1)
    assert follow_up.sent_at == ask.sent_at == at(one_month, 10)
    assert ProjectFollowUp.objects.filter(sent_at__isnull=False).count() == 1


def test_a_follow_up_not_yet_sent_is_not_made_twice_by_a_second_pass(closed, queued):
    one_month = add_months(EVENT_DAY, 1)
    assert run_pass(at(one_month))["created"] == 3
    assert run_pass(at(one_month, 9) + timedelta(minutes=1)) == {
        "created": 0,
        "enqueued": 0,
        "follow_ups": 0,
        "follow_ups_unknown": 0,
        "health": 0,
        "lost_tasks": 0,
        "settled_reminders": 0,
    }
    assert Reminder.objects.filter(kind="project_follow_up").count() == 3


def test_unanswered_follow_ups_are_reminded_once_then_marked_unknown(closed):
    sent = add_months(EVENT_DAY, 1)
    run_pass(at(sent))
    answered = ProjectFollowUp.objects.get(email="ana.lee@example.net", months=1)
    followups.answer_follow_up(answered, status=ProjectStatus.ACTIVE)
    mail.outbox.clear()

    reminders = sent + followups.REMIND_AFTER
    assert run_pass(at(reminders - timedelta(days=1)))["follow_ups"] == 0
    assert run_pass(at(reminders))["follow_ups"] == 2  # not the one answered
    assert run_pass(at(reminders + timedelta(days=5)))["follow_ups"] == 0
    assert len(mail.outbox) == 2 and all("Reminder" in m.subject for m in mail.outbox)
    assert set(
        ProjectFollowUp.objects.exclude(reminded_at=None).values_list("email", flat=True)
    ) == {
        "ben.ode@example.net",
        "sam.official@council.example",
    }

    unknown = reminders + followups.UNKNOWN_AFTER
    assert run_pass(at(unknown - timedelta(days=1)))["follow_ups_unknown"] == 0
    assert run_pass(at(unknown))["follow_ups_unknown"] == 2
    assert run_pass(at(unknown, 10))["follow_ups_unknown"] == 0
    statuses = dict(ProjectFollowUp.objects.filter(months=1).values_list("email", "status"))
    assert statuses == {
        "ana.lee@example.net": ProjectStatus.ACTIVE,
        "ben.ode@example.net": ProjectStatus.UNKNOWN,
        "sam.official@council.example": ProjectStatus.UNKNOWN,
    }
    # Nobody answered for "Bus times": its status is unknown. "Bin map" had an answer.
    assert Project.objects.get(title="Bus times").status == ProjectStatus.UNKNOWN
    assert Project.objects.get(title="Bin map").status == ProjectStatus.ACTIVE
    assert len(mail.outbox) == 2  # marking unknown sends nothing
    assert Activity.objects.filter(message__contains="marked unknown").count() == 1


def test_a_follow_up_marked_unknown_may_still_be_answered(closed):
    sent = add_months(EVENT_DAY, 1)
    run_pass(at(sent))
    run_pass(at(sent + followups.REMIND_AFTER))
    run_pass(at(sent + followups.REMIND_AFTER + followups.UNKNOWN_AFTER))
    late = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=1)
    assert late.status == ProjectStatus.UNKNOWN
    assert followups.answer_follow_up(late, status=ProjectStatus.PAUSED) is not None
    assert Project.objects.get(title="Bus times").status == ProjectStatus.PAUSED


# Answers -------------------------------------------------------------------------------


def test_an_answer_sets_the_projects_status_and_tells_the_feed(closed):
    follow_up = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=3)
    when = at(add_months(EVENT_DAY, 3), 15)
    followups.answer_follow_up(
        follow_up,
        status=ProjectStatus.ADOPTED,
        evidence_url="https://council.example/bus-times",
        note="The council runs it now.",
        answered_at=when,
    )
    found = Project.objects.get(title="Bus times")
    assert (found.status, found.status_on) == (ProjectStatus.ADOPTED, when.date())
    line = Activity.objects.get(message__contains="3-month follow-up")
    assert "Ben Ode" in line.message and "Adopted by the institution" in line.message
    assert line.at == when


def test_an_answer_is_taken_once(closed):
    follow_up = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=1)
    assert followups.answer_follow_up(follow_up, status=ProjectStatus.ACTIVE) is not None
    stale = ProjectFollowUp.objects.get(pk=follow_up.pk)
    stale.answered_at = None  # a second submission read the row before the first saved
    assert followups.answer_follow_up(stale, status=ProjectStatus.ABANDONED) is None
    assert ProjectFollowUp.objects.get(pk=follow_up.pk).status == ProjectStatus.ACTIVE


def test_unknown_is_no_answer_and_a_bad_link_is_refused(closed):
    follow_up = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=1)
    with pytest.raises(ValidationError):
        followups.answer_follow_up(follow_up, status=ProjectStatus.UNKNOWN)
    with pytest.raises(ValidationError):
        followups.answer_follow_up(
            follow_up, status=ProjectStatus.ACTIVE, evidence_url="javascript:alert(1)"
        )
    assert ProjectFollowUp.objects.get(pk=follow_up.pk).answered_at is None


def test_the_institution_adopting_outweighs_a_team_that_moved_on(closed):
    team = ProjectFollowUp.objects.get(email="ana.lee@example.net", months=6)
    official = ProjectFollowUp.objects.get(email="sam.official@council.example", months=6)
    followups.answer_follow_up(official, status=ProjectStatus.ADOPTED)
    followups.answer_follow_up(team, status=ProjectStatus.ABANDONED)
    assert Project.objects.get(title="Bin map").status == ProjectStatus.ADOPTED


def test_a_late_answer_for_an_earlier_period_leaves_the_later_status(closed):
    six = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=6)
    three = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=3)
    followups.answer_follow_up(six, status=ProjectStatus.ABANDONED)
    followups.answer_follow_up(three, status=ProjectStatus.ACTIVE)
    assert Project.objects.get(title="Bus times").status == ProjectStatus.ABANDONED


# The link ------------------------------------------------------------------------------


def link_of(follow_up: ProjectFollowUp) -> str:
    return urlsplit(followups.answer_url(follow_up)).path


def test_the_link_opens_the_form_and_takes_the_answer_without_an_account(client, closed):
    follow_up = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=1)
    link = link_of(follow_up)
    page = client.get(link)
    assert page.status_code == 200
    assert "Bus times" in page.text and "ben.ode@example.net" not in page.text
    answer = client.post(
        link, {"status": "handed_over", "evidence_url": "https://example.org/app", "note": ""}
    )
    assert answer.status_code == 302
    assert answer["Location"] == reverse("events:follow_up_thanks")
    follow_up.refresh_from_db()
    assert follow_up.status == ProjectStatus.HANDED_OVER and follow_up.answered_at


def test_a_used_link_is_refused(client, closed):
    follow_up = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=1)
    link = link_of(follow_up)
    client.post(link, {"status": "active"})
    again = client.post(link, {"status": "abandoned"})
    assert again.status_code == 410
    assert "answered already" in again.text
    assert client.get(link).status_code == 410
    assert ProjectFollowUp.objects.get(pk=follow_up.pk).status == ProjectStatus.ACTIVE


def test_an_expired_link_is_refused(client, closed, settings):
    follow_up = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=1)
    sent = at(add_months(EVENT_DAY, 1))
    with time_machine.travel(sent):
        link = link_of(follow_up)
    last_day = sent + timedelta(days=settings.EVENT_FOLLOW_UP_LINK_DAYS)
    with time_machine.travel(last_day - timedelta(minutes=1)):
        assert client.get(link).status_code == 200
    with time_machine.travel(last_day + timedelta(minutes=1)):
        refused = client.post(link, {"status": "active"})
    assert refused.status_code == 410
    assert "expired" in refused.text
    assert ProjectFollowUp.objects.get(pk=follow_up.pk).answered_at is None


def test_a_forged_link_is_refused(client, closed):
    follow_up = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=1)
    link = link_of(follow_up)
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged_payload = signing.dumps({"id": follow_up.pk, "months": 1}, salt="another.purpose")
    url = lambda key: reverse("events:follow_up_answer", args=[follow_up.pk, key])  # noqa: E731
    for key in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged_payload, "x"):
        refused = client.post(url(key), {"status": "abandoned"})
        assert refused.status_code == 400
        assert "not valid" in refused.text
    assert ProjectFollowUp.objects.get(pk=follow_up.pk).answered_at is None


def test_a_link_works_for_its_own_period_and_person_only(client, closed):
    three = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=3)
    six = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=6)
    token = link_of(three).rstrip("/").rsplit("/", 1)[1]
    refused = client.post(
        reverse("events:follow_up_answer", args=[six.pk, token]), {"status": "abandoned"}
    )
    assert refused.status_code == 400
    assert "3-month follow-up, not this 6-month one" in refused.text
    ana = ProjectFollowUp.objects.get(email="ana.lee@example.net", months=3)
    refused = client.post(
        reverse("events:follow_up_answer", args=[ana.pk, token]), {"status": "abandoned"}
    )
    assert refused.status_code == 400
    assert "belongs to another person" in refused.text
    assert not ProjectFollowUp.objects.filter(answered_at__isnull=False).exists()


def test_a_link_to_no_follow_up_is_not_found(client, closed):
    follow_up = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=1)
    token = link_of(follow_up).rstrip("/").rsplit("/", 1)[1]
    missing = client.get(reverse("events:follow_up_answer", args=[10**9, token]))
    assert missing.status_code == 404


def test_an_invalid_answer_shows_the_form_again(client, closed):
    follow_up = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=1)
    page = client.post(link_of(follow_up), {"status": "", "evidence_url": "not a link"})
    assert page.status_code == 200
    assert page.text.count("usa-form-group--error") == 2  # the status and the link
    assert ProjectFollowUp.objects.get(pk=follow_up.pk).answered_at is None


# The tab -------------------------------------------------------------------------------


def test_the_tab_shows_each_period_and_keeps_team_names_on_the_organisers_side(
    world, closed, client_for
):
    follow_up = ProjectFollowUp.objects.get(email="ben.ode@example.net", months=1)
    followups.answer_follow_up(follow_up, status=ProjectStatus.ACTIVE, note="Weekly releases.")
    url = reverse("events:follow_ups", args=[closed.collaboration_id])
    organisers = client_for(world.civic_lead).get(url)
    assert organisers.status_code == 200
    assert "Ben Ode" in organisers.text and "Weekly releases." in organisers.text
    institution = client_for(world.official).get(url)
    assert institution.status_code == 200
    assert "Ben Ode" not in institution.text and "Team contact" in institution.text
    assert "Sam Official" in institution.text  # an official's name is no participant's
    assert client_for(world.outsider).get(url).status_code == 404


def test_the_tab_lists_the_same_number_of_queries_for_ten_times_the_projects(
    world, event, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    close(world, event)
    client = client_for(world.civic_lead)
    url = reverse("events:follow_ups", args=[event.collaboration_id])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(27):
        project(world, event, f"More {n}", contact=f"Person {n}")
    followups.schedule_follow_ups(world.civic_lead, event)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


# What a project led to -----------------------------------------------------------------


@pytest.fixture
def grown(world, fellowship):
    return fellowship


def test_organisers_link_a_project_to_the_fellowship_it_led_to(world, closed, grown, client_for):
    bins = Project.objects.get(title="Bin map")
    client = client_for(world.civic_lead)
    url = reverse("events:project_led_to", args=[closed.collaboration_id, bins.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"led_to": grown.pk}).status_code == 302
    assert Project.objects.get(pk=bins.pk).led_to == grown
    tab = client.get(reverse("events:follow_ups", args=[closed.collaboration_id]))
    assert grown.title in tab.text
    overview = client.get(reverse("collaborations:detail", args=[grown.pk]))
    assert "Grew out of" in overview.text and "Bin map" in overview.text
    assert Activity.objects.filter(collaboration=grown, message__contains="Bin map").exists()


def test_only_organisers_link_and_only_to_their_own_other_work(world, closed, grown):
    bins = Project.objects.get(title="Bin map")
    with pytest.raises(PermissionDenied):
        followups.set_led_to(world.official, bins, grown)
    other_civic = OrganisationFactory(kind=OrganisationKind.CIVIC)
    elsewhere = create_collaboration(
        world.official,
        model="fellowship",
        title="Someone else's fellowship",
        civic_organisation=other_civic,
        institution=world.institution,
    )
    with pytest.raises(ValidationError):
        followups.set_led_to(world.civic_lead, bins, elsewhere)
    with pytest.raises(ValidationError):
        followups.set_led_to(world.civic_lead, bins, closed.collaboration)  # an event
    assert Project.objects.get(pk=bins.pk).led_to is None


def test_the_institution_cannot_open_the_link_form(world, closed, client_for):
    bins = Project.objects.get(title="Bin map")
    url = reverse("events:project_led_to", args=[closed.collaboration_id, bins.pk])
    assert client_for(world.official).get(url).status_code == 403


# Two senders at once, for real: PostgreSQL runs both writers side by side ------------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_follow_up_once_on_postgresql(world, event, settings):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite runs one writer at a time.")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with time_machine.travel(at(EVENT_DAY + timedelta(days=10))):
        close(world, event)
    run_pass(at(add_months(EVENT_DAY, 1)))
    asks = list(Reminder.objects.exclude(email="").values_list("pk", flat=True))
    assert len(asks) == 3
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            for pk in asks:
                send_reminder.call(pk)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana.lee@example.net",
        "ben.ode@example.net",
        "sam.official@council.example",
    ]
    assert set(Reminder.objects.filter(pk__in=asks).values_list("attempts", flat=True)) == {1}
    assert not ProjectFollowUp.objects.filter(months=1, sent_at__isnull=True).exists()
