"""Django system checks of the deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


@register(Tags.caches, Tags.security, deploy=True)
def rate_limits_shared_by_workers(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Warn when several web workers each keep their own rate-limit counts.

    Sign-in, password reset, API and registration limits are counted in the default cache;
    a process-local cache gives every worker its own count, so the limits multiply.
    """
    backend = settings.CACHES.get("default", {}).get("BACKEND")
    if settings.DEBUG or backend != LOCMEM or settings.WEB_CONCURRENCY <= 1:
        return []
    return [
        Warning(
            f"WEB_CONCURRENCY is {settings.WEB_CONCURRENCY} but the cache is locmem://, which "
            "each worker keeps alone: every rate limit (sign-in, password reset, API, event "
            "registration) is multiplied by the number of workers.",
            hint="Set CACHE_URL to db://TABLE (then run manage.py createcachetable) or "
            "redis://HOST:PORT/DB, a cache every worker and app server shares.",
            id="civicbridge.W001",
        )
    ]
