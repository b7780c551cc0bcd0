"""The directory through the API: organisations, departments, people and memberships; and
the supplier profile with its offerings and past contracts."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from civicbridge.core.api.forms import changed, validated
from civicbridge.core.api.schemas import (
    ERROR_CODES,
    NO_NUL,
    ApiRequest,
    Body,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
    text,
    unchanged,
    unchanged_text,
)
from civicbridge.core.permissions import require

from . import permissions, services
from .choices import OfferingKind, OrganisationKind, PriceBasis
from .forms import OfferingForm, PastContractForm, SupplierProfileForm
from .models import (
    Department,
    ImportRun,
    Membership,
    Offering,
    Organisation,
    PastContract,
    Person,
    SupplierProfile,
)
from .supplier import past_work

router = Router(tags=["directory"])


class OrganisationOut(Schema):
    id: int
    popolo_id: str
    name: str
    kind: str
    classification: str
    country: str
    city: str
    website: str
    description: str


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    next: int | None


class OrganisationFilters(PageParams):
    q: str = text(100)
    kind: OrganisationKind | None = None
    country: str = text(100)


@router.get(
    "/organisations",
    response={200: OrganisationPage, ERROR_CODES: ErrorOut},
    url_name="organisations",
)
def list_organisations(request: ApiRequest, filters: Query[OrganisationFilters]):
    """Organisations, searched by name or city and filtered by kind and country.

    As in the directory, political parties are listed only when `kind=party` asks for them.
    """
    require(permissions.can_view_directory(request.auth))
    organisations = Organisation.objects.search(filters.q).of_kind(filters.kind)
    if filters.country:
        organisations = organisations.filter(country__iexact=filters.country)
    return page(organisations, filters)


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, ERROR_CODES: ErrorOut},
    url_name="organisation",
)
def get_organisation(request: ApiRequest, organisation_id: Id):
    return permissions.get_organisation_for(request.auth, organisation_id)


class DepartmentOut(Schema):
    id: int
    popolo_id: str
    organisation_id: int
    parent_id: int | None
    name: str
    classification: str


class DepartmentPage(Schema):
    items: list[DepartmentOut]
    next: int | None


class DepartmentFilters(PageParams):
    organisation: Id | None = None


@router.get(
    "/departments", response={200: DepartmentPage, ERROR_CODES: ErrorOut}, url_name="departments"
)
def list_departments(request: ApiRequest, filters: Query[DepartmentFilters]):
    require(permissions.can_view_directory(request.auth))
    departments = Department.objects.all()
    if filters.organisation is not None:
        departments = departments.filter(organisation_id=filters.organisation)
    return page(departments, filters)


@router.get(
    "/departments/{department_id}",
    response={200: DepartmentOut, ERROR_CODES: ErrorOut},
    url_name="department",
)
def get_department(request: ApiRequest, department_id: Id):
    return permissions.get_department_for(request.auth, department_id)


class PersonOut(Schema):
    id: int
    popolo_id: str
    name: str
    sort_name: str
    image: str
    summary: str


class PersonPage(Schema):
    items: list[PersonOut]
    next: int | None


class PersonFilters(PageParams):
    q: str = text(100)


@router.get("/people", response={200: PersonPage, ERROR_CODES: ErrorOut}, url_name="people")
def list_people(request: ApiRequest, filters: Query[PersonFilters]):
    """People, searched by name. E-mail addresses stay out of the API."""
    require(permissions.can_view_directory(request.auth))
    people = Person.objects.all()
    if filters.q:
        people = people.filter(name__icontains=filters.q)
    return page(people, filters)


@router.get(
    "/people/{person_id}", response={200: PersonOut, ERROR_CODES: ErrorOut}, url_name="person"
)
def get_person(request: ApiRequest, person_id: Id):
    return permissions.get_person_for(request.auth, person_id)


class MembershipOut(Schema):
    id: int
    popolo_id: str
    person_id: int
    organisation_id: int
    department_id: int | None
    role: str
    label: str
    start_date: date | None
    end_date: date | None
    access: str


class MembershipPage(Schema):
    items: list[MembershipOut]
    next: int | None


class MembershipFilters(PageParams):
    organisation: Id | None = None
    person: Id | None = None


@router.get(
    "/memberships", response={200: MembershipPage, ERROR_CODES: ErrorOut}, url_name="memberships"
)
def list_memberships(request: ApiRequest, filters: Query[MembershipFilters]):
    require(permissions.can_view_directory(request.auth))
    memberships = Membership.objects.all()
    if filters.organisation is not None:
        memberships = memberships.filter(organisation_id=filters.organisation)
    if filters.person is not None:
        memberships = memberships.filter(person_id=filters.person)
    return page(memberships, filters)


@router.get(
    "/memberships/{membership_id}",
    response={200: MembershipOut, ERROR_CODES: ErrorOut},
    url_name="membership",
)
def get_membership(request: ApiRequest, membership_id: Id):
    return permissions.get_membership_for(request.auth, membership_id)


# The supplier profile (S1, S2)


class OfferingOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    price_basis: str
    price: Decimal | None
    currency: str


class PastWorkOut(Schema):
    title: str
    buyer_name: str
    buyer_id: int | None
    value: Decimal | None
    currency: str
    period: str
    source: str
    url: str


class SupplierProfileOut(Schema):
    organisation_id: int
    legal_name: str
    registration_number: str
    registration_country: str
    tax_id: str
    capabilities: str
    offerings: list[OfferingOut]
    past_contracts: list[PastWorkOut]


class SupplierProfileIn(Body):
    legal_name: str = text(255, None, min_length=1)
    registration_number: str = text(100)
    registration_country: str = text(100, None, min_length=1)
    tax_id: str = text(100)
    capabilities: str = text(20_000, None, min_length=1)


def _profile_out(request: ApiRequest, profile: SupplierProfile) -> dict:
    organisation = profile.organisation
    return {
        **{name: getattr(profile, name) for name in SupplierProfileIn.model_fields},
        "organisation_id": organisation.pk,
        "offerings": list(organisation.offerings.all()),
        "past_contracts": past_work(request.auth, organisation),
    }


@router.get(
    "/organisations/{organisation_id}/supplier-profile",
    response={200: SupplierProfileOut, ERROR_CODES: ErrorOut},
    url_name="supplier_profile",
)
def get_supplier_profile(request: ApiRequest, organisation_id: Id):
    """The organisation as a supplier: legal entity, offerings and past public contracts."""
    organisation = permissions.get_supplier_for(request.auth, organisation_id)
    profile = SupplierProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        raise HttpError(404, _("%(name)s has no supplier profile yet.") % {"name": organisation})
    return _profile_out(request, profile)


@router.put(
    "/organisations/{organisation_id}/supplier-profile",
    response={200: SupplierProfileOut, ERROR_CODES: ErrorOut},
    url_name="supplier_profile_edit",
)
def put_supplier_profile(request: ApiRequest, organisation_id: Id, payload: SupplierProfileIn):
    """Write or change the supplier profile (members of the organisation)."""
    organisation = permissions.get_supplier_for(request.auth, organisation_id, edit=True)
    profile = SupplierProfile.objects.filter(organisation=organisation).first()
    data = validated(SupplierProfileForm(payload.dict(), instance=profile))
    return _profile_out(request, services.save_supplier_profile(request.auth, organisation, **data))


# Offerings and past contracts: the members of the organisation keep them, with the forms of
# the supplier profile's pages. Amounts are Decimals to the cent, beside their currency.

Currency = Field("", max_length=3, pattern=NO_NUL, description="Three letters, such as AUD.")


class OfferingIn(Body):
    name: str = text(200, None, min_length=1)
    kind: OfferingKind
    description: str = text(20_000, None, min_length=1)
    price_basis: PriceBasis = PriceBasis.ON_REQUEST
    price: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="Empty: quoted on request."
    )
    currency: str = Currency


class OfferingChange(Body):
    """An offering's parts to change; every field left out keeps its value."""

    name: str = unchanged_text(200, min_length=1)
    kind: OfferingKind = unchanged()
    description: str = unchanged_text(20_000, min_length=1)
    price_basis: PriceBasis = unchanged()
    price: Decimal | None = unchanged(ge=0, max_digits=14, decimal_places=2)
    currency: str = unchanged_text(3)


@router.get(
    "/organisations/{organisation_id}/offerings",
    response={200: Page[OfferingOut], ERROR_CODES: ErrorOut},
    url_name="supplier_offerings",
)
def list_offerings(request: ApiRequest, organisation_id: Id, params: Query[PageParams]):
    """The products and services the organisation sells."""
    organisation = permissions.get_supplier_for(request.auth, organisation_id)
    return page(Offering.objects.filter(organisation=organisation), params)


@router.post(
    "/organisations/{organisation_id}/offerings",
    response={201: OfferingOut, ERROR_CODES: ErrorOut},
    url_name="supplier_offering_create",
)
def create_offering(request: ApiRequest, organisation_id: Id, payload: OfferingIn):
    """Add a product or service (members of the organisation); a price needs its currency."""
    organisation = permissions.get_supplier_for(request.auth, organisation_id, edit=True)
    data = validated(OfferingForm(payload.dict()))
    return Status(201, services.add_offering(request.auth, organisation, **data))


def _offering(user, organisation_id: int, offering_id: int) -> Offering:
    organisation = permissions.get_supplier_for(user, organisation_id, edit=True)
    return permissions.get_offering_for(user, organisation, offering_id)


@router.patch(
    "/organisations/{organisation_id}/offerings/{offering_id}",
    response={200: OfferingOut, ERROR_CODES: ErrorOut},
    url_name="supplier_offering_edit",
)
def change_offering(
    request: ApiRequest, organisation_id: Id, offering_id: Id, payload: OfferingChange
):
    offering = _offering(request.auth, organisation_id, offering_id)
    data = validated(changed(OfferingForm, payload, instance=offering))
    return services.update_offering(request.auth, offering, **data)


@router.delete(
    "/organisations/{organisation_id}/offerings/{offering_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="supplier_offering_delete",
)
def delete_offering(request: ApiRequest, organisation_id: Id, offering_id: Id):
    services.remove_offering(request.auth, _offering(request.auth, organisation_id, offering_id))
    return Status(204, None)


class PastContractOut(Schema):
    id: int
    buyer_name: str
    buyer_id: int | None
    title: str
    value: Decimal | None
    currency: str
    year: int | None
    started_on: date | None
    ended_on: date | None
    reference_url: str


class PastContractIn(Body):
    buyer_name: str = Field(
        "", max_length=255, pattern=NO_NUL, description="Empty when `buyer` names it."
    )
    buyer: Id | None = Field(None, description="The buyer, if it is in the directory.")
    title: str = text(300, None, min_length=1)
    value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str = Currency
    year: int | None = Field(None, ge=1900, le=2999, description="Needed without the dates.")
    started_on: date | None = None
    ended_on: date | None = None
    reference_url: str = text(500)


class PastContractChange(Body):
    """A past contract's parts to change; every field left out keeps its value."""

    buyer_name: str = unchanged_text(255)
    buyer: Id | None = unchanged()
    title: str = unchanged_text(300, min_length=1)
    value: Decimal | None = unchanged(ge=0, max_digits=14, decimal_places=2)
    currency: str = unchanged_text(3)
    year: int | None = unchanged(ge=1900, le=2999)
    started_on: date | None = unchanged()
    ended_on: date | None = unchanged()
    reference_url: str = unchanged_text(500)


@router.get(
    "/organisations/{organisation_id}/past-contracts",
    response={200: Page[PastContractOut], ERROR_CODES: ErrorOut},
    url_name="supplier_past_contracts",
)
def list_past_contracts(request: ApiRequest, organisation_id: Id, params: Query[PageParams]):
    """The work added by hand, done for buyers before or outside Civic Bridge; the profile
    lists it with the contracts made here."""
    organisation = permissions.get_supplier_for(request.auth, organisation_id)
    return page(PastContract.objects.filter(organisation=organisation), params)


@router.post(
    "/organisations/{organisation_id}/past-contracts",
    response={201: PastContractOut, ERROR_CODES: ErrorOut},
    url_name="supplier_past_contract_create",
)
def create_past_contract(request: ApiRequest, organisation_id: Id, payload: PastContractIn):
    """Add work done for a buyer outside Civic Bridge, with its year or dates."""
    organisation = permissions.get_supplier_for(request.auth, organisation_id, edit=True)
    data = validated(PastContractForm(payload.dict(), organisation=organisation))
    return Status(201, services.add_past_contract(request.auth, organisation, **data))


def _past_contract(user, organisation_id: int, past_contract_id: int) -> PastContract:
    organisation = permissions.get_supplier_for(user, organisation_id, edit=True)
    return permissions.get_past_contract_for(user, organisation, past_contract_id)


@router.patch(
    "/organisations/{organisation_id}/past-contracts/{past_contract_id}",
    response={200: PastContractOut, ERROR_CODES: ErrorOut},
    url_name="supplier_past_contract_edit",
)
def change_past_contract(
    request: ApiRequest, organisation_id: Id, past_contract_id: Id, payload: PastContractChange
):
    contract = _past_contract(request.auth, organisation_id, past_contract_id)
    form = changed(PastContractForm, payload, instance=contract, organisation=contract.organisation)
    return services.update_past_contract(request.auth, contract, **validated(form))


@router.delete(
    "/organisations/{organisation_id}/past-contracts/{past_contract_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="supplier_past_contract_delete",
)
def delete_past_contract(request: ApiRequest, organisation_id: Id, past_contract_id: Id):
    contract = _past_contract(request.auth, organisation_id, past_contract_id)
    services.remove_past_contract(request.auth, contract)
    return Status(204, None)


# Imports run in the task worker: an upload answers 202 with the address to poll.


class ImportQueuedOut(Schema):
    id: int
    status: str
    url: str = Field(description="The API address to poll until `status` is done or failed.")
    page: str = Field(description="The web page that follows the import.")


class ImportRunOut(ImportQueuedOut):
    kind: str
    filename: str
    phase: str
    processed: int
    total: int
    summary: list[str] = Field(description="What the import did, once done.")
    errors: list[str] = Field(description="Why nothing was imported, once failed.")


def queued(run: ImportRun) -> dict:
    """The answer to an upload: where to follow the import."""
    return {
        "id": run.pk,
        "status": run.status,
        "url": reverse("api:import_run", kwargs={"import_id": run.pk}),
        "page": run.get_absolute_url(),
    }


@router.get(
    "/imports/{int:import_id}",
    response={200: ImportRunOut, ERROR_CODES: ErrorOut},
    url_name="import_run",
)
def import_run(request: ApiRequest, import_id: Id):
    """An import you started (platform admins: any import): its progress, then what it did
    or why nothing was imported."""
    run = permissions.get_import_run_for(request.auth, import_id)
    return {
        **queued(run),
        "kind": run.kind,
        "filename": run.filename,
        "phase": run.phase,
        "processed": run.processed,
        "total": run.total,
        "summary": run.summary or [],
        "errors": run.errors or [],
    }
