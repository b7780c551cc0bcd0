"""Credit statements and the reforms ledger through the API.

A statement is public only when an admin of each side approves it; a change withdraws both
approvals. A reform only moves forward: asked, agreed, achieved, or dropped before that.
"""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema, Status

from civicbridge.core.api.forms import changed, validated
from civicbridge.core.api.schemas import (
    ERROR_CODES,
    ApiRequest,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
    text,
    unchanged,
    unchanged_text,
)
from civicbridge.core.choices import Visibility

from .. import permissions
from ..choices import ReformStatus
from ..forms.credit import CreditForm, ReformEditForm, ReformForm
from ..models import Reform
from ..services import credit as services

router = Router(tags=["collaborations"])


class CreditStatementOut(Schema):
    id: int
    text: str
    government_contribution: str
    drafted_by_id: int
    civic_approved_by_id: int | None
    civic_approved_at: datetime | None
    institution_approved_by_id: int | None
    institution_approved_at: datetime | None
    published: bool
    digest: str = Field(..., description="Send it back as `seen` to approve these words.")


class CreditStatementIn(Schema):
    # `text` last: the field's name hides the helper of that name in the class body.
    government_contribution: str = text(10_000, None, min_length=1)
    text: str = text(10_000, None, min_length=1)


class CreditStatementChange(Schema):
    """The words to change; one left out keeps its words. Any change withdraws both
    approvals."""

    government_contribution: str = unchanged_text(10_000, min_length=1)
    text: str = unchanged_text(10_000, min_length=1)


class ApprovalIn(Schema):
    seen: str = Field(
        ...,
        max_length=64,
        pattern=r"^[0-9a-f]*$",
        description="The statement's `digest` when you read it: nothing is approved if the "
        "words changed since.",
    )


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
    response={200: CreditStatementOut, ERROR_CODES: ErrorOut},
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


class ReformOut(Schema):
    id: int
    owner_organisation_id: int
    visibility: str
    title: str
    description: str
    status: str
    asked_on: date
    agreed_on: date | None
    achieved_on: date | None
    champion_ids: list[int]

    @staticmethod
    def resolve_champion_ids(obj: Reform) -> list[int]:
        return [person.pk for person in obj.champions.all()]


class ReformIn(Schema):
    title: str = text(300, None, min_length=1)
    description: str = text(10_000)
    champions: list[Id] = Field(default_factory=list, max_length=50)
    visibility: Visibility = Visibility.BOTH_SIDES


class ReformChange(Schema):
    """What to change of the reform; every field left out keeps its value. The status only
    moves forward, and reaching a status dates it today."""

    title: str = unchanged_text(300, min_length=1)
    description: str = unchanged_text(10_000)
    status: ReformStatus = unchanged()
    champions: list[Id] = unchanged(max_length=50)
    visibility: Visibility = unchanged()


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
