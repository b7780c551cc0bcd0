"""Survival pages: the event's Survival tab and the public page across public events, with
their charts, the numbers they rest on, and constant queries as events grow."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.collaborations.models import Collaboration
from civicbridge.core.dates import add_months
from civicbridge.events import outcomes
from civicbridge.events.models import Event, Project, ProjectFollowUp

from .followupdata import EVENT_DAY, past_event, project

# Eight projects as in the Kaplan-Meier test: (title, answers by month).
FATES = {
    "Alpha": {1: "abandoned"},
    "Bravo": {1: "active", 3: "abandoned"},
    "Charlie": {1: "active", 3: "abandoned"},
    "Delta": {1: "active", 3: "active", 6: "unknown"},
    "Echo": {1: "active", 3: "active", 6: "abandoned"},
    "Foxtrot": {1: "active", 3: "active", 6: "paused", 12: "unknown"},
    "Golf": {1: "active", 3: "active", 6: "active", 12: "adopted"},
    "Hotel": {1: "active", 3: "active", 6: "active", 12: "handed_over"},
}


def followed(event: Event, fates: dict[str, dict[int, str]]) -> None:
    """Projects of the closed `event` with follow-ups answered (or marked unknown) as
    `fates` says."""
    Collaboration.objects.filter(pk=event.collaboration_id).update(stage="closed")
    for title, answers in fates.items():
        found = Project.objects.create(event=event, title=title, winner=title == "Golf")
        for months, status in answers.items():
            due = add_months(EVENT_DAY, months)
            ProjectFollowUp.objects.create(
                project=found,
                months=months,
                due_on=due,
                respondent="team",
                name=f"Contact of {title}",
                email=f"{title.lower()}@example.net",
                status=status,
                answered_at=None
                if status == "unknown"
                else datetime(due.year, due.month, due.day, tzinfo=UTC),
            )


@pytest.fixture
def hackathon(world, playbook):
    event = past_event(world, title="Public hackathon")
    followed(event, FATES)
    return event


def test_the_tab_shows_the_estimate_the_table_and_each_project(world, hackathon, client_for):
    page = client_for(world.official).get(
        reverse("events:survival", args=[hackathon.collaboration_id])
    )
    assert page.status_code == 200
    text = page.text
    # The hand-computed estimate at 12 months: 46.9%; 2 of 6 answered projects adopted or
    # handed over at their latest answer (Foxtrot's latest answer is "paused").
    assert "46.9%" in text
    assert "an estimated 46.9% were still alive 12 months after" in text
    assert (
        "Of 8 projects with an answer, 1 adopted by the institution and 1 handed over: 25.0%"
        in text
    )
    assert "Too few projects were followed that long" not in text
    assert reverse("events:survival_chart", args=[hackathon.collaboration_id]) in text
    for title in FATES:
        assert title in text


def test_engagement_plan_features_are_compared_with_counts(world, playbook):
    event = past_event(world, title="Planned hackathon")
    kept = project(world, event, "Kept", committed=True)
    project(world, event, "Dropped")
    ProjectFollowUp.objects.create(
        project=kept,
        months=12,
        due_on=EVENT_DAY,
        respondent="team",
        name="A",
        email="a@x.org",
        status="adopted",
        answered_at=datetime(2026, 3, 15, tzinfo=UTC),
    )
    found = outcomes.outcomes(Event.objects.filter(pk=event.pk))
    commitments = outcomes.comparisons(found)[0]
    assert [o.title for o in commitments.with_it.outcomes] == ["Kept"]
    assert [o.title for o in commitments.without_it.outcomes] == ["Dropped"]
    assert commitments.with_it.at_horizon == 1.0
    assert commitments.without_it.at_horizon is None  # never followed: nothing to say
    assert commitments.with_it.too_few


def test_the_public_page_counts_public_events_only_and_names_nobody(world, hackathon, client):
    private = past_event(world, title="Private hackathon", public=False)
    followed(private, {"Secret": {1: "abandoned"}})
    page = client.get(reverse("events:public_survival"))
    assert page.status_code == 200
    assert "Public hackathon" in page.text
    assert "Private hackathon" not in page.text and "Secret" not in page.text
    assert "Contact of" not in page.text and "@example.net" not in page.text
    assert "46.9%" in page.text


def test_the_charts_are_svg_without_scripts(world, hackathon, client, client_for):
    public = client.get(reverse("events:public_survival_chart"))
    assert public["Content-Type"] == "image/svg+xml"
    assert "<svg" in public.text and "<script" not in public.text
    tab = client_for(world.civic_lead).get(
        reverse("events:survival_chart", args=[hackathon.collaboration_id])
    )
    assert tab["Content-Type"] == "image/svg+xml" and "<script" not in tab.text
    assert (
        client_for(world.outsider)
        .get(reverse("events:survival_chart", args=[hackathon.collaboration_id]))
        .status_code
        == 404
    )


def test_no_follow_up_yet_says_so(world, playbook, client):
    followed(past_event(world, title="Quiet hackathon"), {})
    page = client.get(reverse("events:public_survival"))
    assert "Quiet hackathon" in page.text
    assert "No project has been followed up yet" in page.text
    # No table of zeros: the comparison waits for answers.
    assert "Officials committed to a next step" not in page.text
    assert "Once follow-ups are answered" in page.text


def test_events_still_open_are_not_counted(world, hackathon, client):
    upcoming = past_event(world, title="Hackathon still closing")
    Project.objects.create(event=upcoming, title="Work in progress")
    page = client.get(reverse("events:public_survival"))
    assert "Hackathon still closing" not in page.text
    assert "Of 8 projects" in page.text


@pytest.mark.parametrize("url_name", ["events:public_survival", "events:public_survival_chart"])
def test_the_public_page_keeps_its_queries_as_events_grow_tenfold(
    world, playbook, client, url_name, django_assert_max_num_queries
):
    event = past_event(world, title="Hackathon 0")
    followed(event, FATES)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(url_name)).status_code == 200
    for n in range(1, 10):
        more = past_event(world, title=f"Hackathon {n}")
        followed(more, {f"{title} {n}": answers for title, answers in FATES.items()})
    with django_assert_max_num_queries(len(one)):
        assert client.get(reverse(url_name)).status_code == 200


def test_the_tab_keeps_its_queries_as_projects_grow_tenfold(
    world, hackathon, client_for, django_assert_max_num_queries
):
    client = client_for(world.civic_lead)
    url = reverse("events:survival", args=[hackathon.collaboration_id])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(1, 10):
        followed(hackathon, {f"{title} {n}": answers for title, answers in FATES.items()})
    with django_assert_max_num_queries(len(one)):
        assert client.get(url).status_code == 200
    assert Project.objects.filter(event=hackathon).count() == 80
