"""An organisation's pages share one sub-navigation (overview, people, collaborations, money,
supplier profile, conflicts of interest, audit), and only an organisation that may supply an
institution has a supplier profile."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civicbridge.partners import services
from civicbridge.partners.choices import OrganisationKind

PROFILE = {
    "legal_name": "Testshire Council",
    "registration_country": "Australia",
    "capabilities": "Everything a council does.",
}


def _sections(html: str) -> list[tuple[str, bool]]:
    """The sub-navigation's entries: (label, current)."""
    found = re.search(
        r'<nav class="cb-tabs[^"]*" aria-label="Sections of [^"]+">(.*?)</nav>', html, re.S
    )
    assert found, "no sub-navigation on the page"
    return [
        (label, bool(current))
        for current, label in re.findall(
            r'<a href="[^"]+"( aria-current="page")?>([^<]+)</a>', found.group(1)
        )
    ]


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("kind", [OrganisationKind.CIVIC, OrganisationKind.COMPANY])
def test_an_organisation_that_supplies_has_a_supplier_profile(world, kind):
    world.civic.kind = kind
    assert world.civic.supplies


def test_a_government_body_buys_and_keeps_no_supplier_profile(world):
    assert not world.institution.supplies
    with pytest.raises(ValidationError):
        services.save_supplier_profile(world.admin, world.institution, **PROFILE)
    with pytest.raises(ValidationError):
        services.add_offering(
            world.admin, world.institution, name="Parking", kind="service", description="."
        )


def test_a_councils_supplier_profile_is_not_found(world, client_for):
    client = client_for(world.official)
    for name in ("supplier_profile", "supplier_profile_edit", "capability_statement"):
        url = reverse(f"partners:{name}", args=[world.institution.pk])
        assert client.get(url).status_code == 404, name
    api = client.get(f"/api/v1/organisations/{world.institution.pk}/supplier-profile")
    assert api.status_code == 404


def test_a_council_is_offered_no_supplier_profile(world, client_for):
    html = _page(client_for(world.official), world.institution.get_absolute_url())
    labels = [label for label, _current in _sections(html)]
    assert labels == [
        "Overview",
        "People",
        "Collaborations",
        "Money",
        "Conflicts of interest",
        "Audit log",
    ]
    assert "Supplier profile" not in html


def test_a_civic_organisations_members_see_every_section(world, client_for):
    html = _page(client_for(world.civic_lead), world.civic.get_absolute_url())
    assert _sections(html) == [
        ("Overview", True),
        ("People", False),
        ("Collaborations", False),
        ("Money", False),
        ("Supplier profile", False),
        ("Conflicts of interest", False),
        ("Audit log", False),
    ]


def test_an_outsider_sees_no_money_or_audit_of_a_civic_organisation(world, client_for):
    html = _page(client_for(world.outsider), world.civic.get_absolute_url())
    assert [label for label, _ in _sections(html)] == [
        "Overview",
        "People",
        "Collaborations",
        "Supplier profile",
        "Conflicts of interest",
    ]


@pytest.mark.parametrize(
    ("url_name", "current"),
    [
        ("partners:organisation_people", "People"),
        ("collaborations:organisation_history", "Collaborations"),
        ("procurement:money_owed", "Money"),
        ("procurement:cash_flow", "Money"),
        ("partners:supplier_profile", "Supplier profile"),
        ("procurement:conflicts", "Conflicts of interest"),
        ("partners:organisation_audit", "Audit log"),
    ],
)
def test_each_section_marks_itself_current(world, client_for, url_name, current):
    html = _page(client_for(world.civic_lead), reverse(url_name, args=[world.civic.pk]))
    assert [label for label, is_current in _sections(html) if is_current] == [current]


def test_the_people_page_lists_departments_and_people_with_their_actions(world, client_for):
    html = _page(
        client_for(world.official),
        reverse("partners:organisation_people", args=[world.institution.pk]),
    )
    assert world.department.name in html
    assert world.official.person.name in html
    assert "Add a person" in html and "Add a department" in html
    overview = _page(client_for(world.official), world.institution.get_absolute_url())
    assert "Add a person" not in overview
