"""A fellowship's preparation through the API: the host's brief and the countdown (F4)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicbridge.fellowships.models import PreparationBrief, PreparationTask
from civicbridge.fellowships.services import create_or_update_placement
from tests.factories import CollaborationFactory

from .helpers import collaboration_url, patch_json, post_json

BRIEF = {
    "possibilities": "Open the budget data.",
    "priorities": "The spending dashboard first.",
    "challenges": "The finance system has no API.",
}


@pytest.fixture
def placement(world, fellowship):
    return create_or_update_placement(
        world.civic_lead,
        fellowship,
        fellow=world.fellow.person,
        supervisor=world.official.person,
        host_department=world.department,
        start_date=fellowship.start_date,
        end_date=fellowship.end_date,
    )


def test_the_brief_needs_a_placement(world, fellowship, client_for):
    url = collaboration_url(fellowship, "/preparation/brief")
    assert client_for(world.official).get(url).status_code == 404
    assert patch_json(client_for(world.official), url, BRIEF).status_code == 404
    tasks = collaboration_url(fellowship, "/preparation/tasks")
    assert client_for(world.fellow).get(tasks).status_code == 404


def test_the_host_writes_the_brief_in_parts(world, fellowship, placement, client_for):
    url = collaboration_url(fellowship, "/preparation/brief")
    empty = client_for(world.fellow).get(url).json()
    assert empty["complete"] is False and empty["possibilities"] == ""
    assert empty["deliver_by"] == str(fellowship.start_date - timedelta(days=30))
    # The host prepares it: the civic side reads it but does not write it.
    refused = patch_json(client_for(world.fellow), url, BRIEF)
    assert refused.status_code == 403 and "host" in refused.json()["detail"]
    assert patch_json(client_for(world.outsider), url, BRIEF).status_code == 404
    assert patch_json(client_for(None), url, BRIEF).status_code == 401
    client = client_for(world.official)
    first = patch_json(client, url, {"possibilities": BRIEF["possibilities"]})
    assert first.status_code == 200 and first.json()["complete"] is False
    rest = patch_json(client, url, {key: BRIEF[key] for key in ("priorities", "challenges")})
    assert rest.status_code == 200 and rest.json()["complete"] is True
    assert rest.json()["possibilities"] == BRIEF["possibilities"]
    assert patch_json(client, url, {"priorities": "x" * 20_001}).status_code == 422
    assert PreparationBrief.objects.get().priorities == BRIEF["priorities"]


def test_the_host_sends_the_complete_brief_once(
    world, fellowship, placement, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    url = collaboration_url(fellowship, "/preparation/brief")
    send = f"{url}/send"
    client = client_for(world.official)
    patch_json(client, url, {"possibilities": "Open data."})
    incomplete = post_json(client, send)
    assert incomplete.status_code == 422 and "not complete" in incomplete.json()["detail"]
    patch_json(client, url, BRIEF)
    assert post_json(client_for(world.fellow), send).status_code == 403
    assert post_json(client_for(world.outsider), send).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        sent = post_json(client_for(world.official), send)
    assert sent.status_code == 200, sent.content
    assert sent.json()["delivered_at"] and sent.json()["late"] is False
    assert [message.to for message in mailoutbox] == [["fellow@example.org"]]
    again = post_json(client_for(world.official), send)
    assert again.status_code == 422 and "already has" in again.json()["detail"]
    assert len(mailoutbox) == 1


def test_the_countdown_tasks(world, fellowship, placement, client_for):
    url = collaboration_url(fellowship, "/preparation/tasks")
    seeded = client_for(world.official).get(url).json()["items"]
    assert len(seeded) == placement.preparation_tasks.count() > 0
    created = post_json(
        client_for(world.fellow), url, {"title": "Get a badge", "days_before_start": 7}
    )
    assert created.status_code == 201, created.content
    task = created.json()
    assert task["due_on"] == str(placement.start_date - timedelta(days=7))
    assert (
        post_json(
            client_for(world.fellow), url, {"title": "x", "days_before_start": -1}
        ).status_code
        == 422
    )
    assert (
        post_json(client_for(world.admin), url, {"title": "x", "days_before_start": 1}).status_code
        == 403
    )
    assert (
        post_json(
            client_for(world.outsider), url, {"title": "x", "days_before_start": 1}
        ).status_code
        == 404
    )

    done = collaboration_url(fellowship, f"/preparation/tasks/{task['id']}/done")
    reopen = collaboration_url(fellowship, f"/preparation/tasks/{task['id']}/reopen")
    assert post_json(client_for(world.admin), done).status_code == 403
    assert post_json(client_for(world.outsider), done).status_code == 404
    assert post_json(client_for(None), done).status_code == 401
    ticked = post_json(client_for(world.official), done)
    assert ticked.status_code == 200 and ticked.json()["done_on"] == str(timezone.localdate())
    assert post_json(client_for(world.official), reopen).json()["done_on"] is None
    assert PreparationTask.objects.get(pk=task["id"]).done_on is None


def test_preparation_is_only_a_fellowships(world, client_for):
    training = CollaborationFactory.create(
        model="training", civic_organisation=world.civic, institution=world.institution
    )
    url = collaboration_url(training, "/preparation/tasks")
    assert client_for(world.civic_lead).get(url).status_code == 404
