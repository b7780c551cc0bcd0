"""The handover plan through the API: successor officials and handover tasks.

Once the collaboration is closed the plan is the record of what was handed over: the
services refuse every change, here as on the handover tab.
"""

from ninja import Query, Router, Status

from civicbridge.core.api.forms import changed, validated
from civicbridge.core.api.schemas import (
    ERROR_CODES,
    ApiRequest,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
)

from .. import permissions
from ..forms.handover import HandoverTaskForm, SuccessorEditForm, SuccessorForm
from ..services import handover as services
from .schemas import (
    HandoverTaskIn,
    HandoverTaskOut,
    SuccessorChange,
    SuccessorIn,
    SuccessorOut,
)

router = Router(tags=["collaborations"])


@router.get(
    "/collaborations/{collaboration_id}/successors",
    response={200: Page[SuccessorOut], ERROR_CODES: ErrorOut},
    url_name="successors",
)
def list_successors(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The institution's officials who carry the work on, and their training."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(collaboration.successors.all(), params)


@router.post(
    "/collaborations/{collaboration_id}/successors",
    response={201: SuccessorOut, ERROR_CODES: ErrorOut},
    url_name="successor_create",
)
def add_successor(request: ApiRequest, collaboration_id: Id, payload: SuccessorIn):
    """Name an official of the institution who will carry the work on."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(SuccessorForm(payload.dict(), collaboration=collaboration))
    return Status(201, services.add_successor(request.auth, collaboration, **data))


@router.patch(
    "/collaborations/{collaboration_id}/successors/{successor_id}",
    response={200: SuccessorOut, ERROR_CODES: ErrorOut},
    url_name="successor_edit",
)
def change_successor(
    request: ApiRequest, collaboration_id: Id, successor_id: Id, payload: SuccessorChange
):
    """Change what a successor takes over, or how far their training has come."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    successor = permissions.successor_of(collaboration, successor_id)
    data = validated(changed(SuccessorEditForm, payload, instance=successor))
    return services.update_successor(request.auth, successor, **data)


@router.delete(
    "/collaborations/{collaboration_id}/successors/{successor_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="successor_delete",
)
def remove_successor(request: ApiRequest, collaboration_id: Id, successor_id: Id):
    """Take a successor off the plan."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    services.remove_successor(request.auth, permissions.successor_of(collaboration, successor_id))
    return Status(204, None)


# Handover tasks


@router.get(
    "/collaborations/{collaboration_id}/handover-tasks",
    response={200: Page[HandoverTaskOut], ERROR_CODES: ErrorOut},
    url_name="handover_tasks",
)
def list_handover_tasks(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """What must happen before the institution's officials carry on alone."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(collaboration.handover_tasks.all(), params)


@router.post(
    "/collaborations/{collaboration_id}/handover-tasks",
    response={201: HandoverTaskOut, ERROR_CODES: ErrorOut},
    url_name="handover_task_create",
)
def add_handover_task(request: ApiRequest, collaboration_id: Id, payload: HandoverTaskIn):
    """Add a task to the handover plan; its owner is a person of either side."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(HandoverTaskForm(payload.dict(), collaboration=collaboration))
    return Status(201, services.add_task(request.auth, collaboration, **data))


@router.post(
    "/collaborations/{collaboration_id}/handover-tasks/{task_id}/done",
    response={200: HandoverTaskOut, ERROR_CODES: ErrorOut},
    url_name="handover_task_done",
)
def complete_handover_task(request: ApiRequest, collaboration_id: Id, task_id: Id):
    """Mark a handover task done today; a task done already stays as it was."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    return services.complete_task(
        request.auth, permissions.handover_task_of(collaboration, task_id)
    )


@router.post(
    "/collaborations/{collaboration_id}/handover-tasks/{task_id}/reopen",
    response={200: HandoverTaskOut, ERROR_CODES: ErrorOut},
    url_name="handover_task_reopen",
)
def reopen_handover_task(request: ApiRequest, collaboration_id: Id, task_id: Id):
    """Open a task marked done again; an open task stays as it was."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    return services.reopen_task(request.auth, permissions.handover_task_of(collaboration, task_id))
