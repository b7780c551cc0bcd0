"""SCAFFOLD: replaced by the agreement tab's real views."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from .. import permissions
from . import page


@login_required
def tab(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    return page(request, collaboration, "agreement", "collaborations/_layout.html")


urlpatterns = [path("collaborations/<int:pk>/agreement/", tab, name="agreement")]
