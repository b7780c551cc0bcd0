"""The full list of what needs the signed-in user, most urgent first, filtered and paged."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from civicbridge.partners.models import Organisation

from .. import attention
from ..forms.core import NeedsYouFilterForm

PAGE_SIZE = 25


@login_required
@require_GET
def needs_you(request: HttpRequest) -> HttpResponse:
    """Every line of what the user's sides owe and that is theirs to do (see `attention`)."""
    viewer = attention.Viewer.of(request.user)
    form = NeedsYouFilterForm(
        request.GET or None,
        kinds=attention.kind_choices(),
        organisations=Organisation.objects.filter(pk__in=viewer.members).order_by("name"),
    )
    lines = attention.all_lines(viewer, kind=form.kind_chosen, scope=form.scope())
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type,var-annotated]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "collaborations/needs_you.html",
        {
            "form": form,
            "page": page,
            "lines": page.object_list,
            "query": query.urlencode(),
            "filtered": any(request.GET.get(name) for name in form.fields),
            "acts": bool(viewer.members),
        },
    )


urlpatterns = [
    path("needs-you/", needs_you, name="needs_you"),
]
