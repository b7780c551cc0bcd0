"""Assessments through the API: those the user may see, read only."""

from datetime import date, datetime
from typing import Any

from ninja import Query, Router, Schema

from civicbridge.core.api.schemas import ERROR_CODES, ApiRequest, ErrorOut, Id, PageParams, page

from . import permissions

router = Router(tags=["assessments"])


class AssessmentOut(Schema):
    id: int
    title: str
    country: str
    owner_organisation_id: int
    institution_id: int
    civic_partner_id: int | None
    playbook_version_id: int
    visibility: str
    assessed_on: date
    completed_at: datetime | None


class AssessmentDetailOut(AssessmentOut):
    answers: dict[str, Any]


class AssessmentPage(Schema):
    items: list[AssessmentOut]
    next: int | None


@router.get(
    "/assessments", response={200: AssessmentPage, ERROR_CODES: ErrorOut}, url_name="assessments"
)
def list_assessments(request: ApiRequest, params: Query[PageParams]):
    """The assessments the user's organisations made or share with them."""
    return page(permissions.visible_assessments(request.auth), params)


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentDetailOut, ERROR_CODES: ErrorOut},
    url_name="assessment",
)
def get_assessment(request: ApiRequest, assessment_id: Id):
    return permissions.get_assessment_for(request.auth, assessment_id)
