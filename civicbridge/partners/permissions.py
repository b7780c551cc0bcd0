"""Who may see and change organisations, departments, people and memberships.

A user acts for an organisation through a current membership of the user's person with
account access (viewer, member or admin). Platform admins (staff) may do everything.
Every view fetches these objects through the `get_*_for` helpers below.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from civicbridge.core.permissions import Decision, require

from .choices import ACCESS_RANK, Access
from .models import (
    Department,
    ImportRun,
    Membership,
    Note,
    Offering,
    Organisation,
    PastContract,
    Person,
)


def acting_organisation_ids(user, minimum: str = Access.VIEWER) -> set[int]:
    """Return the ids of organisations `user` acts for with at least `minimum` access."""
    if not user.is_authenticated or user.person_id is None:
        return set()
    # getattr, not __dict__: request.user is a lazy object that passes attributes through.
    cache = getattr(user, "_acting_organisations", None)
    if cache is None:
        cache = {}
        rows = (
            Membership.objects.current()
            .filter(person_id=user.person_id)
            .exclude(access=Access.NONE)
            .values_list("organisation_id", "access")
        )
        # A person may hold several memberships of one organisation: the highest access counts.
        for org, access in rows:
            if org not in cache or ACCESS_RANK[Access(access)] > ACCESS_RANK[Access(cache[org])]:
                cache[org] = access
        user._acting_organisations = cache
    floor = ACCESS_RANK[Access(minimum)]
    return {org for org, access in cache.items() if ACCESS_RANK[Access(access)] >= floor}


def is_platform_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def can_view_directory(user) -> Decision:
    if user.is_authenticated:
        return True, ""
    return False, _("Sign in to see organisations and people.")


def can_create_organisation(user) -> Decision:
    if is_platform_admin(user) or acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only members of an organisation on Civic Bridge can add organisations.")


def can_edit_organisation(user, organisation: Organisation) -> Decision:
    if is_platform_admin(user) or organisation.pk in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only members of %(name)s can change its records.") % {
        "name": organisation.name
    }


def can_manage_admins(user, organisation: Organisation) -> Decision:
    if is_platform_admin(user) or organisation.pk in acting_organisation_ids(user, Access.ADMIN):
        return True, ""
    return False, _("Only an admin of %(name)s can give, change or remove admin access.") % {
        "name": organisation.name
    }


def can_read_audit(user, organisation: Organisation) -> Decision:
    if is_platform_admin(user) or organisation.pk in acting_organisation_ids(user, Access.ADMIN):
        return True, ""
    return False, _("Only admins of %(name)s can read its audit log.") % {"name": organisation.name}


def can_write_note(user, organisation: Organisation) -> Decision:
    if acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only members of an organisation on Civic Bridge can keep notes.")


def can_edit_person(user, person: Person) -> Decision:
    """The person themself, or members of an organisation the person is in now.

    Someone with an account keeps their own record: nobody else but a platform admin
    changes it.
    """
    if is_platform_admin(user) or (user.is_authenticated and person.pk == user.person_id):
        return True, ""
    if get_user_model().objects.filter(person=person).exists():
        return False, _("%(name)s has an account and keeps this record up to date.") % {
            "name": person.name
        }
    editable = acting_organisation_ids(user, Access.MEMBER)
    if editable and person.memberships.current().filter(organisation_id__in=editable).exists():
        return True, ""
    return False, _("Only members of an organisation this person belongs to can change it.")


def can_import(user) -> Decision:
    if is_platform_admin(user):
        return True, ""
    return False, _("Only platform admins can import files.")


def get_organisation_for(user, pk: int, *, edit: bool = False) -> Organisation:
    require(can_view_directory(user))
    organisation = get_object_or_404(Organisation, pk=pk)
    if edit:
        require(can_edit_organisation(user, organisation))
    return organisation


def get_supplier_for(user, pk: int, *, edit: bool = False) -> Organisation:
    """An organisation whose supplier profile the user may see (or keep, with `edit`); a
    government body buys, so it has none."""
    organisation = get_organisation_for(user, pk, edit=edit)
    if not organisation.supplies:
        raise Http404("A government body has no supplier profile.")
    return organisation


def get_department_for(user, pk: int, *, edit: bool = False) -> Department:
    require(can_view_directory(user))
    department = get_object_or_404(Department.objects.select_related("organisation"), pk=pk)
    if edit:
        require(can_edit_organisation(user, department.organisation))
    return department


def get_person_for(user, pk: int, *, edit: bool = False) -> Person:
    require(can_view_directory(user))
    person = get_object_or_404(Person, pk=pk)
    if edit:
        require(can_edit_person(user, person))
    return person


def get_membership_for(user, pk: int, *, edit: bool = False) -> Membership:
    require(can_view_directory(user))
    membership = get_object_or_404(
        Membership.objects.select_related("person", "organisation", "department"), pk=pk
    )
    if edit:
        require(can_edit_organisation(user, membership.organisation))
        if membership.access == Access.ADMIN:
            require(can_manage_admins(user, membership.organisation))
    return membership


def visible_notes(user, organisation: Organisation):
    """Notes about `organisation` that `user` may read."""
    notes = Note.objects.filter(subject=organisation).select_related("owner_organisation", "author")
    return notes.visible_to(acting_organisation_ids(user), everything=is_platform_admin(user))


def can_change_note(user, note: Note) -> Decision:
    if is_platform_admin(user) or note.owner_organisation_id in acting_organisation_ids(
        user, Access.MEMBER
    ):
        return True, ""
    return False, _("Only the side that wrote this note can change it.")


def get_note_for(user, pk: int, *, edit: bool = False) -> Note:
    require(can_view_directory(user))
    notes = Note.objects.visible_to(
        acting_organisation_ids(user), everything=is_platform_admin(user)
    )
    note = get_object_or_404(notes.select_related("subject"), pk=pk)
    if edit:
        require(can_change_note(user, note))
    return note


def get_import_run_for(user, pk: int) -> ImportRun:
    """An import run, for the user who started it and for platform admins."""
    if not user.is_authenticated:
        raise PermissionDenied
    run = get_object_or_404(ImportRun, pk=pk)
    if not (user.is_superuser or run.created_by_id == user.pk):
        raise PermissionDenied(_("Only the person who started an import follows it."))
    return run


def audit_scope(organisation: Organisation) -> Q:
    """Audit entries an organisation's admins read: its own and its people's."""
    person_ids = (
        Membership.objects.filter(organisation=organisation)
        .annotate(as_text=Cast("person_id", CharField()))
        .values("as_text")
    )
    person_type = ContentType.objects.get_for_model(Person)
    return Q(organisation=organisation) | Q(content_type=person_type, object_id__in=person_ids)


def get_offering_for(user, organisation: Organisation, pk: int) -> Offering:
    """An offering of an organisation the user fetched through `get_organisation_for`."""
    offering = get_object_or_404(Offering, organisation=organisation, pk=pk)
    offering.organisation = organisation
    return offering


def get_past_contract_for(user, organisation: Organisation, pk: int) -> PastContract:
    """A past contract of an organisation the user fetched through `get_organisation_for`."""
    contract = get_object_or_404(PastContract, organisation=organisation, pk=pk)
    contract.organisation = organisation
    return contract
