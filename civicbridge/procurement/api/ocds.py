"""A contract as OCDS through the API: the same packages as the downloads, validated."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Router

from civicbridge.api.schemas import ERROR_CODES, ApiRequest, ErrorOut, Id

from ..models import Contract
from ..ocds import export
from ..ocds.validation import OcdsError
from ..permissions import get_contract_for

router = Router(tags=["OCDS"])


def _package(request: ApiRequest, contract_id: int, kind: str) -> HttpResponse:
    """The package as the JSON the standard wants, amounts as numbers, not strings."""
    contract = get_contract_for(request.auth, contract_id)
    contract = export.for_export(Contract.objects.filter(pk=contract.pk)).get()
    build = export.release_package if kind == "release" else export.record_package
    try:
        package = build(contract)
    except OcdsError as error:
        raise ValidationError(error.problems) from None
    return HttpResponse(export.to_json(package), content_type="application/json")


@router.get(
    "/contracts/{contract_id}/ocds/releases",
    response={200: dict[str, Any], ERROR_CODES: ErrorOut},
    url_name="ocds_release_package",
)
def release_package(request: ApiRequest, contract_id: Id):
    """The contract's OCDS 1.1 release package: a release for each stage that happened."""
    return _package(request, contract_id, "release")


@router.get(
    "/contracts/{contract_id}/ocds/record",
    response={200: dict[str, Any], ERROR_CODES: ErrorOut},
    url_name="ocds_record_package",
)
def record_package(request: ApiRequest, contract_id: Id):
    """The contract's OCDS 1.1 record package: its releases and its compiled release."""
    return _package(request, contract_id, "record")
