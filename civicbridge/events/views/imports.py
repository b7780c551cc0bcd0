"""The upload page for past events and their projects (deliverable 8)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms.imports import ImportForm, civic_organisations_of
from ..importer import queue_import


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Members of a civic organisation import its past events. The task worker imports the
    files and their run page follows; it lists every problem by row and column, and then
    nothing is imported."""
    if not civic_organisations_of(request.user).exists():
        raise PermissionDenied(
            _("Past events are imported by members of the civic organisation that ran them.")
        )
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        run = queue_import(request.user, form.cleaned_data)
        return redirect(run)
    return render(request, "events/imports/upload.html", {"form": form})
