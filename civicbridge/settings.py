"""Civic Bridge settings, read from environment variables.

Every value comes from the environment through a typed helper that fails loudly on a value
it cannot read. The README lists the variables.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key() -> str:
    """Return SECRET_KEY, or, outside production, a random key kept under var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if env_bool("HTTPS", False):
        # Production: every app server must sign with the same key.
        raise ImproperlyConfigured("SECRET_KEY must be set when HTTPS is on.")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks_db",
    "ninja",
    "civicbridge.core",
    "civicbridge.accounts",
    "civicbridge.partners",
    "civicbridge.playbook",
    "civicbridge.readiness",
    "civicbridge.collaborations",
    "civicbridge.fellowships",
    "civicbridge.procurement",
    "civicbridge.events",
    "civicbridge.training",
    "civicbridge.feedback",
    "civicbridge.consulting",
    "civicbridge.policy",
    "civicbridge.notifications",
    "civicbridge.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Refuses an oversized body from its Content-Length, before CSRF reads the body.
    "civicbridge.core.middleware.RequestSizeLimitMiddleware",
    "civicbridge.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "civicbridge.urls"
WSGI_APPLICATION = "civicbridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "civicbridge" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicbridge.notifications.context_processors.inbox",
                "civicbridge.core.context_processors.version",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'civicbridge.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Pages ask many small indexed questions; PostgreSQL's JIT compiler spent over a second
    # compiling the portfolio's counts at 10,000 collaborations to save milliseconds.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "collaborations:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock out a user name from one address after repeated failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field, which holds the e-mail address
AXES_LOCKOUT_CALLABLE = "civicbridge.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Password spraying (one password tried on many accounts) from one address: after this many
# failed sign-ins from an address, whatever the accounts, it may not sign in for the rest
# of the window.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_ADDRESS_WINDOW_MINUTES = env_int("LOGIN_ADDRESS_WINDOW_MINUTES", 15)
# Password reset links asked for each hour, per e-mail address and per client address.
PASSWORD_RESETS_PER_EMAIL_PER_HOUR = env_int("PASSWORD_RESETS_PER_EMAIL_PER_HOUR", 3)
PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = env_int("PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 10)

# A signed-in session ends after this long without a request, and this long after signing
# in whatever the activity (OWASP ASVS level 2).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
# A personal access token works at most this many days; one asked for without an expiry
# gets this many.
TOKEN_MAX_DAYS = env_int("TOKEN_MAX_DAYS", 365)


def cache_from_url(url: str) -> dict[str, object]:
    """The cache CACHE_URL names: `locmem://` (each process alone), `db://TABLE` (the
    database, shared by every app server; run `manage.py createcachetable`) or
    `redis://HOST:PORT/DB` (install the `redis` extra)."""
    scheme, _, rest = url.partition("://")
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "db" and rest:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest}
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        f"CACHE_URL must start with locmem://, db://TABLE or redis://, not {url!r}."
    )


CACHES = {"default": cache_from_url(env_str("CACHE_URL", "locmem://"))}
# Web workers per app server, as gunicorn reads it: with more than one, a locmem:// cache
# lets each count rate limits alone (`manage.py check --deploy` warns).
WEB_CONCURRENCY = env_int("WEB_CONCURRENCY", 1)

# API rate limits, per token and per address, counted in the cache: with several app
# servers CACHE_URL must name a cache they share, or each counts alone.
API_RATE_PER_MINUTE = env_int("API_RATE_PER_MINUTE", 120)
API_ADDRESS_RATE_PER_MINUTE = env_int("API_ADDRESS_RATE_PER_MINUTE", 300)
# Registrations for events (no account needed) from one address, counted the same way.
EVENT_REGISTRATIONS_PER_MINUTE = env_int("EVENT_REGISTRATIONS_PER_MINUTE", 5)
# Beneficiaries' feedback (no account needed) from one address, counted the same way.
FEEDBACK_PER_MINUTE = env_int("FEEDBACK_PER_MINUTE", 3)

# Who hears of failures nobody else will see, such as a reminder that failed every try.
ADMINS = env_list("ADMINS", "")

TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Remind the admins of a side that has not signed the MOU this many days before the start.
MOU_REMINDER_DAYS = env_int("MOU_REMINDER_DAYS", 14)
# An event's follow-up link (sent without an account) stops working this many days after it
# was sent; the reminder carries a fresh one.
EVENT_FOLLOW_UP_LINK_DAYS = env_int("EVENT_FOLLOW_UP_LINK_DAYS", 60)
# The largest CSV file of past events, or of their projects, an upload may bring.
EVENT_IMPORT_MAX_MB = env_int("EVENT_IMPORT_MAX_MB", 2)
# A JSON import (OCDS, Popolo) is read as a stream and refused at the first limit it
# crosses, before anything is built from it: its size is FILE_UPLOAD_MAX_MB; these bound
# its nesting, the records of one list (releases, persons, …) and its values in all.
IMPORT_MAX_DEPTH = env_int("IMPORT_MAX_DEPTH", 32)
IMPORT_MAX_RECORDS = env_int("IMPORT_MAX_RECORDS", 20_000)
IMPORT_MAX_VALUES = env_int("IMPORT_MAX_VALUES", 1_000_000)
# A task the worker has held longer than this is taken for lost (its worker was killed)
# and marked failed by the scheduler's pass (`send_reminders`).
TASK_STALE_MINUTES = env_int("TASK_STALE_MINUTES", 30)
# PDFs are kept by what they show, so a repeated download serves stored bytes; at most
# this many are drawn at once by one server process, and a request waits this long for
# its turn before the page says to try again.
PDF_RENDERS_AT_ONCE = env_int("PDF_RENDERS_AT_ONCE", 2)
PDF_RENDER_WAIT_SECONDS = env_int("PDF_RENDER_WAIT_SECONDS", 20)
PDF_CACHE_SECONDS = env_int("PDF_CACHE_SECONDS", 7 * 24 * 3600)

# E-mail: "file" (default: each message a file under var/mail/), "console" or "smtp".
EMAIL_DELIVERY = env_str("EMAIL_DELIVERY", "file")
EMAIL_OPTIONS = {
    "file": {"file_path": str(VAR_DIR / "mail")},
    "console": {},
    "smtp": {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    },
}
if EMAIL_DELIVERY not in EMAIL_OPTIONS:
    raise ImproperlyConfigured("EMAIL_DELIVERY must be file, console or smtp.")
MAILERS = {
    "default": {
        "BACKEND": f"django.core.mail.backends.{EMAIL_DELIVERY.replace('file', 'filebased')}.EmailBackend",
        "OPTIONS": EMAIL_OPTIONS[EMAIL_DELIVERY],
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Civic Bridge <no-reply@civicbridge.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# Dates, numbers and money read the same on every page: core/formats.py shows them, in each
# language's formats (core/locale_formats/<language>/formats.py before Django's own).
FORMAT_MODULE_PATH = ["civicbridge.core.locale_formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG
FORM_RENDERER = "civicbridge.core.forms.FormRenderer"
MEGABYTE = 1024 * 1024
FILE_UPLOAD_MAX_SIZE = env_int("FILE_UPLOAD_MAX_MB", 20) * MEGABYTE
# The largest design artefact a team or an organiser uploads with an event's project.
ARTEFACT_MAX_BYTES = env_int("ARTEFACT_MAX_MB", 10) * MEGABYTE
# The largest file of a consulting deliverable's version (a report, a prototype's slides).
DELIVERABLE_MAX_BYTES = env_int("DELIVERABLE_MAX_MB", 20) * MEGABYTE
# Request bodies: form fields without files at most 2.5 MB, uploads over 2.5 MB streamed to a
# temporary file, no form with more fields or files than any page here has.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# A body larger than the largest upload allowed, plus a megabyte for the form around it, is
# refused with 413 from its Content-Length, before it is read; the reverse proxy's limit
# (nginx: client_max_body_size) should be the same.
REQUEST_MAX_BYTES = (
    max(
        FILE_UPLOAD_MAX_SIZE,
        ARTEFACT_MAX_BYTES,
        DELIVERABLE_MAX_BYTES,
        EVENT_IMPORT_MAX_MB * MEGABYTE,
    )
    + MEGABYTE
)
# OCDS: the ocid of a contract made here is this prefix and its id; register your own
# prefix with the Open Contracting Partnership before publishing.
OCDS_PREFIX = env_str("OCDS_PREFIX", "ocds-civicb-")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Behind HTTPS in production: redirect, secure cookies and HSTS.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host when DEBUG is off.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
