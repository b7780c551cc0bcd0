"""Credit statements and the reforms ledger through the API.

A statement is public only when an admin of each side approves it; a change withdraws both
approvals. A reform only moves forward: asked, agreed, achieved, or dropped before that.
"""

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
)

from .. import permissions
from ..forms.credit import CreditForm, ReformEditForm, ReformForm
from ..models import Reform
from ..services import credit as services
from .schemas import (
    ApprovalIn,
    CreditStatementChange,
    CreditStatementIn,
    CreditStatementOut,
    ReformChange,
    ReformIn,
    ReformOut,
)

router = Router(tags=["collaborations"])


@router.get(
    "/collaborations/{collaboration_id}/credit-statements",
    response={200: Page[CreditStatementOut], ERROR_CODES: ErrorOut},
    url_name="credit_statements",
)
def list_credit_statements(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The credit statements, with each side's approval; both approved means public."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(collaboration.credit_statements.all(), params)


@router.post(
    "/collaborations/{collaboration_id}/credit-statements",
    response={201: CreditStatementOut, ERROR_CODES: ErrorOut},
    url_name="credit_statement_create",
)
def draft_credit_statement(request: ApiRequest, collaboration_id: Id, payload: CreditStatementIn):
    """Draft a credit statement for your side; an admin of each side approves it."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(CreditForm(payload.dict()))
    return Status(201, services.draft_credit(request.auth, collaboration, **data))


@router.patch(
    "/collaborations/{collaboration_id}/credit-statements/{credit_id}",
    response={200: CreditStatementOut, ERROR_CODES: ErrorOut},
    url_name="credit_statement_edit",
)
def change_credit_statement(
    request: ApiRequest, collaboration_id: Id, credit_id: Id, payload: CreditStatementChange
):
    """Change a statement; a change withdraws the approvals given, and a published
    statement stops being public until both sides approve it again."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    statement = permissions.credit_statement_of(collaboration, credit_id)
    data = validated(changed(CreditForm, payload, instance=statement))
    return services.edit_credit(request.auth, statement, **data)


@router.post(
    "/collaborations/{collaboration_id}/credit-statements/{credit_id}/approvals",
    response={200: CreditStatementOut, CONFLICT_CODES: ErrorOut},
    url_name="credit_statement_approve",
)
def approve_credit_statement(
    request: ApiRequest, collaboration_id: Id, credit_id: Id, payload: ApprovalIn
):
    """Approve the statement for your side (admins only); approving twice changes nothing."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=False)
    statement = permissions.credit_statement_of(collaboration, credit_id)
    return services.approve_credit(request.auth, statement, seen=payload.seen)


@router.delete(
    "/collaborations/{collaboration_id}/credit-statements/{credit_id}/approvals",
    response={200: CreditStatementOut, ERROR_CODES: ErrorOut},
    url_name="credit_statement_withdraw",
)
def withdraw_credit_approval(request: ApiRequest, collaboration_id: Id, credit_id: Id):
    """Withdraw your side's approval (admins only); a published statement stops being public."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=False)
    statement = permissions.credit_statement_of(collaboration, credit_id)
    return services.withdraw_credit_approval(request.auth, statement)


# Reforms


@router.get(
    "/collaborations/{collaboration_id}/reforms",
    response={200: Page[ReformOut], ERROR_CODES: ErrorOut},
    url_name="reforms",
)
def list_reforms(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """The reforms ledger, as far as the user may see it."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    reforms = permissions.visible_records(
        request.auth, Reform.objects.filter(collaboration=collaboration)
    ).prefetch_related("champions")
    return page(reforms, params)


@router.post(
    "/collaborations/{collaboration_id}/reforms",
    response={201: ReformOut, ERROR_CODES: ErrorOut},
    url_name="reform_create",
)
def ask_reform(request: ApiRequest, collaboration_id: Id, payload: ReformIn):
    """Record a reform asked for, with the institution's officials who champion it."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(ReformForm(payload.dict(), collaboration=collaboration))
    data["champions"] = list(data["champions"])
    return Status(201, services.ask_reform(request.auth, collaboration, **data))


@router.patch(
    "/collaborations/{collaboration_id}/reforms/{reform_id}",
    response={200: ReformOut, ERROR_CODES: ErrorOut},
    url_name="reform_edit",
)
def change_reform(request: ApiRequest, collaboration_id: Id, reform_id: Id, payload: ReformChange):
    """Change a reform of your side, or move it on: asked, agreed, achieved, or dropped."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    reform = permissions.get_record_for(
        request.auth, collaboration, Reform.objects.all(), reform_id, edit=True
    )
    reform.collaboration = collaboration
    form = changed(ReformEditForm, payload, instance=reform, collaboration=collaboration)
    data = validated(form)
    data["champions"] = list(data["champions"])
    return services.update_reform(request.auth, reform, **data)
