"""A contract as OCDS through the API: the same packages as the downloads, validated."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from civicbridge.core.api.forms import validated
from civicbridge.core.api.schemas import ERROR_CODES, ApiRequest, ErrorOut, Id
from civicbridge.core.permissions import require
from civicbridge.partners.api import ImportQueuedOut, queued
from civicbridge.partners.services import start_import

from ..forms.ocds import OcdsUploadForm
from ..models import Contract
from ..ocds import export
from ..ocds.validation import OcdsError
from ..permissions import can_import_ocds, get_contract_for

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


@router.post(
    "/imports/ocds",
    response={202: ImportQueuedOut, ERROR_CODES: ErrorOut},
    url_name="ocds_import",
)
def import_package(request: ApiRequest, file: File[UploadedFile]):
    """Queue the import of an OCDS release package or record package, as the upload page
    does: only contracts whose buyer or supplier you act for. Poll the import's `url`: on
    any problem nothing is imported and its `errors` name the release and the JSON path of
    each."""
    require(can_import_ocds(request.auth))
    data = validated(OcdsUploadForm({}, {"file": file}))
    run = start_import(request.auth, kind="ocds", file=data["file"])
    return Status(202, queued(run))
