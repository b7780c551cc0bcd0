"""The stakeholder map (F7): both sides by department and role, and its warnings."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.collaborations.choices import StakeholderRole
from civicbridge.collaborations.models import Activity, Stakeholder
from civicbridge.collaborations.services.people import add_stakeholder, remove_stakeholder
from civicbridge.core.models import AuditEntry
from civicbridge.partners.choices import Access
from tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

NOBODY = "Nobody from the institution is named"
ONE_PERSON = "side rests on one person"
ONE_DEPARTMENT = "in one department"
MITIGATION = "Build relationships with several people"


def official_of(world, name, department=None):
    person = PersonFactory.create(name=name)
    MembershipFactory.create(person=person, organisation=world.institution, department=department)
    return person


def people_page(client_for, user, collaboration):
    return client_for(user).get(reverse("collaborations:people", args=[collaboration.pk]))


def test_warnings_for_one_person_then_one_department_come_and_go(world, fellowship, client_for):
    page = people_page(client_for, world.official, fellowship).content.decode()
    assert NOBODY in page and "usa-alert--warning" in page
    assert MITIGATION in page  # the playbook's mitigation for several_relationships

    add_stakeholder(
        world.official, fellowship, person=world.official.person, role=StakeholderRole.SUPERVISOR
    )
    page = people_page(client_for, world.official, fellowship).content.decode()
    assert ONE_PERSON in page

    add_stakeholder(
        world.official,
        fellowship,
        person=official_of(world, "Dee Same", world.department),
        role=StakeholderRole.TECHNICAL_CONTACT,
    )
    page = people_page(client_for, world.official, fellowship).content.decode()
    assert ONE_PERSON not in page and ONE_DEPARTMENT in page and MITIGATION in page

    finance = DepartmentFactory.create(organisation=world.institution, name="Finance")
    add_stakeholder(
        world.official,
        fellowship,
        person=official_of(world, "Fin Other", finance),
        role=StakeholderRole.CHAMPION,
    )
    page = people_page(client_for, world.official, fellowship).content.decode()
    assert "usa-alert--warning" not in page and MITIGATION not in page


def test_civic_side_people_do_not_count_for_the_institution(world, fellowship):
    add_stakeholder(
        world.civic_lead,
        fellowship,
        person=world.civic_lead.person,
        role=StakeholderRole.PROGRAMME_LEAD,
    )
    add_stakeholder(
        world.civic_lead,
        fellowship,
        person=world.fellow.person,
        role=StakeholderRole.FELLOW,
        organisation=world.civic,
    )
    from civicbridge.collaborations.checks import institution_side_warning

    assert NOBODY in institution_side_warning(fellowship)


def test_person_not_a_member_of_either_party_is_refused(world, fellowship):
    with pytest.raises(ValidationError) as refused:
        add_stakeholder(
            world.civic_lead,
            fellowship,
            person=world.outsider.person,
            role=StakeholderRole.CHAMPION,
        )
    assert "not a current member" in str(refused.value.message_dict["person"])
    assert not Stakeholder.objects.exists()


def test_person_must_be_a_member_of_the_chosen_side(world, fellowship):
    with pytest.raises(ValidationError) as refused:
        add_stakeholder(
            world.civic_lead,
            fellowship,
            person=world.official.person,
            role=StakeholderRole.CHAMPION,
            organisation=world.civic,
        )
    assert "not a current member of Code for Testing" in str(refused.value.message_dict["person"])


def test_a_former_member_is_refused(world, fellowship):
    from datetime import date

    person = PersonFactory.create(name="Gone Away")
    MembershipFactory.create(
        person=person,
        organisation=world.institution,
        start_date=date(2020, 1, 1),
        end_date=date(2021, 1, 1),
    )
    with pytest.raises(ValidationError, match="not a current member"):
        add_stakeholder(world.official, fellowship, person=person, role=StakeholderRole.CHAMPION)


def test_someone_on_both_sides_must_say_which(world, fellowship):
    with pytest.raises(ValidationError) as refused:
        add_stakeholder(
            world.civic_lead, fellowship, person=world.fellow.person, role=StakeholderRole.FELLOW
        )
    assert "both sides" in str(refused.value.message_dict["organisation"])
    stakeholder = add_stakeholder(
        world.civic_lead,
        fellowship,
        person=world.fellow.person,
        role=StakeholderRole.FELLOW,
        organisation=world.institution,
    )
    assert stakeholder.organisation == world.institution
    # No department given: the one of their membership of that side.
    assert stakeholder.department == world.department


def test_department_must_belong_to_the_persons_side(world, fellowship):
    elsewhere = DepartmentFactory.create(organisation=world.other, name="Roads")
    with pytest.raises(ValidationError) as refused:
        add_stakeholder(
            world.official,
            fellowship,
            person=world.official.person,
            role=StakeholderRole.SUPERVISOR,
            department=elsewhere,
        )
    assert "Roads is not a department of Testshire Council" in str(
        refused.value.message_dict["department"]
    )


def test_same_person_in_the_same_role_once(world, fellowship):
    add_stakeholder(
        world.official, fellowship, person=world.official.person, role=StakeholderRole.SUPERVISOR
    )
    with pytest.raises(ValidationError, match="already has this role"):
        add_stakeholder(
            world.official,
            fellowship,
            person=world.official.person,
            role=StakeholderRole.SUPERVISOR,
        )
    add_stakeholder(
        world.official, fellowship, person=world.official.person, role=StakeholderRole.SUCCESSOR
    )
    assert fellowship.stakeholders.count() == 2


def test_only_members_of_a_party_change_the_map(world, fellowship):
    viewer = UserFactory.create(person__name="Vi Ewer")
    MembershipFactory.create(
        person=viewer.person, organisation=world.institution, access=Access.VIEWER
    )
    for user in (world.outsider, world.admin, viewer):
        with pytest.raises(PermissionDenied):
            add_stakeholder(
                user, fellowship, person=world.official.person, role=StakeholderRole.SUPERVISOR
            )
    stakeholder = add_stakeholder(
        world.official, fellowship, person=world.official.person, role=StakeholderRole.SUPERVISOR
    )
    with pytest.raises(PermissionDenied):
        remove_stakeholder(viewer, stakeholder)


def test_add_and_remove_are_audited_and_in_the_feed(world, fellowship):
    stakeholder = add_stakeholder(
        world.fellow, fellowship, person=world.official.person, role=StakeholderRole.SUPERVISOR
    )
    added = Activity.objects.get(collaboration=fellowship)
    # The fellow writes for the civic side: a member there, only a viewer of the institution.
    assert added.owner_organisation == world.civic and added.visibility == "both"
    assert "Sam Official" in added.message and "supervisor" in added.message
    remove_stakeholder(world.official, stakeholder)
    assert not Stakeholder.objects.exists()
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "organisation_id"))
    assert actions[-2:] == [("create", world.institution.pk), ("delete", world.institution.pk)]
    assert Activity.objects.filter(collaboration=fellowship, message__contains="removed").exists()


@pytest.mark.parametrize(
    ("persona", "page", "create", "delete"),
    [
        ("civic_lead", 200, 200, 200),
        ("official", 200, 200, 200),
        ("fellow", 200, 200, 200),
        ("outsider", 404, 404, 404),
        ("admin", 200, 403, 403),
        ("anonymous", 302, 302, 302),
    ],
)
def test_who_may_see_and_change_the_map(
    world, fellowship, client_for, persona, page, create, delete
):
    stakeholder = add_stakeholder(
        world.official, fellowship, person=world.official.person, role=StakeholderRole.SUPERVISOR
    )
    client = client_for(getattr(world, persona))
    urls = (
        reverse("collaborations:people", args=[fellowship.pk]),
        reverse("collaborations:stakeholder_create", args=[fellowship.pk]),
        reverse("collaborations:stakeholder_delete", args=[fellowship.pk, stakeholder.pk]),
    )
    assert [client.get(url).status_code for url in urls] == [page, create, delete]


def test_a_viewer_reads_the_map_but_cannot_change_it(world, fellowship, client_for):
    viewer = UserFactory.create(person__name="Vi Ewer")
    MembershipFactory.create(
        person=viewer.person, organisation=world.institution, access=Access.VIEWER
    )
    stakeholder = add_stakeholder(
        world.official, fellowship, person=world.official.person, role=StakeholderRole.SUPERVISOR
    )
    client = client_for(viewer)
    page = client.get(reverse("collaborations:people", args=[fellowship.pk])).content.decode()
    assert "Sam Official" in page and "Add a person" not in page and "Remove" not in page
    url = reverse("collaborations:stakeholder_delete", args=[fellowship.pk, stakeholder.pk])
    assert client.post(url).status_code == 403
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()


def test_stakeholder_of_another_collaboration_is_404(world, fellowship, client_for):
    from tests.factories import CollaborationFactory

    other = CollaborationFactory.create(civic_organisation=world.civic, institution=world.other)
    person = PersonFactory.create(name="Other Official")
    MembershipFactory.create(person=person, organisation=world.other)
    stakeholder = add_stakeholder(
        world.civic_lead, other, person=person, role=StakeholderRole.SUPERVISOR
    )
    url = reverse("collaborations:stakeholder_delete", args=[fellowship.pk, stakeholder.pk])
    assert client_for(world.official).post(url).status_code == 404


def test_page_shows_both_sides_by_department_with_links(world, fellowship, client_for):
    add_stakeholder(
        world.official, fellowship, person=world.official.person, role=StakeholderRole.SUPERVISOR
    )
    add_stakeholder(
        world.civic_lead,
        fellowship,
        person=world.civic_lead.person,
        role=StakeholderRole.PROGRAMME_LEAD,
    )
    page = people_page(client_for, world.civic_lead, fellowship).content.decode()
    assert "People of Code for Testing" in page and "People of Testshire Council" in page
    assert "Digital Services" in page and "No department named" in page
    assert reverse("partners:person", args=[world.official.person.pk]) in page
    assert page.index("People of Code for Testing") < page.index("Alex Lead")
    assert page.index("Alex Lead") < page.index("People of Testshire Council")


def test_empty_map_says_what_it_is_for(world, fellowship, client_for):
    page = people_page(client_for, world.civic_lead, fellowship).content.decode()
    assert "Nobody from Code for Testing is on the map yet" in page
    assert "Nobody from Testshire Council is on the map yet" in page


def test_add_through_the_form(world, fellowship, client_for):
    client = client_for(world.civic_lead)
    url = reverse("collaborations:stakeholder_create", args=[fellowship.pk])
    form = client.get(url).content.decode()
    assert "Jo Fellow — Code for Testing, Testshire Council" in form
    assert "Testshire Council — Digital Services" in form
    refused = client.post(url, {"person": world.fellow.person.pk, "role": "fellow"})
    assert refused.status_code == 200 and "belongs to both sides" in refused.content.decode()
    response = client.post(
        url, {"person": world.official.person.pk, "role": "supervisor", "organisation": ""}
    )
    assert response.status_code == 302
    assert fellowship.stakeholders.get().organisation == world.institution


def test_remove_asks_first(world, fellowship, client_for):
    stakeholder = add_stakeholder(
        world.official, fellowship, person=world.official.person, role=StakeholderRole.SUPERVISOR
    )
    client = client_for(world.civic_lead)
    url = reverse("collaborations:stakeholder_delete", args=[fellowship.pk, stakeholder.pk])
    assert "Remove this person from the map?" in client.get(url).content.decode()
    assert Stakeholder.objects.exists()
    assert client.post(url).status_code == 302
    assert not Stakeholder.objects.exists()


def _people_queries(client, collaboration) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("collaborations:people", args=[collaboration.pk]))
    assert response.status_code == 200
    return len(queries)


def _add_people(world, collaboration, count):
    for i in range(count):
        department = DepartmentFactory.create(organisation=world.institution)
        add_stakeholder(
            world.official,
            collaboration,
            person=official_of(world, f"Official {i}", department),
            role=StakeholderRole.CHAMPION,
        )
        civic = PersonFactory.create()
        MembershipFactory.create(person=civic, organisation=world.civic)
        add_stakeholder(world.civic_lead, collaboration, person=civic, role=StakeholderRole.OTHER)


def test_people_page_queries_do_not_grow_with_the_map(world, fellowship, client_for):
    client = client_for(world.official)
    _add_people(world, fellowship, 1)
    one = _people_queries(client, fellowship)
    _add_people(world, fellowship, 9)
    assert _people_queries(client, fellowship) <= one
