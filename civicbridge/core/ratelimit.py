"""A fixed-window rate limiter shared by every room: the API, public registration, sign-in,
password reset.

Counts live in the cache that `CACHE_URL` names, so app servers that share that cache
share their limits.
"""

import time

from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 60


def client_address(request: HttpRequest) -> str:
    """The address the request came from (the proxy decides what REMOTE_ADDR holds)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _window(key: str, window: int) -> tuple[str, int]:
    """The cache key of the current window for `key`, and the seconds left in that window."""
    now = int(time.time())
    return f"rate:{key}:{window}:{now // window}", window - now % window


def count(key: str, limit: int, window: int = WINDOW_SECONDS) -> int | None:
    """Count one request against `key` in a window of `window` seconds.

    Return None while within `limit`, or the seconds until the window ends once past it.
    """
    name, left = _window(key, window)
    cache.add(name, 0, timeout=window * 2)
    try:
        seen = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window * 2)
        seen = 1
    return left if seen > limit else None


def waiting(key: str, limit: int, window: int = WINDOW_SECONDS) -> int | None:
    """Like `count`, without counting: the seconds to wait if `key` has already reached
    `limit` in this window, else None."""
    name, left = _window(key, window)
    return left if (cache.get(name) or 0) >= limit else None
