"""One rule says whether registration is open, full or closed, on every page and in the API."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from civicbridge.events.choices import RegistrationState
from civicbridge.events.services import events, participants

from .eventdata import confirmed, make_event, open_event

FULL = "Full — waiting list"


@pytest.fixture
def full_event(world, playbook):
    event = open_event(world, capacity=2)
    confirmed(event, "Ann")
    confirmed(event, "Bo")
    return event


def test_an_open_event_with_places_left_is_open(world, playbook):
    event = open_event(world, capacity=2)
    confirmed(event, "Ann")
    assert participants.places(event).state == RegistrationState.OPEN
    assert event.registration_state(confirmed=1) == RegistrationState.OPEN


def test_an_open_event_whose_places_are_taken_is_full(world, full_event):
    assert participants.places(full_event).state == RegistrationState.FULL
    assert full_event.registration_state(confirmed=2) == RegistrationState.FULL


def test_an_event_without_a_limit_is_never_full(world, playbook):
    event = open_event(world, capacity=None)
    assert event.registration_state(confirmed=10_000) == RegistrationState.OPEN


def test_a_full_event_is_closed_once_registration_closes_or_the_event_is_over(world, full_event):
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        assert full_event.registration_state(confirmed=2) == RegistrationState.CLOSED
    events.close_registration(world.civic_lead, full_event)
    assert full_event.registration_state(confirmed=0) == RegistrationState.CLOSED


def test_a_never_opened_event_is_closed(world, playbook):
    assert make_event(world).registration_state(confirmed=0) == RegistrationState.CLOSED


def _heading(html: str, id_: str) -> str:
    found = re.search(rf'id="{id_}">(.*?)</h2>', html, re.S)
    assert found, f"no #{id_} in the page"
    return found.group(1).strip()


def _row(client, event) -> str:
    """The events list's row of `event`."""
    html = client.get(reverse("events:list")).content.decode()
    link = reverse("events:event", args=[event.collaboration_id])
    [row] = [row for row in html.split("<tr>") if f'href="{link}"' in row]
    return row.split("</tr>")[0]


def test_the_events_list_says_full_not_open(world, full_event, client_for):
    client = client_for(world.civic_lead)
    assert f">{FULL}</td>" in _row(client, full_event)
    events.close_registration(world.civic_lead, full_event)
    assert ">Registration closed</td>" in _row(client, full_event)


def test_the_public_page_offers_the_waiting_list_of_a_full_event(world, full_event, client_for):
    url = reverse("events:public", args=[full_event.collaboration_id])
    html = client_for(None).get(url).content.decode()
    assert _heading(html, "places-heading") == FULL
    assert "Join the waiting list" in html and ">Register<" not in html


def test_the_event_tab_says_full(world, full_event, client_for):
    url = reverse("events:event", args=[full_event.collaboration_id])
    html = client_for(world.civic_lead).get(url).content.decode()
    assert _heading(html, "registration-heading") == FULL


def test_the_public_home_tags_a_full_event_as_full(world, full_event, client_for):
    html = client_for(None).get(reverse("collaborations:home")).content.decode()
    coming = html.split('id="upcoming-events"')[1].split("</section>")[0]
    assert f'<span class="usa-tag">{FULL}</span>' in coming
    assert "Registration open" not in coming


def test_the_api_says_full(world, full_event, client_for):
    client = client_for(world.civic_lead)
    got = client.get(f"/api/v1/events/{full_event.collaboration_id}").json()
    assert (got["registration"], got["registration_open"]) == ("full", True)
    listed = client.get("/api/v1/events").json()["items"]
    assert [item["registration"] for item in listed] == ["full"]
