"""A fixed-window rate limiter shared by every room: the API, public registration, sign-in.

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


def count(key: str, limit: int) -> int | None:
    """Count one request against `key` in a one-minute window.

    Return None while within `limit`, or the seconds until the window ends once past it.
    """
    window = int(time.time() // WINDOW_SECONDS)
    name = f"rate:{key}:{window}"
    cache.add(name, 0, timeout=WINDOW_SECONDS * 2)
    try:
        seen = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=WINDOW_SECONDS * 2)
        seen = 1
    if seen > limit:
        return WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
    return None
