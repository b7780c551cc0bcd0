"""Personal access tokens: made and revoked on the settings page, shown once, stored hashed,
scoped, expiring, rate-limited; and what the API answers to each kind of bad token."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civicbridge.accounts import tokens
from civicbridge.accounts.models import PersonalAccessToken
from civicbridge.settings import cache_from_url

pytestmark = pytest.mark.django_db

API = "/api/v1/organisations"
FROM_PROPOSED = {"from_stage": "proposed"}


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_token_is_shown_once_and_stored_hashed(world, client_for):
    client = client_for(world.civic_lead)
    response = client.post(
        reverse("accounts:tokens"), {"name": "Nightly export", "scope": "read", "expires_on": ""}
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("cb_") and secret in response.content.decode()
    token = PersonalAccessToken.objects.get(user=world.civic_lead)
    assert token.token_hash == tokens.hash_token(secret) and secret not in token.token_hash
    assert token.prefix == secret[:10]
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert "Nightly export" in page and secret not in page


def test_header_links_to_the_tokens_page(world, client_for):
    page = client_for(world.fellow).get(reverse("collaborations:home")).content.decode()
    assert reverse("accounts:tokens") in page


def test_expiry_must_be_in_the_future(world, client_for):
    response = client_for(world.civic_lead).post(
        reverse("accounts:tokens"),
        {"name": "Old", "scope": "read", "expires_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200 and "secret" not in response.context
    assert not PersonalAccessToken.objects.exists()


def test_a_token_reads_the_api_and_records_its_use(world):
    token, secret = tokens.create_token(world.fellow, name="Script", scope="read")
    response = Client().get(API, **bearer(secret))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("state", ["wrong", "expired", "revoked", "inactive user", "not bearer"])
def test_a_bad_token_gets_401_with_a_plain_message(world, state):
    token, secret = tokens.create_token(world.fellow, name="Script", scope="read")
    header = bearer(secret)
    if state == "wrong":
        header = bearer(secret + "x")
    elif state == "expired":
        PersonalAccessToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    elif state == "revoked":
        tokens.revoke_token(world.fellow, token)
    elif state == "inactive user":
        world.fellow.is_active = False
        world.fellow.save()
    else:
        header = {"HTTP_AUTHORIZATION": f"Token {secret}"}
    response = Client().get(API, **header)
    assert response.status_code == 401
    body = response.json()
    assert body["errors"] == [] and body["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_read_token_cannot_write(world, fellowship):
    _token, secret = tokens.create_token(world.civic_lead, name="Read", scope="read")
    response = Client().post(
        f"/api/v1/collaborations/{fellowship.pk}/transitions",
        FROM_PROPOSED,
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 403
    assert "read" in response.json()["detail"]
    fellowship.refresh_from_db()
    assert fellowship.stage == "proposed"


def test_a_read_write_token_writes_without_csrf(world, fellowship):
    _token, secret = tokens.create_token(world.civic_lead, name="Write", scope="read-write")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/api/v1/collaborations/{fellowship.pk}/transitions",
        FROM_PROPOSED,
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 201


def test_revoking_is_a_post_on_your_own_token(world, client_for):
    token, secret = tokens.create_token(world.civic_lead, name="Script", scope="read")
    url = reverse("accounts:token_revoke", args=[token.pk])
    assert client_for(world.civic_lead).get(url).status_code == 405
    assert client_for(world.fellow).post(url).status_code == 404
    response = client_for(world.civic_lead).post(url)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(API, **bearer(secret)).status_code == 401


def test_rate_limit_per_token(world, settings):
    settings.API_RATE_PER_MINUTE = 2
    _token, secret = tokens.create_token(world.fellow, name="Busy", scope="read")
    _other, other_secret = tokens.create_token(world.fellow, name="Other", scope="read")
    client = Client()
    assert [client.get(API, **bearer(secret)).status_code for _ in range(3)] == [200, 200, 429]
    response = client.get(API, **bearer(secret))
    assert response.status_code == 429 and response.json()["detail"]
    assert int(response["Retry-After"]) <= 60
    assert client.get(API, **bearer(other_secret)).status_code == 200


def test_rate_limit_counts_in_a_database_cache_that_app_servers_share(world, settings):
    settings.CACHES = {"default": cache_from_url("db://rate_limits")}
    call_command("createcachetable", verbosity=0)
    settings.API_RATE_PER_MINUTE = 2
    _token, secret = tokens.create_token(world.fellow, name="Busy", scope="read")
    # Two clients stand for two app servers: the count lives in the shared table.
    statuses = [Client().get(API, **bearer(secret)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM rate_limits")
        assert cursor.fetchone()[0] > 0


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("locmem://", "locmem.LocMemCache"),
        ("db://cache_table", "db.DatabaseCache"),
        ("redis://127.0.0.1:6379/1", "redis.RedisCache"),
    ],
)
def test_cache_url_names_the_cache(url, backend):
    assert cache_from_url(url)["BACKEND"] == f"django.core.cache.backends.{backend}"


@pytest.mark.parametrize("url", ["memcached://x", "db://", "nonsense"])
def test_a_cache_url_that_cannot_be_read_fails_loudly(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url(url)


def test_rate_limit_per_address_counts_bad_tokens_too(world, settings):
    settings.API_ADDRESS_RATE_PER_MINUTE = 3
    client = Client()
    statuses = [client.get(API, **bearer(f"guess-{n}")).status_code for n in range(4)]
    assert statuses == [401, 401, 401, 429]
    other_address = Client(REMOTE_ADDR="192.0.2.7")
    assert other_address.get(API, **bearer("guess")).status_code == 401


def test_session_writes_need_the_csrf_token(world, fellowship):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.civic_lead, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/api/v1/collaborations/{fellowship.pk}/transitions"
    response = client.post(url, FROM_PROPOSED, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    client.get(reverse("accounts:tokens"))  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    moved = client.post(url, FROM_PROPOSED, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert moved.status_code == 201


def test_anonymous_gets_401(db):
    response = Client().post("/api/v1/collaborations", {}, content_type="application/json")
    assert response.status_code == 401


def test_a_token_asked_for_without_an_expiry_gets_the_longest_allowed(world, client_for, settings):
    settings.TOKEN_MAX_DAYS = 30
    client = client_for(world.civic_lead)
    response = client.post(
        reverse("accounts:tokens"), {"name": "Nightly export", "scope": "read", "expires_on": ""}
    )
    assert response.status_code == 200 and response.context["secret"]
    token = PersonalAccessToken.objects.get(user=world.civic_lead)
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)


def test_a_token_longer_than_allowed_is_refused_with_the_last_day_allowed(world, client_for):
    latest = timezone.localdate(tokens.latest_expiry())
    response = client_for(world.civic_lead).post(
        reverse("accounts:tokens"),
        {
            "name": "Forever",
            "scope": "read",
            "expires_on": (latest + timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200 and "secret" not in response.context
    assert f"choose {latest.isoformat()} or earlier" in response.content.decode()
    assert not PersonalAccessToken.objects.exists()
    # The last day allowed is accepted.
    client_for(world.civic_lead).post(
        reverse("accounts:tokens"),
        {"name": "Long", "scope": "read", "expires_on": latest.isoformat()},
    )
    assert PersonalAccessToken.objects.filter(name="Long").exists()


def test_the_service_refuses_an_expiry_past_the_maximum(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at most"):
        tokens.create_token(
            world.fellow,
            name="Script",
            scope="read",
            expires_at=tokens.latest_expiry() + timedelta(minutes=1),
        )
    assert not PersonalAccessToken.objects.exists()


def test_a_token_stops_working_when_its_lifetime_ends(world, settings):
    import time_machine

    _token, secret = tokens.create_token(world.fellow, name="Script", scope="read")
    assert Client().get(API, **bearer(secret)).status_code == 200
    later = timezone.now() + timedelta(days=settings.TOKEN_MAX_DAYS, minutes=1)
    with time_machine.travel(later):
        response = Client().get(API, **bearer(secret))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("This token is wrong, expired or revoked")
