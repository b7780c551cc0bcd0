"""Sessions that end: after a spell without activity, a fixed time after signing in, and
everywhere else when the password changes, taking the user's API tokens with them."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civicbridge.accounts import tokens
from civicbridge.accounts.models import PersonalAccessToken
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PAGE = "/organisations/"  # any page that needs a signed-in user
API = "/api/v1/organisations"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def is_signed_in(client: Client) -> bool:
    return client.get(PAGE).status_code == 200


def test_a_session_idle_past_the_limit_ends_with_a_plain_message(world, settings):
    idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = signed_in(world.civic_lead)
        # Each request restarts the idle clock.
        for _ in range(3):
            traveller.shift(idle - timedelta(minutes=2))
            assert is_signed_in(client)
        traveller.shift(idle)
        response = client.get(PAGE, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    page = response.content.decode()
    assert f"signed out after {settings.SESSION_IDLE_MINUTES} minutes without activity" in page
    assert not is_signed_in(client)


def test_a_busy_session_still_ends_at_its_absolute_limit(world, settings):
    settings.SESSION_IDLE_MINUTES = 6 * 60
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = signed_in(world.civic_lead)
        for _ in range(2):
            traveller.shift(timedelta(hours=5))
            assert is_signed_in(client)
        traveller.shift(timedelta(hours=settings.SESSION_MAX_HOURS - 10))
        response = client.get(PAGE, follow=True)
    page = response.content.decode()
    assert f"signed in {settings.SESSION_MAX_HOURS} hours ago" in page
    assert not is_signed_in(client)


def test_a_session_the_idle_limit_ended_cannot_call_the_api(world, settings):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = signed_in(world.fellow)
        assert client.get(API).status_code == 200
        traveller.shift(timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1))
        assert client.get(API).status_code == 401


def test_signing_in_starts_a_fresh_clock(world, settings):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = signed_in(world.civic_lead)
        traveller.shift(timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1))
        response = client.post(
            reverse("accounts:login"), {"username": "lead@example.org", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert is_signed_in(client)


def test_changing_the_password_ends_other_sessions_and_revokes_every_token(
    world, django_capture_on_commit_callbacks
):
    lead = world.civic_lead
    _token, secret = tokens.create_token(lead, name="Nightly export", scope="read")
    here, elsewhere = signed_in(lead), signed_in(lead)
    new = "another long passphrase"
    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
            follow=True,
        )
    assert "any API tokens you had were revoked" in response.content.decode()
    [told] = mail.outbox
    assert told.to == [lead.email] and "password was changed" in told.subject
    assert "Your 1 API token was revoked" in str(told.body)
    assert "/accounts/password/reset/" in str(told.body)
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert not PersonalAccessToken.objects.usable().filter(user=lead).exists()
    assert Client().get(API, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_a_password_reset_ends_every_session_and_revokes_every_token(world, client):
    lead = world.civic_lead
    _token, secret = tokens.create_token(lead, name="Nightly export", scope="read-write")
    elsewhere = signed_in(lead)
    client.post(reverse("accounts:password_reset"), {"email": lead.email})
    body = str(mail.outbox[0].body)
    assert "revokes your API tokens" in body
    found = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", body)
    assert found, body
    form_page = client.get(found.group(1), follow=True)
    new = "a new and longer passphrase"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "any API tokens you had were revoked" in response.content.decode()
    assert not is_signed_in(elsewhere)
    assert Client().get(API, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
