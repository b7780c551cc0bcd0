"""Who calls the API: a personal access token, or the browser session with its CSRF token.

The token check runs first on every operation and also counts requests per address and
per token, so a script cannot guess tokens or flood the server.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError, Throttled
from ninja.security import SessionAuth
from ninja.security.base import AuthBase

from civicbridge.accounts.tokens import find_token
from civicbridge.core import ratelimit
from civicbridge.core.ratelimit import client_address

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class RateLimited(Throttled):
    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.message = _("Too many requests: wait %(seconds)d seconds and try again.") % {
            "seconds": wait
        }


def count_request(key: str, limit: int) -> None:
    """Count one API request against `key`; refuse it with 429 past `limit` a minute."""
    wait = ratelimit.count(f"api:{key}", limit)
    if wait is not None:
        raise RateLimited(wait=wait)


class BearerToken(AuthBase):
    """`Authorization: Bearer <token>`; the token's scope decides whether it may write."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest):
        count_request(f"address:{client_address(request)}", settings.API_ADDRESS_RATE_PER_MINUTE)
        header = request.headers.get("Authorization", "")
        if not header:
            return None  # the session may sign the request in
        scheme, _sep, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationError(
                message=_("Send the token as “Authorization: Bearer <token>”.")
            )
        token = find_token(secret.strip())
        if token is None:
            raise AuthenticationError(
                message=_(
                    "This token is wrong, expired or revoked. Create a new one in your settings."
                )
            )
        count_request(f"token:{token.pk}", settings.API_RATE_PER_MINUTE)
        if request.method not in SAFE_METHODS and not token.can_write:
            raise AuthorizationError(
                message=_("This token may only read. Create a read-write token to make changes.")
            )
        request.user = token.user
        return token.user


class Session(SessionAuth):
    """The signed-in browser; writes need the CSRF token, as on the web pages."""

    def _get_key(self, request: HttpRequest):
        if self.param_name not in request.COOKIES:
            return None  # no session: answer 401, not a CSRF failure
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is not None:
            count_request(f"user:{user.pk}", settings.API_RATE_PER_MINUTE)
        return user


AUTH = [BearerToken(), Session(csrf=True)]
