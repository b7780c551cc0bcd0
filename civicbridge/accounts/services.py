"""Every write of the accounts app that is not a token's: passwords changed, reset links
asked for and sent, failed sign-ins counted."""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from civicbridge.core import audit, ratelimit

from . import tokens
from .models import User

HOUR = 3600


@transaction.atomic
def change_password(actor, user: User, raw_password: str) -> int:
    """Give `user` a new password and revoke every one of their tokens; return how many.

    Every session of `user` ends with it: Django checks a hash of the password on each
    request. The page that changed it keeps its own session (update_session_auth_hash).
    """
    user.set_password(raw_password)
    user.save(update_fields=["password"])
    revoked = tokens.revoke_all_tokens(actor, user)
    audit.log_worded(actor, user, {"password": ["", _("changed")]})
    # Told by e-mail, so that someone who did not change it knows to reset it at once.
    transaction.on_commit(lambda: tell_password_changed.enqueue(user.pk, revoked))
    return revoked


@task()
def tell_password_changed(user_id: int, revoked: int) -> None:
    """E-mail the owner of `user_id` that their password changed, and what that ended."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    body = render_to_string(
        "accounts/email/password_changed.txt",
        {
            "revoked": revoked,
            "reset_url": settings.SITE_URL.rstrip("/") + reverse("accounts:password_reset"),
        },
    )
    send_mail(_("Your Civic Bridge password was changed"), body, None, [user.email])


def request_password_reset(email: str, address: str) -> int | None:
    """Queue a link to choose a new password for `email`, asked for from `address`.

    Return the seconds to wait instead when that address, or that e-mail address, asked too
    often this hour. Whether an account uses `email` is looked up only by the task, so
    neither the answer nor its timing says.
    """
    wait = ratelimit.count(
        f"password-reset:address:{address}", settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR, HOUR
    )
    if wait is None:
        # Hashed, so the cache holds no e-mail addresses.
        email_key = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
        wait = ratelimit.count(
            f"password-reset:email:{email_key}", settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR, HOUR
        )
    if wait is None:
        send_password_reset.enqueue(email)
    return wait


@task()
def send_password_reset(email: str) -> None:
    """Send each active account using `email` a link to choose a new password."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    # The link's address comes from SITE_URL, never from the request's Host header.
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        subject_template_name="accounts/email/password_reset_subject.txt",
        email_template_name="accounts/email/password_reset.txt",
    )


def _sign_in_key(address: str) -> str:
    return f"sign-in-failures:{address}"


def record_failed_sign_in(address: str) -> None:
    """Count a failed sign-in from `address`, whichever account it tried."""
    ratelimit.count(
        _sign_in_key(address),
        settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        settings.LOGIN_ADDRESS_WINDOW_MINUTES * 60,
    )


def sign_in_wait(address: str) -> int | None:
    """The seconds `address` must wait before trying to sign in again, or None.

    Axes locks one account from one address; this stops one address trying a password on
    many accounts (password spraying).
    """
    return ratelimit.waiting(
        _sign_in_key(address),
        settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        settings.LOGIN_ADDRESS_WINDOW_MINUTES * 60,
    )
