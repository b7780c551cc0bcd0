"""Personal access tokens: made, checked and revoked here; only hashes are stored."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import audit
from civicbridge.core.choices import AuditAction

from .models import PersonalAccessToken, User

PREFIX = "cb_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def latest_expiry(now: datetime | None = None) -> datetime:
    """The latest moment a token made `now` may work until (TOKEN_MAX_DAYS later)."""
    return (now or timezone.now()) + timedelta(days=settings.TOKEN_MAX_DAYS)


@transaction.atomic
def create_token(
    actor, *, name: str, scope: str, expires_at: datetime | None = None
) -> tuple[PersonalAccessToken, str]:
    """Make a token for `actor`; return it with the secret, which is never stored.

    Without `expires_at` the token works for TOKEN_MAX_DAYS; a later expiry is refused
    rather than shortened, so a script never stops on a day its owner did not choose.
    """
    latest = latest_expiry()
    if expires_at is None:
        expires_at = latest
    elif expires_at > latest:
        raise ValidationError(
            _("A token works at most %(days)d days: choose an expiry no later than %(day)s.")
            % {"days": settings.TOKEN_MAX_DAYS, "day": timezone.localdate(latest).isoformat()},
            code="too_long",
        )
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


@transaction.atomic
def revoke_all_tokens(actor, user: User) -> int:
    """Stop every token of `user` working (their password changed); return how many."""
    now = timezone.now()
    standing = list(
        PersonalAccessToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    )
    before = [(token, audit.snapshot(token)) for token in standing]
    PersonalAccessToken.objects.filter(pk__in=[token.pk for token in standing]).update(
        revoked_at=now
    )
    for token in standing:
        token.revoked_at = now
    audit.log_many(actor, [(token, AuditAction.UPDATE, snap) for token, snap in before])
    return len(standing)


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
