"""Follow-ups, what a project led to, survival and the import of past events through the API:
the same fetchers, numbers, forms, services and importer as the Follow-ups and Survival tabs
and the upload page."""

from dataclasses import asdict

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from civicbridge.core.api.forms import validated
from civicbridge.core.api.schemas import (
    ERROR_CODES,
    ApiRequest,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
)
from civicbridge.partners.api import ImportQueuedOut, queued

from .. import outcomes
from ..choices import Respondent
from ..forms.followups import LedToForm
from ..forms.imports import ImportForm
from ..importer import queue_import
from ..models import Event, ProjectFollowUp
from ..permissions import can_see_participants, get_event_for, get_project_for
from ..services import followups as services
from .projects import ProjectOut
from .schemas import (
    AcrossEventsOut,
    FollowUpOut,
    LedToIn,
    SurvivalOut,
)

router = Router(tags=["events"])


def _group(survival: outcomes.Survival) -> dict:
    return {
        "projects": survival.projects,
        "answered": survival.answered,
        "followed_to_horizon": survival.followed,
        "alive_at_horizon": survival.at_horizon,
        "too_few_to_tell": survival.too_few,
    }


def _survival(survival: outcomes.Survival) -> dict:
    return {
        **_group(survival),
        "label": survival.label,
        "horizon_months": outcomes.HORIZON,
        "adopted": survival.adopted,
        "handed_over": survival.handed_over,
        "abandoned": survival.abandoned,
        "adoption": survival.adoption,
        "steps": [asdict(step) for step in survival.steps],
        "comparisons": [
            {
                "feature": comparison.feature,
                "with_it": _group(comparison.with_it),
                "without_it": _group(comparison.without_it),
            }
            for comparison in outcomes.comparisons(survival.outcomes)
        ],
    }


def _follow_ups(event: Event) -> QuerySet[ProjectFollowUp]:
    return ProjectFollowUp.objects.filter(project__event=event).select_related("project")


@router.get(
    "/events/{event_id}/follow-ups",
    response={200: Page[FollowUpOut], ERROR_CODES: ErrorOut},
    url_name="event_follow_ups",
)
def list_follow_ups(request: ApiRequest, event_id: Id, params: Query[PageParams]):
    """Every follow-up of the event's projects and its answer, for both sides; a team
    contact's name only for the organisers' side, and nobody's e-mail address."""
    event = get_event_for(request.auth, event_id)
    names = can_see_participants(request.auth, event.collaboration)[0]
    found = page(_follow_ups(event), params)
    for follow_up in found["items"]:
        shown = names or follow_up.respondent == Respondent.OFFICIAL
        follow_up.shown_name = follow_up.name if shown else ""
    return found


@router.put(
    "/events/{event_id}/projects/{project_id}/led-to",
    response={200: ProjectOut, ERROR_CODES: ErrorOut},
    url_name="event_project_led_to",
)
def set_led_to(request: ApiRequest, event_id: Id, project_id: Id, payload: LedToIn):
    """The organisers link a project to the collaboration it led to: both show the link."""
    project = get_project_for(request.auth, event_id, project_id, organise=True)
    form = LedToForm(payload.dict(), collaboration=project.event.collaboration)
    return services.set_led_to(request.auth, project, validated(form)["led_to"])


@router.get(
    "/events/{event_id}/survival",
    response={200: SurvivalOut, ERROR_CODES: ErrorOut},
    url_name="event_survival",
)
def event_survival(request: ApiRequest, event_id: Id):
    """The event's Kaplan-Meier estimate, adoption, and survival by engagement-plan feature."""
    event = get_event_for(request.auth, event_id)
    found = outcomes.outcomes(Event.objects.filter(pk=event.pk))
    return _survival(outcomes.Survival(event.collaboration.title, found))


@router.get(
    "/survival/events",
    response={200: AcrossEventsOut, ERROR_CODES: ErrorOut},
    url_name="events_survival",
)
def survival_across_events(request: ApiRequest):
    """The same numbers across the events their organisers made public, and per event."""
    events = list(outcomes.public_events().order_by("-collaboration__start_date", "-pk"))
    found = outcomes.outcomes(outcomes.public_events())
    survival = outcomes.Survival(_("All public events"), found)
    return {
        **_survival(survival),
        "events": [
            {
                **_group(numbers),
                "collaboration_id": event.collaboration_id,
                "title": event.collaboration.title,
                "start_date": event.collaboration.start_date,
                "adoption": numbers.adoption,
            }
            for event, numbers in outcomes.by_event(events, found)
        ],
    }


@router.post(
    "/imports/events",
    response={202: ImportQueuedOut, ERROR_CODES: ErrorOut},
    url_name="events_import",
)
def import_past_events(
    request: ApiRequest,
    organisation: Form[Id],
    institution: Form[Id],
    events: File[UploadedFile],
    projects: File[UploadedFile | None] = None,
):
    """Queue the import of past events and their projects from CSV files, as the upload
    page does. Poll the import's `url`: on any problem nothing is imported and its
    `errors` list each by file, row and column."""
    form = ImportForm(
        {"organisation": organisation, "institution": institution},
        {"events": events, **({"projects": projects} if projects else {})},
        user=request.auth,
    )
    run = queue_import(request.auth, validated(form))
    return Status(202, queued(run))
