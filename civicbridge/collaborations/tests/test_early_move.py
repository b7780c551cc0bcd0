"""A move that starts closing before the planned end date is a secondary action, confirmed
first on a page of its own (no JavaScript needed); after the end date it is the main one."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civicbridge.collaborations.choices import Stage
from civicbridge.collaborations.models import Collaboration, Transition
from civicbridge.collaborations.services.lifecycle import EarlyMove, advance
from civicbridge.playbook import checks


@pytest.fixture
def running(fellowship, monkeypatch):
    """The fellowship, active since 30 days, planned to end in 150 days, its MOU signed (the
    signing has its own tests)."""
    monkeypatch.setattr(checks, "_registry", {**checks._registry})
    checks._registry["collaborations.agreement_signed"] = lambda c: (True, "Signed.")
    today = timezone.localdate()
    Collaboration.objects.filter(pk=fellowship.pk).update(
        stage=Stage.ACTIVE,
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=150),
    )
    fellowship.refresh_from_db()
    return fellowship


def _move_button(html: str) -> str:
    """The class attribute of the overview's move button."""
    found = re.search(r'<button type="submit" class="([^"]+)">Move to “Closing”', html)
    assert found, "no move button"
    return found.group(1)


def _stage(collaboration) -> str:
    return Collaboration.objects.values_list("stage", flat=True).get(pk=collaboration.pk)


def test_the_rule_is_early_only_for_closing_before_the_end_date(running):
    today = timezone.localdate()
    assert running.winds_down_early(Stage.CLOSING, today)
    assert running.winds_down_early(Stage.CLOSED, today)
    assert not running.winds_down_early(Stage.ACTIVE, today)
    assert not running.winds_down_early(Stage.CLOSING, running.end_date)
    running.end_date = None
    assert not running.winds_down_early(Stage.CLOSING, today)


def test_before_the_end_date_moving_to_closing_is_a_secondary_button(running, world, client_for):
    html = client_for(world.civic_lead).get(running.get_absolute_url()).content.decode()
    assert _move_button(html) == "usa-button usa-button--outline"
    assert "before the end date…" in html


def test_before_the_end_date_the_move_asks_first_and_moves_nothing(running, world, client_for):
    client = client_for(world.civic_lead)
    url = reverse("collaborations:advance", args=[running.pk])
    response = client.post(url, {"from_stage": Stage.ACTIVE})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Move to “Closing” before the end date?" in page
    assert 'name="early" value="on"' in page
    assert _stage(running) == Stage.ACTIVE

    confirmed = client.post(url, {"from_stage": Stage.ACTIVE, "early": "on"})
    assert confirmed.status_code == 302
    assert _stage(running) == Stage.CLOSING


def test_after_the_end_date_moving_to_closing_is_the_main_button(running, world, client_for):
    Collaboration.objects.filter(pk=running.pk).update(
        end_date=timezone.localdate() - timedelta(days=1)
    )
    client = client_for(world.civic_lead)
    html = client.get(running.get_absolute_url()).content.decode()
    assert _move_button(html) == "usa-button"
    response = client.post(
        reverse("collaborations:advance", args=[running.pk]), {"from_stage": Stage.ACTIVE}
    )
    assert response.status_code == 302
    assert _stage(running) == Stage.CLOSING


def test_the_service_refuses_an_unconfirmed_early_move_and_changes_nothing(running, world):
    with pytest.raises(EarlyMove) as refused:
        advance(world.civic_lead, running, from_stage=Stage.ACTIVE)
    assert "starts closing it early" in refused.value.message_dict["early"][0]
    assert _stage(running) == Stage.ACTIVE and not Transition.objects.exists()
    advance(world.civic_lead, running, from_stage=Stage.ACTIVE, early=True)
    assert _stage(running) == Stage.CLOSING


def test_the_api_asks_for_early_too(running, world, client_for):
    client = client_for(world.civic_lead)
    url = f"/api/v1/collaborations/{running.pk}/transitions"
    refused = client.post(url, {"from_stage": Stage.ACTIVE}, content_type="application/json")
    assert refused.status_code == 422
    assert "early" in refused.content.decode()
    assert _stage(running) == Stage.ACTIVE
    moved = client.post(
        url, {"from_stage": Stage.ACTIVE, "early": True}, content_type="application/json"
    )
    assert moved.status_code == 201 and _stage(running) == Stage.CLOSING
