"""The collaborations, their details, their stage transitions and their notes."""

from typing import Literal

from django.db.models import Q
from ninja import Query, Router, Status

from civicbridge.core.api.forms import changed, validated
from civicbridge.core.api.schemas import (
    CONFLICT_CODES,
    ERROR_CODES,
    ApiRequest,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
    text,
)
from civicbridge.core.permissions import require
from civicbridge.partners.models import Organisation

from .. import permissions
from ..choices import Model, Stage
from ..forms.core import (
    CollaborationChangeForm,
    CollaborationFilterForm,
    CollaborationForm,
    NoteForm,
)
from ..models import Activity, CollaborationNote, Transition
from ..services import lifecycle as lifecycle_services
from ..services import notes as note_services
from .schemas import (
    ActivityOut,
    CollaborationChange,
    CollaborationDetailOut,
    CollaborationIn,
    CollaborationOut,
    NoteIn,
    NoteOut,
    RiskOut,
    TransitionIn,
    TransitionOut,
)

router = Router(tags=["collaborations"])


class CollaborationFilters(PageParams):
    """The web list's filters (CollaborationFilterForm), by the same names."""

    q: str = text(100)
    model: Model | None = None
    stage: Stage | None = None
    partner: Id | None = None
    at_risk: Literal["any", "conditions", "checkins", "one_person"] | None = None
    follow_ups: Literal["due"] | None = None
    partner_name: str = text(100)


def _partners(visible):
    return Organisation.objects.filter(
        Q(pk__in=visible.values("civic_organisation_id"))
        | Q(pk__in=visible.values("institution_id"))
    )


@router.get(
    "/collaborations",
    response={200: Page[CollaborationOut], ERROR_CODES: ErrorOut},
    url_name="collaborations",
)
def list_collaborations(request: ApiRequest, filters: Query[CollaborationFilters]):
    """The collaborations of the user's organisations, filtered as on the web list."""
    visible = permissions.visible_collaborations(request.auth)
    data = {
        "q": filters.q,
        "model": filters.model or "",
        "stage": filters.stage or "",
        "partner": filters.partner or "",
        "at_risk": filters.at_risk or "",
        "follow_ups": filters.follow_ups or "",
        "partner_name": filters.partner_name,
    }
    form = CollaborationFilterForm(data, partners=_partners(visible))
    validated(form)
    return page(form.filter(visible), filters)


@router.post(
    "/collaborations",
    response={201: CollaborationOut, ERROR_CODES: ErrorOut},
    url_name="collaboration_create",
)
def create_collaboration(request: ApiRequest, payload: CollaborationIn):
    """Propose a collaboration, as on the web page."""
    require(permissions.can_create_collaboration(request.auth))
    data = validated(CollaborationForm(payload.dict(), user=request.auth))
    return Status(201, lifecycle_services.create_collaboration(request.auth, **data))


@router.get(
    "/collaborations/{collaboration_id}",
    response={200: CollaborationDetailOut, ERROR_CODES: ErrorOut},
    url_name="collaboration",
)
def get_collaboration(request: ApiRequest, collaboration_id: Id):
    """One collaboration, its stage, and what the gates to its next stage say now."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    next_stage, results = lifecycle_services.gate_results(collaboration)
    out = CollaborationOut.from_orm(collaboration).dict()
    started_from, starting = permissions.starting_for(request.auth, collaboration)
    return {
        **out,
        "department_ids": list(collaboration.departments.values_list("pk", flat=True)),
        "next_stage": next_stage,
        "next_gates": [result.as_record() for result in results],
        "assessment_id": started_from.pk if started_from else None,
        "starting_conditions": list(starting),
    }


@router.patch(
    "/collaborations/{collaboration_id}",
    response={200: CollaborationOut, ERROR_CODES: ErrorOut},
    url_name="collaboration_edit",
)
def change_collaboration(request: ApiRequest, collaboration_id: Id, payload: CollaborationChange):
    """Change the details, as on the web page; the stage moves only by a transition."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(changed(CollaborationChangeForm, payload, instance=collaboration))
    return lifecycle_services.update_collaboration(request.auth, collaboration, **data)


@router.post(
    "/collaborations/{collaboration_id}/transitions",
    response={201: TransitionOut, CONFLICT_CODES: ErrorOut},
    url_name="collaboration_transitions",
)
def advance_collaboration(request: ApiRequest, collaboration_id: Id, payload: TransitionIn):
    """Move from `from_stage` to the next stage; 409 with each refused gate and its
    mitigations if one blocks, or with the current stage if it is no longer `from_stage`."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    return Status(
        201,
        lifecycle_services.advance(
            request.auth, collaboration, from_stage=payload.from_stage, early=payload.early
        ),
    )


@router.get(
    "/collaborations/{collaboration_id}/transitions",
    response={200: Page[TransitionOut], ERROR_CODES: ErrorOut},
    url_name="transitions",
)
def list_transitions(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The stage history, oldest first: who moved it, and what each gate said then."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(Transition.objects.filter(collaboration=collaboration), params)


@router.get(
    "/collaborations/{collaboration_id}/risks",
    response={200: Page[RiskOut], ERROR_CODES: ErrorOut},
    url_name="risks",
)
def list_risks(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The gates that failed without blocking, kept as risks until they hold."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(collaboration.risks.all(), params)


@router.get(
    "/collaborations/{collaboration_id}/activity",
    response={200: Page[ActivityOut], ERROR_CODES: ErrorOut},
    url_name="activity",
)
def list_activity(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """What happened, oldest first, as far as the user may see: a side-only record's line
    stays on its side."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    activities = Activity.objects.filter(collaboration=collaboration)
    return page(permissions.visible_records(request.auth, activities), params)


# Notes


@router.get(
    "/collaborations/{collaboration_id}/notes",
    response={200: Page[NoteOut], ERROR_CODES: ErrorOut},
    url_name="notes",
)
def list_notes(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """Your side's notes, and the other side's notes shared with both sides."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    notes = CollaborationNote.objects.filter(collaboration=collaboration)
    return page(permissions.visible_records(request.auth, notes), params)


@router.post(
    "/collaborations/{collaboration_id}/notes",
    response={201: NoteOut, ERROR_CODES: ErrorOut},
    url_name="note_create",
)
def add_note(request: ApiRequest, collaboration_id: Id, payload: NoteIn):
    """Keep a note for your side, private unless shared with both sides; never public."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    require(permissions.can_edit(request.auth, collaboration))
    data = validated(NoteForm(payload.dict()))
    return Status(201, note_services.add_note(request.auth, collaboration, **data))
