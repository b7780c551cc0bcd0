"""Pages run as many queries with thirty rows as with three: no query per row."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.core.choices import Visibility
from civicbridge.partners import services
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Note
from tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)


def count_queries(client, url: str) -> int:
    client.get(url)  # warm the caches that last beyond one request (content types)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def add_organisations(world, how_many: int) -> None:
    """Organisations with a department tree, people, memberships and notes of every kind."""
    for i in range(how_many):
        organisation = OrganisationFactory.create(
            kind=OrganisationKind.GOVERNMENT, country=f"Country {i % 4}"
        )
        top = DepartmentFactory.create(organisation=organisation)
        sub = DepartmentFactory.create(organisation=organisation, parent=top)
        for department in (None, top, sub):
            MembershipFactory.create(
                organisation=organisation, department=department, person=PersonFactory.create()
            )
        for visibility in Visibility.values:
            Note.objects.create(
                subject=organisation,
                owner_organisation=world.civic,
                visibility=visibility,
                body="n",
            )


def add_to_institution(world, how_many: int) -> None:
    """Departments, people and notes the official can see, all on the institution's page."""
    for i in range(how_many):
        parent = DepartmentFactory.create(organisation=world.institution, parent=world.department)
        DepartmentFactory.create(organisation=world.institution, parent=parent)
        person = PersonFactory.create()
        MembershipFactory.create(
            person=person,
            organisation=world.institution,
            department=parent,
            role="officer",
            start_date=date(2020, 1, 1 + i % 28),
        )
        MembershipFactory.create(person=person, organisation=world.institution, role="staff")
        services.add_note(
            world.official,
            world.institution,
            world.institution,
            visibility=Visibility.OWN_SIDE,
            body="o",
        )
        services.add_note(
            world.civic_lead,
            world.institution,
            world.civic,
            visibility=Visibility.BOTH_SIDES,
            body="b",
        )
        services.add_note(
            world.civic_lead, world.institution, world.civic, visibility=Visibility.PUBLIC, body="p"
        )


def test_directory_page_runs_the_same_queries_for_30_organisations_as_for_3(
    world, client_for, django_assert_num_queries
):
    client = client_for(world.civic_lead)
    url = reverse("partners:directory")
    add_organisations(world, 3)
    few = count_queries(client, url)
    add_organisations(world, 27)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25


def test_filtered_directory_page_runs_the_same_queries_for_30_organisations_as_for_3(
    world, client_for, django_assert_num_queries
):
    client = client_for(world.fellow)
    url = reverse("partners:directory") + "?kind=government&q=Organisation"
    add_organisations(world, 3)
    few = count_queries(client, url)
    add_organisations(world, 27)
    with django_assert_num_queries(few):
        client.get(url)


@pytest.mark.parametrize("persona", ["official", "civic_lead", "fellow", "admin"])
def test_organisation_page_runs_the_same_queries_for_30_departments_people_and_notes_as_for_3(
    world, client_for, django_assert_num_queries, persona
):
    client = client_for(getattr(world, persona))
    url = world.institution.get_absolute_url()
    add_to_institution(world, 3)
    few = count_queries(client, url)
    add_to_institution(world, 27)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["official", "civic_lead", "fellow", "admin"])
def test_people_page_runs_the_same_queries_for_30_departments_and_people_as_for_3(
    world, client_for, django_assert_num_queries, persona
):
    client = client_for(getattr(world, persona))
    url = reverse("partners:organisation_people", args=[world.institution.pk])
    add_to_institution(world, 3)
    few = count_queries(client, url)
    add_to_institution(world, 27)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert len(response.context["departments"]) == 1 + 30 * 2
    assert len(response.context["memberships"]) == 2 + 30 * 2


def test_organisation_audit_page_runs_the_same_queries_for_30_changes_as_for_3(
    world, client_for, django_assert_num_queries
):
    client = client_for(world.official)
    url = reverse("partners:organisation_audit", args=[world.institution.pk])
    add_to_institution(world, 3)
    few = count_queries(client, url)
    add_to_institution(world, 27)
    with django_assert_num_queries(few):
        client.get(url)


def test_person_page_runs_the_same_queries_for_30_memberships_as_for_3(
    world, client_for, django_assert_num_queries
):
    client = client_for(world.civic_lead)
    person = world.fellow.person
    url = person.get_absolute_url()

    def add(how_many):
        for _ in range(how_many):
            department = DepartmentFactory.create()
            MembershipFactory.create(
                person=person, organisation=department.organisation, department=department
            )

    add(3)
    few = count_queries(client, url)
    add(27)
    with django_assert_num_queries(few):
        client.get(url)
