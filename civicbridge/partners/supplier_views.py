"""The supplier profile (S1, S2): the legal entity, offerings and past work of an organisation,
and the capability statement a procurement officer can print."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicbridge.core import documents
from civicbridge.core.pages import delete_page, edit_page

from . import permissions, services
from .forms import OfferingForm, PastContractForm, SupplierProfileForm
from .models import Organisation, SupplierProfile
from .supplier import past_work


def _profile_context(request: HttpRequest, organisation: Organisation) -> dict:
    return {
        "organisation": organisation,
        "profile": SupplierProfile.objects.filter(organisation=organisation).first(),
        "offerings": organisation.offerings.all(),
        "past_work": past_work(request.user, organisation),
        "past_contracts": organisation.past_contracts.all(),
    }


@login_required
@require_GET
def supplier_profile(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = permissions.get_supplier_for(request.user, pk)
    return render(
        request,
        "partners/supplier/profile.html",
        {
            **_profile_context(request, organisation),
            "can_edit": permissions.can_edit_organisation(request.user, organisation)[0],
        },
    )


@login_required
@require_GET
def capability_statement(request: HttpRequest, pk: int) -> HttpResponse:
    """The supplier profile as a PDF a procurement officer can file."""
    organisation = permissions.get_supplier_for(request.user, pk)
    context = {**_profile_context(request, organisation), "today": timezone.localdate()}
    filename = f"capability-statement-{slugify(organisation.name) or organisation.pk}.pdf"
    return documents.pdf_download(
        request, "partners/supplier/capability_print.html", context, filename
    )


def _back(organisation: Organisation) -> str:
    return reverse("partners:supplier_profile", args=[organisation.pk])


@login_required
@require_http_methods(["GET", "POST"])
def supplier_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = permissions.get_supplier_for(request.user, pk, edit=True)
    profile = SupplierProfile.objects.filter(organisation=organisation).first()
    return edit_page(
        request,
        SupplierProfileForm(request.POST or None, instance=profile),
        lambda data: services.save_supplier_profile(request.user, organisation, **data),
        title=_("The supplier profile of %(name)s") % {"name": organisation.name},
        back=_back(organisation),
        saved=_("The supplier profile was saved."),
        intro=_(
            "Present your organisation as a procurement officer needs to see a supplier: the "
            "legal entity they would contract with, its registration, and what it can do."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def offering_form(request: HttpRequest, pk: int, offering_pk: int | None = None) -> HttpResponse:
    """Add a product or service the organisation sells, or change the offering `offering_pk`."""
    organisation = permissions.get_supplier_for(request.user, pk, edit=True)
    offering = (
        permissions.get_offering_for(request.user, organisation, offering_pk)
        if offering_pk
        else None
    )
    return edit_page(
        request,
        OfferingForm(request.POST or None, instance=offering),
        lambda data: (
            services.update_offering(request.user, offering, **data)
            if offering
            else services.add_offering(request.user, organisation, **data)
        ),
        title=_("Change the offering") if offering else _("Add a product or service"),
        back=_back(organisation),
        saved=_("The offering was saved."),
        intro=_(
            "Institutions buy products, not “more democracy”: describe what they get, and how "
            "it is priced."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def past_contract_form(
    request: HttpRequest, pk: int, contract_pk: int | None = None
) -> HttpResponse:
    """Add work done for a buyer outside Civic Bridge, or change the record `contract_pk`."""
    organisation = permissions.get_supplier_for(request.user, pk, edit=True)
    contract = (
        permissions.get_past_contract_for(request.user, organisation, contract_pk)
        if contract_pk
        else None
    )
    return edit_page(
        request,
        PastContractForm(request.POST or None, instance=contract, organisation=organisation),
        lambda data: (
            services.update_past_contract(request.user, contract, **data)
            if contract
            else services.add_past_contract(request.user, organisation, **data)
        ),
        title=_("Change the past contract") if contract else _("Add a past contract"),
        back=_back(organisation),
        saved=_("The past contract was saved."),
        intro=_(
            "Contracts made on Civic Bridge appear by themselves once both sides signed. Add "
            "here the work you did for buyers before or elsewhere."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def offering_delete(request: HttpRequest, pk: int, offering_pk: int) -> HttpResponse:
    organisation = permissions.get_supplier_for(request.user, pk, edit=True)
    offering = permissions.get_offering_for(request.user, organisation, offering_pk)
    return delete_page(
        request,
        lambda: services.remove_offering(request.user, offering),
        title=_("Remove this offering?"),
        description=offering.name,
        back=_back(organisation),
        removed=_("The offering was removed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def past_contract_delete(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    organisation = permissions.get_supplier_for(request.user, pk, edit=True)
    contract = permissions.get_past_contract_for(request.user, organisation, contract_pk)
    return delete_page(
        request,
        lambda: services.remove_past_contract(request.user, contract),
        title=_("Remove this past contract?"),
        description=str(contract),
        back=_back(organisation),
        removed=_("The past contract was removed."),
    )
