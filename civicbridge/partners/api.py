"""The directory through the API: organisations, departments, people and memberships."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from civicbridge.api.forms import validated
from civicbridge.api.schemas import ERROR_CODES, ApiRequest, ErrorOut, Id, PageParams, page, text
from civicbridge.core.permissions import require

from . import permissions, services
from .choices import OrganisationKind
from .forms import SupplierProfileForm
from .models import Department, Membership, Organisation, Person, SupplierProfile
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
    """Organisations, searched by name or city and filtered by kind and country."""
    require(permissions.can_view_directory(request.auth))
    organisations = Organisation.objects.search(filters.q)
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
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


class SupplierProfileIn(Schema):
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
    organisation = permissions.get_organisation_for(request.auth, organisation_id)
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
    organisation = permissions.get_organisation_for(request.auth, organisation_id, edit=True)
    profile = SupplierProfile.objects.filter(organisation=organisation).first()
    data = validated(SupplierProfileForm(payload.dict(), instance=profile))
    return _profile_out(request, services.save_supplier_profile(request.auth, organisation, **data))
