"""A contract as OCDS open data, and the page that imports OCDS files (S8).

Both sides of a contract download its release package and its record package; anyone
downloads those of a contract in force, or ended, of a public collaboration. Editors and
admins of an organisation import a release package or record package of its contracts.
"""

import re

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from civicbridge.core.permissions import require
from civicbridge.partners.services import start_import

from ..forms.ocds import OcdsUploadForm
from ..models import Contract
from ..ocds import export
from ..ocds.validation import OcdsError
from ..permissions import (
    can_import_ocds,
    get_contract_for,
    get_published_contract,
    published_contracts,
)

PACKAGES = {"release": export.release_package, "record": export.record_package}


def _download(request: HttpRequest, contract: Contract, kind: str) -> HttpResponse:
    """The package as a JSON attachment; a contract the schema refuses says why instead."""
    contract = export.for_export(Contract.objects.filter(pk=contract.pk)).get()
    try:
        package = PACKAGES[kind](contract)
    except OcdsError as error:
        return render(
            request,
            "procurement/ocds/invalid.html",
            {"contract": contract, "problems": error.problems},
            status=422,
        )
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", export.ocid_for(contract))
    response = HttpResponse(export.to_json(package), content_type="application/json")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}-{kind}-package.json"
    )
    return response


@login_required
@require_GET
def releases(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, get_contract_for(request.user, pk), "release")


@login_required
@require_GET
def record(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, get_contract_for(request.user, pk), "record")


PAGE_SIZE = 25


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    """What anyone may download without an account: each published contract in OCDS, the
    register of conflicts of interest, the playbook, and the API that serves them."""
    contracts = published_contracts().select_related("collaboration", "supplier", "buyer")
    page = Paginator(contracts.order_by("-start_date", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "procurement/ocds/open_data.html", {"page": page})


@require_GET
def public_releases(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, get_published_contract(pk), "release")


@require_GET
def public_record(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, get_published_contract(pk), "record")


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a file; the task worker imports it and its run page follows, then lists every
    problem (nothing saved) or what the import created, updated or found already imported."""
    require(can_import_ocds(request.user))
    form = OcdsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = start_import(request.user, kind="ocds", file=form.cleaned_data["file"])
        return redirect(run)
    return render(request, "procurement/ocds/import.html", {"form": form})
