"""An organisation's money pages (S4): what each institution owes a civic organisation and
how late, an institution's payment record over time, and the cash flow ahead."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from civicbridge.core.charts import CHART_POLICY, svg_response
from civicbridge.core.documents import download
from civicbridge.partners.models import Organisation
from civicbridge.partners.permissions import acting_organisation_ids, get_organisation_for

from .. import charts, permissions
from ..models import Invoice
from ..queries import cash_flow as project_cash_flow
from ..queries import money_owed as owed_to
from ..queries import payment_record as record_of
from ..queries import with_buyers

PAGE_SIZE = 50


@login_required
@require_GET
def money_owed(request: HttpRequest, pk: int) -> HttpResponse:
    """Overdue exposure per institution, for a civic organisation's own members."""
    organisation = permissions.get_finances_for(request.user, pk)
    today = timezone.localdate()
    exposures = owed_to(organisation, today)
    page = Paginator(exposures, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "procurement/money/owed.html",
        {
            "organisation": organisation,
            "exposures": with_buyers(list(page.object_list)),
            "page": page,
        },
    )


def _invoices_to(user, institution: Organisation) -> QuerySet[Invoice]:
    """The institution's invoices that the user may see: all of them for its own members,
    their own for its suppliers."""
    return permissions.visible_invoices(user).filter(contract__buyer=institution)


@login_required
@require_GET
def payment_record(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_organisation_for(request.user, pk)
    return render(
        request,
        "procurement/money/record.html",
        {
            "organisation": institution,
            "record": record_of(_invoices_to(request.user, institution), timezone.localdate()),
            "own": institution.pk in acting_organisation_ids(request.user),
        },
    )


@login_required
@require_GET
# Opened on its own, the image applies its own inline styles, and nothing else.
@csp_override(CHART_POLICY)
def payment_chart(request: HttpRequest, pk: int) -> HttpResponse:
    """The days-to-pay chart as an SVG image; the page's table holds the same numbers."""
    institution = get_organisation_for(request.user, pk)
    record = record_of(_invoices_to(request.user, institution), timezone.localdate())
    return svg_response(charts.days_to_pay(record.quarters))


@login_required
@require_GET
def payment_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The numbers behind the days-to-pay chart, one line per quarter."""
    institution = get_organisation_for(request.user, pk)
    record = record_of(_invoices_to(request.user, institution), timezone.localdate())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Quarter paid"),
            _("Invoices paid"),
            _("Average days to pay"),
            _("Median days to pay"),
            _("Fastest"),
            _("Slowest"),
            _("Paid within terms"),
        ]
    )
    for quarter, times in record.quarters:
        writer.writerow(
            [
                quarter,
                times.count,
                times.average,
                times.median,
                times.shortest,
                times.longest,
                times.within_terms,
            ]
        )
    return download(out.getvalue(), "text/csv; charset=utf-8", f"days-to-pay-{institution.pk}.csv")


@login_required
@require_GET
def cash_flow(request: HttpRequest, pk: int) -> HttpResponse:
    """Expected payments against planned costs over the next 90 days, for the supplier."""
    organisation = permissions.get_finances_for(request.user, pk)
    today = timezone.localdate()
    projections, lateness = project_cash_flow(organisation, today)
    return render(
        request,
        "procurement/money/cash_flow.html",
        {
            "organisation": organisation,
            "projections": projections,
            "late_payers": sorted(
                (known for known in lateness.values() if known.days > 0),
                key=lambda known: (-known.days, known.buyer),
            ),
            "today": today,
        },
    )
