"""The demo's past hackathon: projects answering the councils' challenges, judged with a
recusal and a tie, results published, an engagement plan, and closed through the gate."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from civicbridge.accounts.models import User
from civicbridge.events import demo as events_demo
from civicbridge.events import judging as rules
from civicbridge.events.demo import PAST_HACKATHON
from civicbridge.events.models import Event
from civicbridge.events.services import judging
from civicbridge.partners import demo as partners_demo
from civicbridge.partners.management.commands.load_demo import PASSWORD
from civicbridge.playbook import checks
from conftest import loaded_for_module


def load_events_demo() -> None:
    """The events demo on the organisations and personas it builds on (not the whole
    workspace: the other rooms' demos are theirs to test)."""
    call_command("load_playbook", stdout=StringIO())
    admin = User.objects.create_superuser("admin@example.org", PASSWORD)
    partners_demo.load_real_data()
    partners_demo.load_personas(admin, PASSWORD)
    events_demo.load(admin, PASSWORD)


@pytest.fixture(scope="module")
def events_demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Loaded once for the module: these tests only read it."""
    media_root = tmp_path_factory.mktemp("events-demo") / "media"
    with loaded_for_module(django_db_blocker, media_root, load_events_demo):
        yield


@pytest.fixture
def past(events_demo_loaded, db):
    return Event.objects.select_related("collaboration").get(collaboration__title=PAST_HACKATHON)


def test_the_past_hackathon_closed_about_fourteen_months_ago(past):
    collaboration = past.collaboration
    today = timezone.localdate()
    assert collaboration.stage == "closed"
    assert today - timedelta(days=450) < collaboration.end_date < today - timedelta(days=400)
    assert collaboration.closed_on > collaboration.end_date
    closing = collaboration.transitions.get(to_stage="closed")
    assert all(result["passed"] for result in closing.gate_results)


def test_every_project_answers_a_published_challenge_of_the_event(past):
    projects = list(past.projects.select_related("challenge", "team"))
    assert len(projects) == 8
    assert all(
        p.challenge.event_id == past.pk and p.challenge.status == "published" for p in projects
    )
    assert all(p.team and p.problem and p.users and p.concept for p in projects)


def test_the_results_are_published_with_a_recusal_and_a_tie(past):
    results = judging.results(past)
    assert past.results_published_at is not None and past.tie_break == rules.TIE_BREAK
    assert [r.project.title for r in results[:2]] == ["Snap and Send", "Rates in Plain Words"]
    assert all(r.project.winner == (r.rank in (1, 2)) for r in results)
    kerb = next(r for r in results if r.project.title == "Kerb Map")
    assert kerb.judges == 2  # a judge who mentors the team recused
    assert kerb.decided_by == rules.BY_TOTAL
    step_free = next(r for r in results if r.project.title == "Step-Free Routes")
    assert (step_free.total, step_free.decided_by) == (kerb.total, rules.BY_HEAVIEST)
    assert (kerb.rank or 0) + 1 == step_free.rank


def test_the_engagement_plan_is_complete(past):
    assert checks.run("events.engagement_plan", past.collaboration)[0]
    plans = [p.engagement_plan for p in past.projects.all()]
    continuing = [plan for plan in plans if plan.worth_continuing]
    assert len(continuing) == 3
    assert all(plan.owner and plan.capacity and plan.commitments.exists() for plan in continuing)
