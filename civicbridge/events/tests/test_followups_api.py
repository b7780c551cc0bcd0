"""Follow-ups and survival through the API: the same fetchers and numbers as the tabs."""

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.accounts.tokens import create_token
from civicbridge.collaborations.models import Activity
from civicbridge.events.models import Project, ProjectFollowUp

from .followupdata import EVENT_DAY, close, give_official_an_address, past_event, project
from .test_survival_pages import FATES, followed


def bearer(user) -> dict:
    _token, secret = create_token(user, name="Script", scope="read-write")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def closed(world, playbook):
    give_official_an_address(world)
    event = past_event(world)
    project(world, event, "Bin map", contact="Ana Lee", committed=True)
    with time_machine.travel(datetime.combine(EVENT_DAY, time(12), tzinfo=UTC)):
        close(world, event)
    return event


def test_follow_ups_name_team_contacts_to_the_organisers_only(world, closed, client):
    url = reverse("api:event_follow_ups", args=[closed.collaboration_id])
    organisers = client.get(url, headers=bearer(world.civic_lead)).json()["items"]
    institution = client.get(url, headers=bearer(world.official)).json()["items"]
    assert {(f["months"], f["respondent"], f["name"]) for f in organisers} == {
        (months, respondent, name)
        for months in (1, 3, 6, 12)
        for respondent, name in (("team", "Ana Lee"), ("official", "Sam Official"))
    }
    assert {f["name"] for f in institution if f["respondent"] == "team"} == {""}
    assert {f["project_title"] for f in institution} == {"Bin map"}
    assert all("email" not in f for f in organisers)
    assert client.get(url, headers=bearer(world.outsider)).status_code == 404


def test_the_follow_up_list_keeps_its_queries_as_projects_grow_tenfold(world, closed, client):
    url = reverse("api:event_follow_ups", args=[closed.collaboration_id]) + "?limit=100"
    headers = bearer(world.civic_lead)
    client.get(url, headers=headers)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url, headers=headers).json()["items"]) == 8
    for n in range(9):
        found = project(world, closed, f"More {n}", contact=f"Person {n}")
        ProjectFollowUp.objects.create(
            project=found,
            months=1,
            due_on=closed.collaboration.end_date,
            respondent="team",
            name=f"Person {n}",
            email=f"person.{n}@example.net",
        )
    with CaptureQueriesContext(connection) as ten:
        assert len(client.get(url, headers=headers).json()["items"]) == 17
    assert len(ten) == len(one)


def test_survival_numbers_per_event_and_across_public_events(world, playbook, client):
    public = past_event(world, title="Public hackathon")
    followed(public, FATES)
    private = past_event(world, title="Private hackathon", public=False)
    followed(private, {"Secret": {1: "abandoned"}})
    headers = bearer(world.official)
    mine = client.get(
        reverse("api:event_survival", args=[public.collaboration_id]), headers=headers
    ).json()
    assert mine["alive_at_horizon"] == pytest.approx(0.46875)
    assert [s["at_risk"] for s in mine["steps"]] == [8, 7, 4, 2]
    assert (mine["adopted"], mine["handed_over"], mine["answered"]) == (1, 1, 8)
    assert mine["comparisons"][2]["feature"] == "The project won a prize"
    across = client.get(reverse("api:events_survival"), headers=headers).json()
    assert [e["title"] for e in across["events"]] == ["Public hackathon"]
    assert across["projects"] == 8


def test_organisers_say_what_a_project_led_to(world, closed, fellowship, client):
    bins = Project.objects.get(title="Bin map")
    url = reverse("api:event_project_led_to", args=[closed.collaboration_id, bins.pk])
    organisers = bearer(world.civic_lead)

    def put(body, headers=organisers):
        return client.put(url, body, content_type="application/json", headers=headers)

    linked = put({"led_to": fellowship.pk})
    assert linked.status_code == 200 and linked.json()["led_to_id"] == fellowship.pk
    assert Activity.objects.filter(collaboration=fellowship, message__contains="Bin map").exists()
    # An event is not what a project leads to: the form's and the service's rule.
    assert put({"led_to": closed.collaboration_id}).status_code == 422
    assert put({"led_to": 999999}).status_code == 422
    assert put({"led_to": "a fellowship"}).status_code == 422
    assert put({"led_to": fellowship.pk}, bearer(world.official)).status_code == 403
    assert put({"led_to": None}, bearer(world.outsider)).status_code == 404
    assert client.put(url, {"led_to": None}, content_type="application/json").status_code == 401
    assert Project.objects.get(pk=bins.pk).led_to == fellowship
    cleared = put({"led_to": None})
    assert cleared.status_code == 200 and cleared.json()["led_to_id"] is None
    assert Project.objects.get(pk=bins.pk).led_to is None
