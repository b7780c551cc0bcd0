"""How many projects survived: an event's Survival tab, and the public page across events."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from civicbridge.collaborations.pages import page
from civicbridge.core.charts import CHART_POLICY, svg_response

from .. import charts, outcomes
from ..models import Event
from ..permissions import get_event_for


def _event_numbers(event: Event) -> outcomes.Survival:
    found = outcomes.outcomes(Event.objects.filter(pk=event.pk))
    return outcomes.Survival(event.collaboration.title, found)


@login_required
@require_GET
def event_survival(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's projects: the curve, adoption, the plan's features, each project's fate."""
    event = get_event_for(request.user, pk)
    survival = _event_numbers(event)
    return page(
        request,
        event.collaboration,
        "survival",
        "events/survival/tab.html",
        {
            "event": event,
            "survival": survival,
            "comparisons": outcomes.comparisons(survival.outcomes),
            "horizon": outcomes.HORIZON,
            "too_few": outcomes.TOO_FEW,
        },
    )


@login_required
@require_GET
@csp_override(CHART_POLICY)
def event_chart(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's survival curve as an SVG image; the tab's table holds the same numbers."""
    event = get_event_for(request.user, pk)
    survival = _event_numbers(event)
    return svg_response(charts.survival_curve([(survival.label, survival.steps)]), public=False)


def _public_numbers() -> tuple[list[Event], outcomes.Survival]:
    events = list(outcomes.public_events().order_by("-collaboration__start_date", "-pk"))
    found = outcomes.outcomes(outcomes.public_events())
    return events, outcomes.Survival(_("All public events"), found)


@require_GET
def public_survival(request: HttpRequest) -> HttpResponse:
    """Across the events their organisers made public: counts and shares, no names."""
    events, survival = _public_numbers()
    return render(
        request,
        "events/survival/public.html",
        {
            "survival": survival,
            "events": outcomes.by_event(events, survival.outcomes),
            "comparisons": outcomes.comparisons(survival.outcomes),
            "horizon": outcomes.HORIZON,
            "too_few": outcomes.TOO_FEW,
        },
    )


@require_GET
@csp_override(CHART_POLICY)
def public_chart(request: HttpRequest) -> HttpResponse:
    _events, survival = _public_numbers()
    return svg_response(charts.survival_curve([(survival.label, survival.steps)]), public=True)
