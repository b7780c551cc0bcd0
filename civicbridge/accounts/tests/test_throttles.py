"""Password reset and sign-in throttled per address: reset links queued for the task worker
and answered alike whether an account exists; password spraying across accounts paused."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.tasks import default_task_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
LOGIN = "/accounts/login/"


def ask_reset(email: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(RESET, {"email": email})


def test_a_reset_is_queued_and_answered_alike_whether_or_not_the_account_exists(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    answers, queries = [], []
    for email in ["lead@example.org", "nobody@example.org"]:
        with CaptureQueriesContext(connection) as captured:
            response = ask_reset(email)
        answers.append((response.status_code, response["Location"]))
        queries.append([query["sql"] for query in captured.captured_queries])
    assert answers[0] == answers[1] == (302, reverse("accounts:password_reset_done"))
    # The request looks up no account: the task does, in the worker.
    assert queries[0] == queries[1]
    assert not any("accounts_user" in sql for sql in queries[0])
    queued = default_task_backend.results  # type: ignore[attr-defined]
    assert [result.args for result in queued] == [["lead@example.org"], ["nobody@example.org"]]
    assert mail.outbox == []


def test_the_queued_task_sends_the_link_from_the_site_address(world, settings):
    settings.SITE_URL = "https://bridge.example.org"
    ask_reset("lead@example.org")
    assert len(mail.outbox) == 1
    assert "https://bridge.example.org/accounts/password/reset/" in str(mail.outbox[0].body)


def test_resets_for_one_email_address_are_limited_whatever_the_client(world, settings):
    settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR = 2
    statuses = [ask_reset("LEAD@example.org", f"10.0.0.{n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2
    # An address nobody uses is limited the same way, so the limit reveals nothing.
    statuses = [ask_reset("nobody@example.org", f"10.0.1.{n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    refused = ask_reset("nobody@example.org", "10.0.2.1")
    assert "asked for too often" in refused.content.decode()
    assert ask_reset("fellow@example.org").status_code == 302


def test_resets_from_one_client_address_are_limited_across_email_addresses(world, settings):
    settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = 3
    emails = ["lead@example.org", "fellow@example.org", "a@example.org", "official@example.org"]
    assert [ask_reset(email).status_code for email in emails] == [302, 302, 302, 429]
    assert [message.to for message in mail.outbox] == [["lead@example.org"], ["fellow@example.org"]]
    assert ask_reset("official@example.org", "10.9.9.9").status_code == 302


def sign_in(email: str, password: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": email, "password": password})


def test_one_address_failing_on_many_accounts_is_paused(world, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    # One wrong password each: far below the lock per account and address.
    for n in range(4):
        assert sign_in(f"person{n}@example.org", "Spring2026!").status_code == 200
    response = sign_in("lead@example.org", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "too many wrong passwords from your address" in page
    assert re.search(r"paused for \d+ more minutes?\.", page)
    # Another address signs in as before.
    assert sign_in("lead@example.org", PASSWORD, address="10.0.0.2").status_code == 302


def test_failures_below_the_address_limit_do_not_pause(world, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    for n in range(3):
        sign_in(f"person{n}@example.org", "Spring2026!")
    assert sign_in("lead@example.org", PASSWORD).status_code == 302


def test_the_address_pause_lifts_when_its_window_ends(world, settings):
    import time_machine
    from django.utils import timezone

    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 2
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for n in range(2):
            sign_in(f"person{n}@example.org", "wrong")
        assert sign_in("lead@example.org", PASSWORD).status_code == 429
        traveller.shift(settings.LOGIN_ADDRESS_WINDOW_MINUTES * 60)
        assert sign_in("lead@example.org", PASSWORD).status_code == 302
