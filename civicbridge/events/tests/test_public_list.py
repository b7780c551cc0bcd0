"""The public list of coming events, with whether each has a place, for anyone."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .eventdata import confirmed, make_event, open_event


def test_anyone_sees_the_coming_public_events_and_whether_there_is_a_place(world, playbook, client):
    full = open_event(world, capacity=1, title="Full hackathon")
    confirmed(full, "Ann")
    open_event(world, capacity=5, title="Open datathon")
    make_event(world, title="Private sprint", public=False)
    today = timezone.localdate()
    make_event(
        world,
        title="Past workshop",
        start_date=today - timedelta(days=9),
        end_date=today - timedelta(days=8),
    )
    html = client.get(reverse("events:public_list")).content.decode()
    assert "Full hackathon" in html and "Open datathon" in html
    assert "Private sprint" not in html and "Past workshop" not in html
    cards = html.split('class="usa-card ')[1:]
    [full_card] = [card for card in cards if "Full hackathon" in card]
    [open_card] = [card for card in cards if "Open datathon" in card]
    assert "Full — waiting list" in full_card
    assert "Registration open" in open_card


def test_the_list_runs_the_same_queries_for_12_events_as_for_2(
    world, playbook, client, django_assert_num_queries
):
    url = reverse("events:public_list")
    for number in range(2):
        make_event(world, title=f"Event {number}")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(2, 12):
        make_event(world, title=f"Event {number}")
    with django_assert_num_queries(len(few)):
        client.get(url)
