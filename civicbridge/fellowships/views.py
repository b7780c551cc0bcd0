"""SCAFFOLD: replaced by the fellowship room's real views."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from civicbridge.collaborations import permissions
from civicbridge.collaborations.views import page


@login_required
def placement(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    return page(request, collaboration, "placement", "collaborations/_layout.html")


@login_required
def brief(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    return page(request, collaboration, "brief", "collaborations/_layout.html")
