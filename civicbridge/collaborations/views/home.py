"""Home: the public front page, or what needs the signed-in user."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from civicbridge.core.models import AuditEntry
from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.partners.models import Organisation
from civicbridge.partners.permissions import acting_organisation_ids

from ..attention import Viewer, needs_you
from ..models import Activity, Collaboration


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The public front page, or what needs the signed-in user's attention."""
    if not request.user.is_authenticated:
        counts = dict(
            Organisation.objects.values_list("kind")
            .annotate(n=Count("id"))
            .values_list("kind", "n")
        )
        return render(
            request,
            "collaborations/public_home.html",
            {
                "civic_count": counts.get(OrganisationKind.CIVIC, 0),
                "government_count": counts.get(OrganisationKind.GOVERNMENT, 0),
                "public_collaborations": Collaboration.objects.public()
                .select_related("civic_organisation", "institution")
                .order_by("-start_date", "-id")[:20],
            },
        )
    own_ids = acting_organisation_ids(request.user)
    admin_ids = acting_organisation_ids(request.user, Access.ADMIN)
    organisations = Organisation.objects.filter(pk__in=own_ids)
    recent = (
        AuditEntry.objects.filter(organisation_id__in=admin_ids).select_related("actor")[:10]
        if admin_ids
        else []
    )
    return render(
        request,
        "collaborations/home.html",
        {
            "organisations": organisations,
            "recent": recent,
            "admin_ids": admin_ids,
            "needs_you": needs_you(Viewer.of(request.user)),
            "recent_activity": Activity.objects.filter(
                collaboration__in=Collaboration.objects.of_organisations(own_ids)
            )
            .visible_to(own_ids)
            .select_related("collaboration")[:10],
        },
    )


urlpatterns = [
    path("", home, name="home"),
]
