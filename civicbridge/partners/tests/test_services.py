"""Services and permissions: who may change what, the rules they keep, notes and the audit log."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from civicbridge.accounts.models import User
from civicbridge.core.choices import Visibility
from civicbridge.core.models import AuditEntry
from civicbridge.partners import permissions, services
from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.partners.models import Department, Membership, Note, Organisation, Person
from tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    UserFactory,
)


def fresh(user):
    """The same account without the organisations it cached: as the next request sees it."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def other_member(world):
    user = UserFactory.create(email="other@example.org", person__name="Oda Other")
    MembershipFactory.create(person=user.person, organisation=world.other, access=Access.MEMBER)
    return user


def membership_of(user, organisation):
    return Membership.objects.get(person=user.person, organisation=organisation)


def civic_person(world):
    """A person without an account who works at the civic organisation now."""
    return MembershipFactory.create(organisation=world.civic).person


# --- Who acts for which organisation -------------------------------------------------------


def test_personas_act_for_the_organisations_their_memberships_name(world):
    assert permissions.acting_organisation_ids(world.civic_lead, Access.ADMIN) == {world.civic.pk}
    assert permissions.acting_organisation_ids(world.official, Access.ADMIN) == {
        world.institution.pk
    }
    assert permissions.acting_organisation_ids(world.fellow, Access.MEMBER) == {world.civic.pk}
    assert permissions.acting_organisation_ids(world.fellow) == {
        world.civic.pk,
        world.institution.pk,
    }
    assert permissions.acting_organisation_ids(world.outsider) == set()


def test_a_second_lower_membership_does_not_take_admin_access_away(world):
    MembershipFactory.create(
        person=world.civic_lead.person,
        organisation=world.civic,
        access=Access.VIEWER,
        role="reader",
    )
    lead = fresh(world.civic_lead)
    assert permissions.acting_organisation_ids(lead, Access.ADMIN) == {world.civic.pk}
    assert permissions.can_read_audit(lead, world.civic)[0]


def test_an_ended_membership_gives_no_access(world):
    membership = membership_of(world.fellow, world.civic)
    Membership.objects.filter(pk=membership.pk).update(
        start_date=date(2020, 1, 1), end_date=timezone.localdate() - timedelta(days=1)
    )
    assert permissions.acting_organisation_ids(fresh(world.fellow), Access.MEMBER) == set()


# --- Access that only an admin may give ---------------------------------------------------


def test_member_cannot_give_admin_access_to_a_new_membership(world):
    person = civic_person(world)
    with pytest.raises(ValidationError) as error:
        services.create_membership(world.fellow, world.civic, person=person, access=Access.ADMIN)
    assert "access" in error.value.message_dict
    assert Membership.objects.filter(person=person).count() == 1


def test_member_cannot_raise_a_membership_to_admin(world):
    membership = membership_of(world.fellow, world.civic)
    with pytest.raises(ValidationError):
        services.update_membership(world.fellow, membership, access=Access.ADMIN)
    membership.refresh_from_db()
    assert membership.access == Access.MEMBER


def test_member_cannot_raise_to_admin_a_membership_a_form_already_changed(world):
    """A ModelForm writes the posted values onto the instance before the service runs."""
    membership = membership_of(world.fellow, world.civic)
    membership.access = Access.ADMIN  # what MembershipForm.is_valid() does to the instance
    with pytest.raises(ValidationError):
        services.update_membership(world.fellow, membership, access=Access.ADMIN)
    assert membership_of(world.fellow, world.civic).access == Access.MEMBER


def test_member_cannot_take_admin_access_away(world):
    membership = membership_of(world.civic_lead, world.civic)
    with pytest.raises(PermissionDenied):
        services.update_membership(world.fellow, membership, access=Access.MEMBER)
    assert membership_of(world.civic_lead, world.civic).access == Access.ADMIN


def test_member_cannot_remove_an_admins_membership(world):
    membership = membership_of(world.civic_lead, world.civic)
    with pytest.raises(PermissionDenied):
        services.delete_membership(world.fellow, membership)
    assert membership_of(world.civic_lead, world.civic).access == Access.ADMIN


def test_member_cannot_end_an_admins_membership(world):
    membership = membership_of(world.civic_lead, world.civic)
    with pytest.raises(PermissionDenied):
        services.update_membership(world.fellow, membership, end_date=date(2020, 1, 1))
    assert membership_of(world.civic_lead, world.civic).end_date is None


def test_member_cannot_add_a_person_with_an_account_to_their_organisation(world):
    with pytest.raises(PermissionDenied):
        services.create_membership(
            world.official, world.institution, person=world.civic_lead.person
        )
    assert not Membership.objects.filter(
        person=world.civic_lead.person, organisation=world.institution
    ).exists()


def test_only_the_person_with_an_account_changes_their_record(world):
    with pytest.raises(PermissionDenied):
        services.update_person(world.fellow, world.civic_lead.person, name="Hijacked")
    services.update_person(world.civic_lead, world.civic_lead.person, name="Alex L.")
    world.civic_lead.person.refresh_from_db()
    assert world.civic_lead.person.name == "Alex L."


def test_members_of_a_past_organisation_cannot_change_a_person(world):
    person = MembershipFactory.create(organisation=world.civic, end_date=date(2020, 1, 1)).person
    with pytest.raises(PermissionDenied):
        services.update_person(world.fellow, person, name="Changed")


def test_admin_can_give_admin_access(world):
    membership = membership_of(world.fellow, world.civic)
    services.update_membership(world.civic_lead, membership, access=Access.ADMIN)
    assert membership_of(world.fellow, world.civic).access == Access.ADMIN


def test_member_can_give_member_access(world):
    person = civic_person(world)
    services.create_membership(world.fellow, world.civic, person=person, access=Access.MEMBER)
    assert Membership.objects.filter(person=person).latest("id").access == Access.MEMBER


def test_viewer_cannot_add_memberships(world):
    with pytest.raises(PermissionDenied):
        services.create_membership(world.fellow, world.institution, person=civic_person(world))


# --- Organisations -------------------------------------------------------------------------


def test_outsider_cannot_create_organisations(world):
    count = Organisation.objects.count()
    with pytest.raises(PermissionDenied):
        services.create_organisation(
            world.outsider, name="Outsider Org", kind=OrganisationKind.CIVIC
        )
    assert Organisation.objects.count() == count


def test_member_can_create_organisations(world):
    organisation = services.create_organisation(
        world.fellow, name="New Partner", kind=OrganisationKind.COMPANY
    )
    assert Organisation.objects.get(pk=organisation.pk).name == "New Partner"


def test_official_cannot_edit_the_civic_organisation(world):
    with pytest.raises(PermissionDenied):
        services.update_organisation(world.official, world.civic, name="Taken over")
    assert Organisation.objects.get(pk=world.civic.pk).name == "Code for Testing"


def test_viewer_cannot_edit_the_institution(world):
    with pytest.raises(PermissionDenied):
        services.update_organisation(world.fellow, world.institution, name="Renamed")
    assert Organisation.objects.get(pk=world.institution.pk).name == "Testshire Council"


def test_invalid_organisation_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.create_organisation(world.admin, name="", kind="spaceship", website="not a url")
    assert {"name", "kind", "website"} <= set(error.value.message_dict)


# --- Departments ---------------------------------------------------------------------------


def test_department_cannot_be_made_part_of_itself(world):
    with pytest.raises(ValidationError, match="part of itself"):
        services.update_department(world.official, world.department, parent=world.department)
    assert Department.objects.get(pk=world.department.pk).parent is None


def test_department_cannot_be_made_part_of_its_own_sub_department(world):
    child = services.create_department(
        world.official, world.institution, name="Child", parent=world.department
    )
    grandchild = services.create_department(
        world.official, world.institution, name="Grandchild", parent=child
    )
    with pytest.raises(ValidationError, match="part of itself"):
        services.update_department(world.official, world.department, parent=grandchild)
    assert Department.objects.get(pk=world.department.pk).parent is None


def test_department_can_be_moved_under_a_sibling(world):
    sibling = services.create_department(world.official, world.institution, name="Sibling")
    services.update_department(world.official, world.department, parent=sibling)
    assert Department.objects.get(pk=world.department.pk).parent == sibling


def test_new_department_cannot_be_part_of_a_department_in_another_organisation(world):
    elsewhere = DepartmentFactory.create(organisation=world.other)
    with pytest.raises(ValidationError, match="same organisation"):
        services.create_department(
            world.official, world.institution, name="Stray", parent=elsewhere
        )
    assert not Department.objects.filter(name="Stray").exists()


def test_department_cannot_be_moved_under_a_department_in_another_organisation(world):
    elsewhere = DepartmentFactory.create(organisation=world.other)
    with pytest.raises(ValidationError, match="same organisation"):
        services.update_department(world.official, world.department, parent=elsewhere)
    assert Department.objects.get(pk=world.department.pk).parent is None


def test_civic_member_cannot_add_departments_to_the_institution(world):
    with pytest.raises(PermissionDenied):
        services.create_department(world.fellow, world.institution, name="Shadow Office")


# --- Memberships ---------------------------------------------------------------------------


def test_membership_ending_before_it_starts_is_refused(world):
    person = civic_person(world)
    with pytest.raises(ValidationError):
        services.create_membership(
            world.civic_lead,
            world.civic,
            person=person,
            start_date=date(2024, 6, 1),
            end_date=date(2024, 5, 31),
        )
    assert Membership.objects.filter(person=person).count() == 1


def test_membership_changed_to_end_before_it_starts_is_refused(world):
    membership = membership_of(world.fellow, world.civic)
    services.update_membership(world.civic_lead, membership, start_date=date(2024, 6, 1))
    with pytest.raises(ValidationError):
        services.update_membership(world.civic_lead, membership, end_date=date(2024, 1, 1))
    assert membership_of(world.fellow, world.civic).end_date is None


def test_membership_may_end_on_the_day_it_starts(world):
    membership = membership_of(world.fellow, world.civic)
    day = date(2024, 6, 1)
    services.update_membership(world.civic_lead, membership, start_date=day, end_date=day)
    assert membership_of(world.fellow, world.civic).end_date == day


def test_membership_department_must_belong_to_its_organisation(world):
    person = civic_person(world)
    with pytest.raises(ValidationError) as error:
        services.create_membership(
            world.civic_lead, world.civic, person=person, department=world.department
        )
    assert "department" in error.value.message_dict
    assert Membership.objects.filter(person=person).count() == 1


# --- Notes ----------------------------------------------------------------------------------


@pytest.fixture
def notes(world):
    """Three notes the civic side keeps about the institution, one of each visibility."""
    lead, civic, institution = world.civic_lead, world.civic, world.institution
    return {
        "own": services.add_note(
            lead, institution, civic, visibility=Visibility.OWN_SIDE, body="own"
        ),
        "both": services.add_note(
            lead, institution, civic, visibility=Visibility.BOTH_SIDES, body="both"
        ),
        "public": services.add_note(
            lead, institution, civic, visibility=Visibility.PUBLIC, body="public"
        ),
    }


def visible(user, organisation) -> set[str]:
    return {note.body for note in permissions.visible_notes(user, organisation)}


def test_own_side_note_of_the_civic_side_is_invisible_to_the_institution(world, notes):
    assert visible(world.official, world.institution) == {"both", "public"}


def test_the_writing_side_sees_all_its_notes(world, notes):
    assert visible(world.civic_lead, world.institution) == {"own", "both", "public"}
    assert visible(world.fellow, world.institution) == {"own", "both", "public"}


def test_both_sides_note_is_invisible_to_a_third_organisation(world, notes, other_member):
    assert visible(other_member, world.institution) == {"public"}


def test_public_note_is_visible_to_everyone_signed_in(world, notes, other_member):
    for user in (world.outsider, other_member, world.official, world.civic_lead, world.admin):
        assert "public" in visible(user, world.institution)


def test_both_sides_note_is_shown_only_to_the_organisation_it_is_about(world, notes):
    """The official sees it about the institution; the note is not about world.other."""
    services.add_note(
        world.civic_lead,
        world.other,
        world.civic,
        visibility=Visibility.BOTH_SIDES,
        body="about other",
    )
    assert visible(world.official, world.other) == set()


def test_own_side_note_is_not_on_the_institutions_page_for_its_official(world, notes, client_for):
    response = client_for(world.official).get(world.institution.get_absolute_url())
    bodies = [note.body for note in response.context["notes"]]
    assert sorted(bodies) == ["both", "public"]


def test_institution_cannot_open_the_civic_sides_own_note(world, notes, client_for):
    url = reverse("partners:note_delete", args=[notes["own"].pk])
    assert client_for(world.official).post(url).status_code == 404
    assert Note.objects.filter(pk=notes["own"].pk).exists()


def test_only_the_writing_side_can_delete_a_note(world, notes):
    with pytest.raises(PermissionDenied):
        services.delete_note(world.official, notes["both"])
    assert Note.objects.filter(pk=notes["both"].pk).exists()
    services.delete_note(world.fellow, notes["both"])  # a member of the writing side
    assert not Note.objects.filter(pk=notes["both"].pk).exists()


def test_institution_cannot_delete_the_civic_sides_shared_note_through_the_page(
    world, notes, client_for
):
    url = reverse("partners:note_delete", args=[notes["both"].pk])
    assert client_for(world.official).post(url).status_code == 403
    assert Note.objects.filter(pk=notes["both"].pk).exists()


def test_note_cannot_be_written_for_a_side_one_only_views(world):
    with pytest.raises(ValidationError):
        services.add_note(
            world.fellow, world.civic, world.institution, visibility=Visibility.PUBLIC, body="x"
        )
    assert not Note.objects.exists()


def test_outsider_cannot_write_notes(world):
    with pytest.raises(PermissionDenied):
        services.add_note(world.outsider, world.civic, world.civic, body="x")
    assert not Note.objects.exists()


# --- The audit log -------------------------------------------------------------------------


def entry_for(obj, action: str) -> AuditEntry:
    return AuditEntry.objects.get(
        content_type__model=obj._meta.model_name, object_id=str(obj.pk), action=action
    )


def assert_audited(obj, action: str, actor, changes: dict, organisation=None, *, exact=False):
    entry = entry_for(obj, action)
    assert entry.actor == actor
    assert timezone.now() - entry.at < timedelta(minutes=1)
    for name, values in changes.items():
        assert entry.changes[name] == values
    if exact:
        assert entry.changes == changes
    if organisation is not None:
        assert entry.organisation == organisation
    return entry


def test_created_organisation_is_audited(world):
    organisation = services.create_organisation(
        world.civic_lead, name="Audited Org", kind=OrganisationKind.FUNDER, city="Hobart"
    )
    assert_audited(
        organisation,
        "create",
        world.civic_lead,
        {"name": [None, "Audited Org"], "kind": [None, "funder"], "city": [None, "Hobart"]},
        organisation,
    )


def test_updated_organisation_is_audited_with_only_the_changed_fields(world):
    services.update_organisation(
        world.civic_lead, world.civic, name="Code for Tests", city="Hobart"
    )
    assert_audited(
        world.civic,
        "update",
        world.civic_lead,
        {"name": ["Code for Testing", "Code for Tests"], "city": ["", "Hobart"]},
        world.civic,
        exact=True,
    )


def test_update_of_an_instance_a_form_already_changed_is_audited(world):
    """A ModelForm writes the posted values onto the instance before the service runs."""
    organisation = Organisation.objects.get(pk=world.civic.pk)
    organisation.name = "Changed by the form"  # what OrganisationForm.is_valid() does
    services.update_organisation(world.civic_lead, organisation, name="Changed by the form")
    assert_audited(
        organisation,
        "update",
        world.civic_lead,
        {"name": ["Code for Testing", "Changed by the form"]},
        exact=True,
    )


def test_update_that_changes_nothing_writes_no_entry(world):
    services.update_organisation(world.civic_lead, world.civic, name="Code for Testing")
    assert not AuditEntry.objects.filter(action="update").exists()


def test_created_and_updated_department_is_audited(world):
    department = services.create_department(
        world.official, world.institution, name="Open Data", parent=world.department
    )
    assert_audited(
        department,
        "create",
        world.official,
        {"name": [None, "Open Data"], "parent_id": [None, world.department.pk]},
        world.institution,
    )
    services.update_department(world.official, department, name="Open Data Team", parent=None)
    assert_audited(
        department,
        "update",
        world.official,
        {"name": ["Open Data", "Open Data Team"], "parent_id": [world.department.pk, None]},
        world.institution,
        exact=True,
    )


def test_created_person_and_first_membership_are_audited(world):
    person = services.create_person(
        world.civic_lead,
        world.civic,
        {"name": "New Volunteer"},
        role="volunteer",
        start_date=date(2025, 3, 1),
    )
    assert_audited(person, "create", world.civic_lead, {"name": [None, "New Volunteer"]})
    membership = Membership.objects.get(person=person)
    assert_audited(
        membership,
        "create",
        world.civic_lead,
        {
            "role": [None, "volunteer"],
            "start_date": [None, "2025-03-01"],
            "person_id": [None, person.pk],
        },
        world.civic,
    )


def test_person_creation_is_undone_when_its_membership_is_refused(world):
    count = Person.objects.count()
    with pytest.raises(ValidationError):
        services.create_person(
            world.fellow, world.civic, {"name": "Would-be Admin"}, access=Access.ADMIN
        )
    assert Person.objects.count() == count
    assert not AuditEntry.objects.exists()


def test_updated_person_is_audited(world):
    person = world.fellow.person
    services.update_person(world.fellow, person, email="jo@example.org")
    assert_audited(person, "update", world.fellow, {"email": ["", "jo@example.org"]}, exact=True)


def test_updated_and_deleted_membership_is_audited(world):
    membership = membership_of(world.fellow, world.civic)
    services.update_membership(
        world.civic_lead, membership, role="mentor", end_date=date(2030, 1, 1)
    )
    assert_audited(
        membership,
        "update",
        world.civic_lead,
        {"role": ["member", "mentor"], "end_date": [None, "2030-01-01"]},
        world.civic,
        exact=True,
    )
    pk = membership.pk
    services.delete_membership(world.civic_lead, membership)
    entry = AuditEntry.objects.get(action="delete", object_id=str(pk))
    assert entry.actor == world.civic_lead
    assert entry.changes["role"] == ["mentor", None]
    assert entry.organisation == world.civic


def test_added_and_deleted_note_is_audited_for_the_writing_side(world):
    note = services.add_note(
        world.civic_lead,
        world.institution,
        world.civic,
        visibility=Visibility.BOTH_SIDES,
        body="hi",
    )
    assert_audited(note, "create", world.civic_lead, {"body": [None, "hi"]}, world.civic)
    pk = note.pk
    services.delete_note(world.fellow, note)
    entry = AuditEntry.objects.get(action="delete", object_id=str(pk))
    assert (entry.actor, entry.organisation, entry.changes["body"]) == (
        world.fellow,
        world.civic,
        ["hi", None],
    )


def test_refused_write_leaves_no_audit_entry(world):
    with pytest.raises(PermissionDenied):
        services.update_organisation(world.official, world.civic, name="Taken over")
    with pytest.raises(ValidationError):
        services.update_department(world.official, world.department, parent=world.department)
    assert not AuditEntry.objects.exists()


def test_organisation_audit_page_is_readable_by_its_admin(world, client_for):
    services.update_organisation(world.civic_lead, world.civic, name="Code for Audits")
    services.update_organisation(world.official, world.institution, name="Elsewhere Renamed")
    response = client_for(world.civic_lead).get(
        reverse("partners:organisation_audit", args=[world.civic.pk])
    )
    assert response.status_code == 200
    entries = list(response.context["page"].object_list)
    assert [(e.action, e.object_repr) for e in entries] == [("update", "Code for Audits")]
    assert "Code for Testing" in response.content.decode()


def test_organisation_audit_page_shows_changes_to_its_people(world, client_for):
    services.update_person(world.fellow, world.fellow.person, summary="Data fellow")
    response = client_for(world.civic_lead).get(
        reverse("partners:organisation_audit", args=[world.civic.pk])
    )
    assert [e.object_repr for e in response.context["page"].object_list] == ["Jo Fellow"]


@pytest.mark.parametrize("persona", ["fellow", "official", "outsider"])
def test_organisation_audit_page_is_refused_to_others(world, client_for, persona):
    response = client_for(getattr(world, persona)).get(
        reverse("partners:organisation_audit", args=[world.civic.pk])
    )
    assert response.status_code == 403


def test_organisation_audit_page_is_readable_by_a_platform_admin(world, client_for):
    url = reverse("partners:organisation_audit", args=[world.civic.pk])
    assert client_for(world.admin).get(url).status_code == 200
