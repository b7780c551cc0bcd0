"""Error pages that say what happened in plain words, inside the site's layout."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.translation import gettext as _


def _page(request: HttpRequest, status: int, title: str, body: str) -> HttpResponse:
    return render(request, "core/error.html", {"title": title, "body": body}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(
        request, 400, _("The request could not be understood"), _("Go back and try again.")
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    reason = str(exception) or _("Your account does not have access to this page.")
    return _page(request, 403, _("You cannot do this"), reason)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        # An address the API does not have (an id that is not a number, say): answered in
        # the API's one error format, not as a page.
        return JsonResponse(
            {"detail": _("Not found, or not yours to see."), "errors": []}, status=404
        )
    return _page(
        request,
        404,
        _("Page not found"),
        _("The address may be mistyped, or the page may have been removed."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: the failure may have come from one of them.
    html = get_template("core/500.html").render()
    return HttpResponse(html, status=500)
