"""The upload page for past events and their projects (deliverable 8)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms.imports import ImportForm, civic_organisations_of
from ..importer import ImportFailed, import_events


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Members of a civic organisation import its past events; every problem is listed by
    row and column, and then nothing is imported."""
    if not civic_organisations_of(request.user).exists():
        raise PermissionDenied(
            _("Past events are imported by members of the civic organisation that ran them.")
        )
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    summary = failure = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            summary = import_events(
                request.user,
                data["organisation"],
                data["institution"],
                data["events"].read(),
                data["projects"].read() if data["projects"] else None,
            )
        except ImportFailed as problems:
            failure = problems
        except ValidationError as error:
            form.add_error(None, error.messages)
    return render(
        request,
        "events/imports/upload.html",
        {"form": form, "summary": summary, "failure": failure},
    )
