"""Personal access tokens: made, checked and revoked here; only hashes are stored."""

import hashlib
import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from civicbridge.core import audit

from .models import PersonalAccessToken

PREFIX = "cb_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(
    actor, *, name: str, scope: str, expires_at: datetime | None = None
) -> tuple[PersonalAccessToken, str]:
    """Make a token for `actor`; return it with the secret, which is never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken(
        user=actor,
        name=name,
        scope=scope,
        expires_at=expires_at,
        prefix=secret[:10],
        token_hash=hash_token(secret),
    )
    token.full_clean()
    token.save()
    audit.log_created(actor, token)
    return token, secret


@transaction.atomic
def revoke_token(actor, token: PersonalAccessToken) -> PersonalAccessToken:
    """Stop `token` working; revoking twice changes nothing."""
    before = audit.snapshot(token)
    updated = PersonalAccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    if updated:
        audit.log_updated(actor, token, before)
    return token


def find_token(secret: str) -> PersonalAccessToken | None:
    """The usable token whose secret is `secret`, marked as used now; None if there is none."""
    token = (
        PersonalAccessToken.objects.usable()
        .select_related("user")
        .filter(token_hash=hash_token(secret), user__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        # A write per request would be wasteful: a minute's precision is enough.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token
