"""The supplier profile (S1, S2): who keeps it, the past work it merges, the PDF it prints."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from civicbridge.partners import services
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Offering, PastContract, SupplierProfile
from civicbridge.partners.supplier import past_work
from civicbridge.procurement.choices import ContractStatus
from civicbridge.procurement.models import Contract
from tests.factories import CollaborationFactory, OrganisationFactory

V1 = "/api/v1"

PROFILE = {
    "legal_name": "Code for Testing Incorporated",
    "registration_number": "ABN 12 345 678 901",
    "registration_country": "Australia",
    "tax_id": "12345678901",
    "capabilities": "We design, build and run digital public services.",
}


def profile_url(world, name="supplier_profile", *args) -> str:
    return reverse(f"partners:{name}", args=[world.civic.pk, *args])


def platform_contract(world, status=ContractStatus.ACTIVE, *, public=False, **fields) -> Contract:
    collaboration = CollaborationFactory.create(
        model="service_delivery",
        civic_organisation=world.civic,
        institution=world.institution,
        public=public,
    )
    return Contract.objects.create(
        collaboration=collaboration,
        supplier=world.civic,
        buyer=world.institution,
        title=fields.pop("title", "Permit portal"),
        value=Decimal("80000.00"),
        currency="AUD",
        start_date=fields.pop("start_date", date(2025, 1, 1)),
        end_date=fields.pop("end_date", date(2025, 12, 31)),
        status=status,
    )


def test_members_and_platform_admins_keep_the_profile(world, client_for):
    for persona in ("official", "outsider"):
        response = client_for(getattr(world, persona)).post(
            profile_url(world, "supplier_profile_edit"), PROFILE
        )
        assert response.status_code == 403
    assert not SupplierProfile.objects.exists()
    response = client_for(world.fellow).post(profile_url(world, "supplier_profile_edit"), PROFILE)
    assert response.status_code == 302
    assert SupplierProfile.objects.get().legal_name == PROFILE["legal_name"]
    changed = client_for(world.admin).post(
        profile_url(world, "supplier_profile_edit"), {**PROFILE, "tax_id": "999"}
    )
    assert changed.status_code == 302 and SupplierProfile.objects.get().tax_id == "999"
    page = client_for(world.official).get(profile_url(world)).content.decode()
    assert "ABN 12 345 678 901" in page


def test_a_price_needs_its_currency_given_in_any_case(world):
    with pytest.raises(ValidationError, match="needs its currency"):
        services.add_offering(
            world.civic_lead,
            world.civic,
            name="Hosting",
            kind="service",
            description="We run it.",
            price_basis="per_month",
            price=Decimal("900.00"),
            currency="",
        )
    with pytest.raises(PermissionDenied):
        services.add_offering(
            world.official, world.civic, name="x", kind="service", description="x"
        )
    assert not Offering.objects.exists()


def test_offerings_through_the_pages(world, client_for):
    client = client_for(world.civic_lead)
    response = client.post(
        profile_url(world, "offering_create"),
        {
            "name": "Service design sprint",
            "kind": "service",
            "description": "Two weeks with your team.",
            "price_basis": "fixed",
            "price": "18000.00",
            "currency": "aud",
        },
    )
    assert response.status_code == 302
    offering = Offering.objects.get()
    assert offering.currency == "AUD" and offering.price == Decimal("18000.00")
    stranger = client_for(world.official).post(profile_url(world, "offering_delete", offering.pk))
    assert stranger.status_code == 403
    lead = client_for(world.civic_lead)
    assert lead.post(profile_url(world, "offering_delete", offering.pk)).status_code == 302
    assert not Offering.objects.exists()


def test_past_work_merges_contracts_made_here_with_those_added_by_hand(world):
    platform_contract(world, title="Signed here", end_date=date(2025, 12, 31))
    platform_contract(world, ContractStatus.PENDING, title="Not signed yet")
    platform_contract(world, ContractStatus.CANCELLED, title="Cancelled")
    services.add_past_contract(
        world.civic_lead,
        world.civic,
        buyer=world.other,
        title="Open budget site",
        value=Decimal("25000.00"),
        currency="AUD",
        year=2023,
    )
    services.add_past_contract(
        world.civic_lead,
        world.civic,
        buyer_name="Ministry of Elsewhere",
        title="Data audit",
        started_on=date(2026, 2, 1),
        ended_on=date(2026, 5, 31),
    )
    rows = past_work(world.civic_lead, world.civic)
    assert [row.title for row in rows] == ["Data audit", "Signed here", "Open budget site"]
    assert rows[2].buyer_name == "Elsewhere Council"  # named from the directory
    assert rows[1].source == "Made on Civic Bridge"


def test_contracts_made_here_show_to_their_parties_or_when_public(world):
    platform_contract(world, title="Private work")
    platform_contract(world, title="Public work", public=True)
    assert [row.title for row in past_work(world.outsider, world.civic)] == ["Public work"]
    assert len(past_work(world.official, world.civic)) == 2
    assert len(past_work(world.admin, world.civic)) == 2


def test_a_past_contract_needs_a_date_and_a_buyer(world, client_for):
    response = client_for(world.civic_lead).post(
        profile_url(world, "past_contract_create"), {"title": "Something", "value": ""}
    )
    errors = response.context["form"].errors
    assert "buyer_name" in errors and "__all__" in errors
    assert not PastContract.objects.exists()


def test_the_capability_statement_is_a_pdf_with_the_legal_name(world, client_for):
    services.save_supplier_profile(world.civic_lead, world.civic, **PROFILE)
    services.add_offering(
        world.civic_lead,
        world.civic,
        name="Service design sprint",
        kind="service",
        description="Two weeks with your team.",
    )
    platform_contract(world, title="Permit portal")
    response = client_for(world.official).get(profile_url(world, "capability_statement"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Code for Testing Incorporated" in text
    assert "Service design sprint" in text and "Permit portal" in text


def test_the_api_reads_and_writes_the_profile(world, client_for):
    url = f"{V1}/organisations/{world.civic.pk}/supplier-profile"
    assert client_for(world.fellow).get(url).status_code == 404
    assert (
        client_for(world.official).put(url, PROFILE, content_type="application/json").status_code
        == 403
    )
    written = client_for(world.civic_lead).put(url, PROFILE, content_type="application/json")
    assert written.status_code == 200
    platform_contract(world)
    body = client_for(world.fellow).get(url).json()
    assert body["legal_name"] == PROFILE["legal_name"]
    assert body["past_contracts"][0]["value"] == "80000.00"
    assert body["past_contracts"][0]["buyer_id"] == world.institution.pk


def test_a_parent_body_cannot_sit_below_the_organisation(world):
    ministry = OrganisationFactory.create(name="Ministry", kind=OrganisationKind.GOVERNMENT)
    services.update_organisation(world.admin, world.institution, parent=ministry)
    with pytest.raises(ValidationError, match="own parent body"):
        services.update_organisation(world.admin, ministry, parent=world.institution)
    ministry.refresh_from_db()
    assert ministry.parent is None


# Offerings and past contracts through the API


def api(client, method: str, url: str, data: dict | None = None):
    return getattr(client, method)(f"{V1}{url}", data, content_type="application/json")


OFFERING = {
    "name": "Service design sprint",
    "kind": "service",
    "description": "Two weeks with your team.",
    "price_basis": "fixed",
    "price": "18000.00",
    "currency": "aud",
}


def test_the_api_keeps_offerings_for_the_organisations_members(world, client_for):
    url = f"/organisations/{world.civic.pk}/offerings"
    fellow = client_for(world.fellow)
    created = api(fellow, "post", url, OFFERING)
    assert created.status_code == 201, created.json()
    assert (created.json()["price"], created.json()["currency"]) == ("18000.00", "AUD")
    item = f"{url}/{created.json()['id']}"
    changed = api(fellow, "patch", item, {"price": "20000.00"})
    assert changed.status_code == 200
    assert (changed.json()["price"], changed.json()["name"]) == ("20000.00", OFFERING["name"])
    # The model's rule, through the form: a price needs its currency.
    no_currency = api(fellow, "patch", item, {"currency": ""})
    assert no_currency.status_code == 422 and "needs its currency" in no_currency.json()["detail"]
    assert api(fellow, "post", url, {**OFFERING, "kind": "favour"}).status_code == 422
    assert api(fellow, "post", url, {**OFFERING, "price": "-1"}).status_code == 422
    for persona in ("official", "outsider"):
        stranger = client_for(getattr(world, persona))
        assert api(stranger, "post", url, OFFERING).status_code == 403
        assert api(stranger, "patch", item, {"name": "Mine"}).status_code == 403
        assert api(stranger, "delete", item).status_code == 403
    assert api(client_for(None), "post", url, OFFERING).status_code == 401
    elsewhere = f"/organisations/{world.institution.pk}/offerings/{created.json()['id']}"
    assert api(client_for(world.admin), "patch", elsewhere, {"name": "Moved"}).status_code == 404
    offering = Offering.objects.get()
    assert (offering.name, offering.price, offering.currency) == (
        OFFERING["name"],
        Decimal("20000.00"),
        "AUD",
    )
    listed = api(client_for(world.official), "get", url).json()["items"]
    assert [row["id"] for row in listed] == [offering.pk]
    assert api(client_for(world.fellow), "delete", item).status_code == 204
    assert not Offering.objects.exists()


def test_the_api_keeps_past_contracts_for_the_organisations_members(world, client_for):
    url = f"/organisations/{world.civic.pk}/past-contracts"
    lead = client_for(world.civic_lead)
    body = {"buyer": world.institution.pk, "title": "Permit portal", "year": 2023}
    created = api(lead, "post", url, body)
    assert created.status_code == 201, created.json()
    assert created.json()["buyer_name"] == world.institution.name
    item = f"{url}/{created.json()['id']}"
    changed = api(lead, "patch", item, {"value": "12000.00", "currency": "eur"})
    assert changed.status_code == 200
    assert (changed.json()["value"], changed.json()["currency"], changed.json()["year"]) == (
        "12000.00",
        "EUR",
        2023,
    )
    # The model's rules, through the form: a date, and a buyer other than itself.
    undated = api(lead, "post", url, {"buyer_name": "Elsewhere", "title": "A site"})
    assert undated.status_code == 422
    itself = api(lead, "patch", item, {"buyer": world.civic.pk})
    assert itself.status_code == 422 and itself.json()["errors"][0]["field"] == "buyer"
    assert api(lead, "post", url, {**body, "year": 1200}).status_code == 422
    for persona in ("official", "outsider"):
        stranger = client_for(getattr(world, persona))
        assert api(stranger, "post", url, body).status_code == 403
        assert api(stranger, "delete", item).status_code == 403
    lead = client_for(world.civic_lead)
    assert api(lead, "delete", f"{url}/999999").status_code == 404
    contract = PastContract.objects.get()
    assert (contract.buyer, contract.value) == (world.institution, Decimal("12000.00"))
    assert api(client_for(world.fellow), "get", url).json()["items"][0]["id"] == contract.pk
    assert api(client_for(world.civic_lead), "delete", item).status_code == 204
    assert not PastContract.objects.exists()
