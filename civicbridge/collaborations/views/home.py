"""Home: the public front page, or what needs the signed-in user."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from civicbridge.core.charts import CHART_POLICY, svg_response
from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.partners.models import Organisation
from civicbridge.partners.permissions import acting_organisation_ids, is_platform_admin

from .. import charts
from ..activity import recent_activity
from ..attention import Viewer, needs_you
from ..models import Collaboration
from ..portfolio import count_portfolio, platform_work, portfolio_of


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
    today = timezone.localdate()
    return render(
        request,
        "collaborations/home.html",
        {
            "organisations": organisations,
            "admin_ids": admin_ids,
            "needs_you": needs_you(Viewer.of(request.user)),
            "portfolio": portfolio_of(request.user, own_ids, today) if own_ids else None,
            "platform": platform_work(request.user, today)
            if is_platform_admin(request.user)
            else None,
            "activity": recent_activity(own_ids),
        },
    )


@login_required
@require_GET
@csp_override(CHART_POLICY)
def portfolio_stages_chart(request: HttpRequest) -> HttpResponse:
    """The portfolio by model and stage as an SVG image; home's table has the same numbers."""
    counts = count_portfolio(acting_organisation_ids(request.user), timezone.localdate())
    svg = charts.portfolio_stages(
        [str(row.label) for row in counts.rows],
        [
            (str(label), [row.cells[i].count for row in counts.rows])
            for i, (_stage, label) in enumerate(counts.stages)
        ],
    )
    return svg_response(svg)


@login_required
@require_GET
@csp_override(CHART_POLICY)
def portfolio_risks_chart(request: HttpRequest) -> HttpResponse:
    """Why collaborations are at risk, as an SVG image; home's list has the same numbers."""
    counts = count_portfolio(acting_organisation_ids(request.user), timezone.localdate())
    return svg_response(
        charts.portfolio_risks(
            [(str(figure.label), int(figure.value)) for figure in counts.reasons]
        )
    )


urlpatterns = [
    path("", home, name="home"),
    path("portfolio/stages.svg", portfolio_stages_chart, name="portfolio_stages_chart"),
    path("portfolio/risks.svg", portfolio_risks_chart, name="portfolio_risks_chart"),
]
