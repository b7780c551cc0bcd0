"""A contract as OCDS through the API: the same packages as the downloads, validated."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from civicbridge.core.api.forms import validated
from civicbridge.core.api.schemas import ERROR_CODES, ApiRequest, ErrorOut, Id
from civicbridge.core.permissions import require
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids

from ..forms.ocds import OcdsUploadForm
from ..models import Contract
from ..ocds import export
from ..ocds.importer import import_ocds
from ..ocds.validation import OcdsError
from ..permissions import can_import_ocds, get_contract_for
from .schemas import (
    ImportedOut,
)

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
    response={201: list[ImportedOut], ERROR_CODES: ErrorOut},
    url_name="ocds_import",
)
def import_package(request: ApiRequest, file: File[UploadedFile]):
    """Import an OCDS release package or record package, as the upload page does: only
    contracts whose buyer or supplier you act for; on any problem nothing is imported and
    `errors` names the release and the JSON path of each."""
    require(can_import_ocds(request.auth))
    data = validated(OcdsUploadForm({}, {"file": file}))
    acting_for = acting_organisation_ids(request.auth, Access.MEMBER)
    try:
        outcomes = import_ocds(request.auth, data["file"].read(), acting_for=acting_for)
    except OcdsError as error:
        return Status(
            422,
            {
                "detail": _("Nothing was imported: see the errors."),
                "errors": [{"message": problem} for problem in error.problems],
            },
        )
    return Status(
        201,
        [
            {"ocid": o.ocid, "contract_id": o.contract.pk if o.contract else None, "lines": o.lines}
            for o in outcomes
        ],
    )
