"""The NinjaAPI: every app's router under /api/v1/, and one error body for every 4xx."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from civicbridge import __version__
from civicbridge.collaborations.services.lifecycle import GateRefused
from civicbridge.collaborations.signing import TooManyWrongPasswords
from civicbridge.core.api.schemas import (
    ERROR_DESCRIPTIONS,
    FIXED_FIELD,
    INVALID_ONLY,
    REFUSED_BY_RULES,
)
from civicbridge.core.services import Stale
from civicbridge.core.states import StaleState

from .auth import AUTH

# Query parameters every list takes; no rule of the service reads them.
PAGING = {"cursor", "limit"}


class CivicBridgeApi(NinjaAPI):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The description of every route takes seconds to build and never changes while the
        # process runs: built on the first request for it, by the prefix the API is served at.
        self._openapi_schemas: dict[str, Any] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        """The description, built once per process."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = self._openapi_schemas.get(path_prefix)
        if schema is None:
            schema = self._openapi_schemas[path_prefix] = self.build_openapi_schema(path_prefix)
        return schema

    def build_openapi_schema(self, path_prefix: str) -> Any:
        """The description, saying on each operation when each of its errors comes."""
        schema = super().get_openapi_schema(path_prefix=path_prefix)
        for item in schema["paths"].values():
            for method, operation in item.items():
                describe_errors(method, operation)
        return schema


def describe_errors(method: str, operation: dict[str, Any]) -> None:
    """Say when each error comes; 422 says whether rules beyond the description apply.

    Every change goes through the web page's form and a service, and a list's filters through
    the web list's form, so those can refuse a request that matches the description; a read
    by id or a page of a list cannot.
    """
    responses = operation["responses"]
    for status, description in ERROR_DESCRIPTIONS.items():
        if status in responses:
            responses[status]["description"] = description
    filters = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"} - PAGING
    ruled = method != "get" or "requestBody" in operation or bool(filters)
    if 422 in responses:
        responses[422]["description"] = REFUSED_BY_RULES if ruled else INVALID_ONLY


api = CivicBridgeApi(
    title="Civic Bridge API",
    # The software's version; the paths' /v1 is the API's, which changes only if it breaks.
    version=__version__,
    description=(
        "Everything a user does in the browser, for scripts. Sign in with the browser "
        "session, or send a personal access token as `Authorization: Bearer <token>`."
    ),
    auth=AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def error(request: HttpRequest, status: int, detail: str, errors=None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(NinjaValidationError)
def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for item in exc.errors:
        if item.get("type") == FIXED_FIELD:
            # A change naming a field that is fixed: the error is the field's, not the body's.
            message = str(item.get("msg", ""))
            errors += [{"field": name, "message": message} for name in item["ctx"]["fields"]]
            continue
        errors.append(
            {
                "field": _field(tuple(item.get("loc", ()))),
                "message": str(item.get("msg", "")),
            }
        )
    if errors and all(item.get("type") == FIXED_FIELD for item in exc.errors):
        return error(request, 422, errors[0]["message"], errors)
    return error(request, 422, _("The request is not valid: see the errors."), errors)


def _field(loc: tuple) -> str | None:
    """The field as the description names it: `end_date`, `departments.0`, or None for the
    whole body. Ninja's place starts with where the value came from (`body`, `query`, `path`)
    and, for a body, the name of the view's parameter that holds it."""
    parts = loc[2:] if loc[:1] == ("body",) else loc[1:]
    return ".".join(str(part) for part in parts) or None


@api.exception_handler(DjangoValidationError)
def refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": None if field == "__all__" else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
        return error(request, 422, " ".join(str(e["message"]) for e in errors), errors)
    return error(request, 422, " ".join(exc.messages))


@api.exception_handler(TooManyWrongPasswords)
def locked_out(request: HttpRequest, exc: TooManyWrongPasswords) -> HttpResponse:
    """A signer locked out by wrong passwords: 429 in the API's format."""
    # The lockout itself stands, as on the web page; only the answer differs.
    setattr(request, "axes_locked_out", False)  # noqa: B010
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return error(
        request,
        429,
        _("Too many wrong passwords: try again in %(minutes)d minutes.") % {"minutes": minutes},
    )


@api.exception_handler(Stale)
def moved_on(request: HttpRequest, exc: Stale) -> HttpResponse:
    """The record changed since the caller read it: 409, and nothing was done; a move from a
    state it has left also says where it is now."""
    errors = []
    if isinstance(exc, StaleState):
        errors = [{"field": None, "current": exc.current, "seen": exc.seen}]
    return error(request, 409, " ".join(exc.messages), errors)


@api.exception_handler(GateRefused)
def gate_refused(request: HttpRequest, exc: GateRefused) -> HttpResponse:
    errors = [
        {
            "condition": result.condition,
            "statement": result.statement,
            "reason": result.reason,
            "mitigations": list(result.mitigations),
        }
        for result in exc.refusals
    ]
    detail = _("The collaboration cannot move to “%(stage)s” yet: %(reasons)s") % {
        "stage": exc.stage,
        "reasons": str(exc),
    }
    return error(request, 409, detail, errors)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, str(exc) or _("You may not do this."))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, _("Not found, or not yours to see."))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = getattr(exc, "message", "") or str(exc)
    if isinstance(exc, AuthenticationError) and detail == "Unauthorized":
        detail = _("Sign in, or send a personal access token as “Authorization: Bearer <token>”.")
    elif isinstance(exc, Throttled) and detail in {"", "Too many requests."}:
        detail = _("Too many requests: try again in a minute.")
    elif detail == "CSRF check Failed":
        detail = _("The CSRF token is missing or wrong: reload the page and try again.")
    response = error(request, exc.status_code, detail)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, Throttled) and exc.wait is not None:
        response["Retry-After"] = str(max(1, int(exc.wait)))
    return response


def _add_routers() -> None:
    from civicbridge.collaborations.api import router as collaborations
    from civicbridge.consulting.api import router as consulting
    from civicbridge.events.api import router as events
    from civicbridge.feedback.api import router as feedback
    from civicbridge.fellowships.api import router as fellowships
    from civicbridge.notifications.api import router as notifications
    from civicbridge.partners.api import router as partners
    from civicbridge.playbook.api import router as playbook
    from civicbridge.policy.api import router as policy
    from civicbridge.procurement.api import router as procurement
    from civicbridge.readiness.api import router as readiness
    from civicbridge.training.api import router as training

    api.add_router("/v1/", partners)
    api.add_router("/v1/", playbook)
    api.add_router("/v1/", readiness)
    api.add_router("/v1/", collaborations)
    api.add_router("/v1/", fellowships)
    api.add_router("/v1/", notifications)
    api.add_router("/v1/", procurement)
    api.add_router("/v1/", events)
    api.add_router("/v1/", feedback)
    api.add_router("/v1/", consulting)
    api.add_router("/v1/", policy)
    api.add_router("/v1/", training)


_add_routers()
