"""End a signed-in session after SESSION_IDLE_MINUTES without a request, and
SESSION_MAX_HOURS after signing in, with a plain message on the sign-in page."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
# Noting each request would write the session every time: a minute's precision is enough.
SEEN_PRECISION = 60


def stamp_sign_in(session: SessionBase, now: int) -> None:
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


def why_ended(session: SessionBase, now: int) -> str | None:
    """Why the signed-in `session` has ended at `now` (seconds), or None while it lasts."""
    signed_in_at = session.get(SIGNED_IN_AT)
    seen_at = session.get(SEEN_AT)
    if signed_in_at is None or seen_at is None:
        # A session from before these limits: its clock starts now.
        stamp_sign_in(session, now)
        return None
    hours = settings.SESSION_MAX_HOURS
    if now - signed_in_at >= hours * 3600:
        return ngettext(
            "You were signed out because you signed in %(hours)d hour ago. "
            "Sign in again to carry on.",
            "You were signed out because you signed in %(hours)d hours ago. "
            "Sign in again to carry on.",
            hours,
        ) % {"hours": hours}
    minutes = settings.SESSION_IDLE_MINUTES
    if now - seen_at >= minutes * 60:
        return ngettext(
            "You were signed out after %(minutes)d minute without activity. "
            "Sign in again to carry on.",
            "You were signed out after %(minutes)d minutes without activity. "
            "Sign in again to carry on.",
            minutes,
        ) % {"minutes": minutes}
    if now - seen_at >= SEEN_PRECISION:
        session[SEEN_AT] = now
    return None


class SessionTimeoutMiddleware:
    """Sign out a session past its idle or absolute limit before the view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if SESSION_KEY in request.session:
            reason = why_ended(request.session, int(time.time()))
            if reason is not None:
                logout(request)  # flushes the session; the message travels in a cookie
                messages.info(request, reason)
        return self.get_response(request)
