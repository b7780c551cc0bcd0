"""Refuse a request body larger than any upload allowed, before anything reads it."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

MEGABYTE = 1024 * 1024


class RequestSizeLimitMiddleware:
    """Answer 413 when Content-Length is over REQUEST_MAX_BYTES.

    The body is never read: Django reads it only when a view or the CSRF check asks for
    request.POST, which comes after this. A body sent without Content-Length (chunked) is
    not read at all by Django's WSGI handler, so it cannot get past this either.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body from a length it cannot read
        if length > settings.REQUEST_MAX_BYTES:
            return too_large(request)
        return self.get_response(request)


def too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.REQUEST_MAX_BYTES // MEGABYTE
    detail = _(
        "This upload is too large: Civic Bridge accepts at most %(limit)d MB at once. "
        "Choose a smaller file and try again."
    ) % {"limit": limit}
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": detail, "errors": []}, status=413)
    else:
        response = render(
            request,
            "core/error.html",
            {"title": _("The upload is too large"), "body": detail},
            status=413,
        )
    return response
