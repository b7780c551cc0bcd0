"""Bodies larger than any upload allowed are refused with 413 before they are read; the
deploy check warns when rate limits would be counted by each web worker alone."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from civicbridge.accounts.models import PersonalAccessToken
from civicbridge.core.system_checks import rate_limits_shared_by_workers
from civicbridge.settings import cache_from_url


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size=-1):
        raise AssertionError("the body was read")

    readline = read


def unreadable_body() -> dict[str, Any]:
    return {"wsgi.input": Unreadable()}


def test_the_largest_upload_sets_the_request_limit():
    from civicbridge import settings as project

    largest = max(
        project.FILE_UPLOAD_MAX_SIZE,
        project.ARTEFACT_MAX_BYTES,
        project.DELIVERABLE_MAX_BYTES,
        project.EVENT_IMPORT_MAX_MB * 1024 * 1024,
    )
    assert largest + 1024 * 1024 == project.REQUEST_MAX_BYTES
    assert project.DATA_UPLOAD_MAX_MEMORY_SIZE < project.REQUEST_MAX_BYTES


@pytest.mark.django_db
def test_an_oversized_body_gets_413_unread_and_nothing_is_saved(world, client_for, settings):
    client = client_for(world.civic_lead)
    response = client.post(
        reverse("accounts:tokens"),
        {"name": "Nightly export", "scope": "read", "expires_on": ""},
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
        **unreadable_body(),
    )
    assert response.status_code == 413
    page = response.content.decode()
    limit = settings.REQUEST_MAX_BYTES // (1024 * 1024)
    assert f"at most {limit} MB at once" in page and "Choose a smaller file" in page
    assert not PersonalAccessToken.objects.exists()


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_whole(world, client_for, settings):
    settings.REQUEST_MAX_BYTES = 64 * 1024
    client = client_for(world.civic_lead)
    big = io.BytesIO(b"x" * (settings.REQUEST_MAX_BYTES + 1))
    big.name = "export.csv"
    response = client.post(
        reverse("accounts:tokens"), {"name": "With a file", "scope": "read", "attachment": big}
    )
    assert response.status_code == 413
    assert not PersonalAccessToken.objects.exists()
    # The same form under the limit is read and saved.
    response = client.post(reverse("accounts:tokens"), {"name": "Small", "scope": "read"})
    assert response.status_code == 200 and PersonalAccessToken.objects.count() == 1


@pytest.mark.django_db
def test_an_oversized_api_body_gets_413_in_the_api_error_format(world, settings):
    from django.test import Client

    response = Client().post(
        "/api/v1/collaborations",
        content_type="application/json",
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
        **unreadable_body(),
    )
    assert response.status_code == 413
    body = response.json()
    assert body["errors"] == [] and "too large" in body["detail"]


@pytest.mark.parametrize(
    ("debug", "cache", "workers", "warned"),
    [
        (False, "locmem://", 4, True),
        (False, "locmem://", 1, False),
        (True, "locmem://", 4, False),
        (False, "db://cache_table", 4, False),
        (False, "redis://127.0.0.1:6379/1", 4, False),
    ],
)
def test_deploy_check_warns_of_a_process_local_cache_with_several_workers(
    settings, debug, cache, workers, warned
):
    settings.DEBUG = debug
    settings.WEB_CONCURRENCY = workers
    # Restored before the shared fixture clears the cache, which it could not reach.
    with override_settings(CACHES={"default": cache_from_url(cache)}):
        found = rate_limits_shared_by_workers()
    assert [message.id for message in found] == (["civicbridge.W001"] if warned else [])
    if warned:
        assert "CACHE_URL" in str(found[0].hint) and "db://" in str(found[0].hint)


def test_the_warning_is_part_of_check_deploy(settings, capsys):
    from django.core.management.base import SystemCheckError

    settings.DEBUG = False
    settings.CACHES = {"default": cache_from_url("locmem://")}
    settings.WEB_CONCURRENCY = 3
    with pytest.raises(SystemCheckError, match=r"civicbridge\.W001"):
        call_command("check", deploy=True, fail_level="WARNING", tags=["caches"])
