"""A stage move names the stage it moves from: a second press, or fifty at once, moves the
collaboration one stage (X1)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from civicbridge.accounts import tokens
from civicbridge.collaborations.choices import Stage
from civicbridge.collaborations.models import Transition
from civicbridge.collaborations.services.lifecycle import advance
from civicbridge.core.states import StaleState

MOVERS = 50


def transitions_url(collaboration) -> str:
    return f"/api/v1/collaborations/{collaboration.pk}/transitions"


def test_a_move_from_a_stage_already_left_is_409_and_changes_nothing(world, fellowship, client_for):
    client = client_for(world.civic_lead)
    body = {"from_stage": "proposed"}
    first = client.post(transitions_url(fellowship), body, content_type="application/json")
    assert first.status_code == 201
    second = client.post(transitions_url(fellowship), body, content_type="application/json")
    assert second.status_code == 409
    assert second.json()["errors"][0]["current"] == "preparing"
    assert "Preparing" in second.json()["detail"]
    fellowship.refresh_from_db()
    assert fellowship.stage == Stage.PREPARING
    assert Transition.objects.filter(collaboration=fellowship).count() == 1


def test_a_move_must_name_its_stage(world, fellowship, client_for):
    response = client_for(world.civic_lead).post(
        transitions_url(fellowship), {}, content_type="application/json"
    )
    assert response.status_code == 422
    fellowship.refresh_from_db()
    assert fellowship.stage == Stage.PROPOSED


def test_pressing_move_twice_on_the_page_moves_once(world, fellowship, client_for):
    client = client_for(world.civic_lead)
    url = reverse("collaborations:advance", args=[fellowship.pk])
    client.post(url, {"from_stage": "proposed"})
    response = client.post(url, {"from_stage": "proposed"}, follow=True)
    assert "it is now “Preparing”. Nothing was changed." in response.content.decode()
    fellowship.refresh_from_db()
    assert fellowship.stage == Stage.PREPARING


def test_the_service_refuses_a_stale_stage(world, fellowship):
    advance(world.civic_lead, fellowship, from_stage=Stage.PROPOSED)
    with pytest.raises(StaleState) as refused:
        advance(world.civic_lead, fellowship, from_stage=Stage.PROPOSED)
    assert refused.value.current == Stage.PREPARING


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_moves_from_proposed_move_it_exactly_one_stage(world, fellowship):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite runs one writer at a time.")
    _token, secret = tokens.create_token(world.civic_lead, name="Race", scope="read-write")
    barrier = threading.Barrier(MOVERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def move() -> None:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        try:
            barrier.wait(timeout=60)
            response = client.post(
                transitions_url(fellowship), {"from_stage": "proposed"}, "application/json"
            )
            with lock:
                statuses.append(response.status_code)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=move) for _ in range(MOVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201] + [409] * (MOVERS - 1)
    fellowship.refresh_from_db()
    assert fellowship.stage == Stage.PREPARING
    assert list(Transition.objects.values_list("from_stage", "to_stage")) == [
        ("proposed", "preparing")
    ]
