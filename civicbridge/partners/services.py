"""Every write to organisations, departments, people, memberships and notes.

Each function validates, saves inside a transaction and records the change in the audit log.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.core import audit
from civicbridge.core.permissions import require
from civicbridge.core.services import create_record, update_record

from . import permissions
from .choices import Access, ImportKind
from .imports import importer_for, process_import_run
from .models import (
    Department,
    ImportRun,
    Membership,
    Note,
    Offering,
    Organisation,
    PastContract,
    Person,
    SupplierProfile,
)


def _stored(obj):
    """The row as the database holds it: a ModelForm may already have changed `obj`."""
    return type(obj)._default_manager.get(pk=obj.pk)


@transaction.atomic
def create_organisation(actor, **fields: Any) -> Organisation:
    require(permissions.can_create_organisation(actor))
    return create_record(actor, Organisation, **fields)


def _check_body(organisation: Organisation, parent: Organisation | None) -> None:
    """A parent body may not be the organisation itself, nor one of the bodies under it."""
    seen: set[int] = set()
    node = parent
    while node is not None and node.pk not in seen:
        if node.pk == organisation.pk:
            raise ValidationError({"parent": _("An organisation cannot be its own parent body.")})
        seen.add(node.pk)
        node = node.parent


@transaction.atomic
def update_organisation(actor, organisation: Organisation, **fields: Any) -> Organisation:
    require(permissions.can_edit_organisation(actor, organisation))
    _check_body(organisation, fields.get("parent"))
    return update_record(actor, organisation, **fields)


def _check_parent(department: Department | None, organisation: Organisation, parent) -> None:
    if parent is None:
        return
    if parent.organisation_id != organisation.pk:
        raise ValidationError({"parent": _("Choose a department of the same organisation.")})
    node = parent
    while node is not None:
        if department is not None and node.pk == department.pk:
            raise ValidationError({"parent": _("A department cannot be part of itself.")})
        node = node.parent


@transaction.atomic
def create_department(actor, organisation: Organisation, **fields: Any) -> Department:
    require(permissions.can_edit_organisation(actor, organisation))
    _check_parent(None, organisation, fields.get("parent"))
    return create_record(actor, Department, organisation=organisation, **fields)


@transaction.atomic
def update_department(actor, department: Department, **fields: Any) -> Department:
    require(permissions.can_edit_organisation(actor, department.organisation))
    _check_parent(department, department.organisation, fields.get("parent"))
    return update_record(actor, department, **fields)


@transaction.atomic
def create_person(actor, organisation: Organisation, person_fields: dict, **membership) -> Person:
    """Add a person to `organisation` with a first membership."""
    require(permissions.can_edit_organisation(actor, organisation))
    person = create_record(actor, Person, **person_fields)
    _add_membership(actor, organisation, person=person, **membership)
    return person


@transaction.atomic
def update_person(actor, person: Person, **fields: Any) -> Person:
    require(permissions.can_edit_person(actor, person))
    return update_record(actor, person, **fields)


def _check_access(actor, organisation: Organisation, old: str, new: str) -> None:
    if Access.ADMIN in {old, new} and old != new:
        allowed, reason = permissions.can_manage_admins(actor, organisation)
        if not allowed:
            raise ValidationError({"access": reason})


def _check_department(organisation: Organisation, department: Department | None) -> None:
    if department is not None and department.organisation_id != organisation.pk:
        raise ValidationError({"department": _("Choose a department of this organisation.")})


@transaction.atomic
def create_membership(
    actor, organisation: Organisation, person: Person, **fields: Any
) -> Membership:
    """Add an existing person to an organisation: both must be the actor's to change."""
    require(permissions.can_edit_person(actor, person))
    return _add_membership(actor, organisation, person=person, **fields)


def _add_membership(actor, organisation: Organisation, **fields: Any) -> Membership:
    require(permissions.can_edit_organisation(actor, organisation))
    _check_access(actor, organisation, Access.NONE, fields.get("access", Access.NONE))
    _check_department(organisation, fields.get("department"))
    return create_record(actor, Membership, organisation=organisation, **fields)


@transaction.atomic
def update_membership(actor, membership: Membership, **fields: Any) -> Membership:
    require(permissions.can_edit_organisation(actor, membership.organisation))
    old = _stored(membership).access
    if old == Access.ADMIN:
        require(permissions.can_manage_admins(actor, membership.organisation))
    _check_access(actor, membership.organisation, old, fields.get("access", old))
    _check_department(membership.organisation, fields.get("department"))
    return update_record(actor, membership, **fields)


@transaction.atomic
def delete_membership(actor, membership: Membership) -> None:
    require(permissions.can_edit_organisation(actor, membership.organisation))
    if membership.access == Access.ADMIN:
        require(permissions.can_manage_admins(actor, membership.organisation))
    pk = membership.pk
    audit.log_deleted(actor, membership, pk)
    membership.delete()


@transaction.atomic
def add_note(actor, subject: Organisation, owner: Organisation, **fields: Any) -> Note:
    require(permissions.can_write_note(actor, subject))
    if owner.pk not in permissions.acting_organisation_ids(actor, Access.MEMBER):
        raise ValidationError({"owner_organisation": _("Write notes only for your own side.")})
    return create_record(
        actor, Note, subject=subject, owner_organisation=owner, author=actor, **fields
    )


@transaction.atomic
def delete_note(actor, note: Note) -> None:
    require(permissions.can_change_note(actor, note))
    pk = note.pk
    audit.log_deleted(actor, note, pk)
    note.delete()


@transaction.atomic
def start_import(
    actor,
    *,
    kind: str,
    file,
    dry_run: bool = False,
    country: str = "",
    second_file=None,
    options: dict[str, Any] | None = None,
) -> ImportRun:
    """Keep an uploaded file and queue its import; the run page follows its progress.

    `kind` is one an app registered (`imports.register_importer`), which says who may
    import it with these `options`."""
    options = dict(options or {})
    if kind == ImportKind.POPOLO:
        options["country"] = country
    require(importer_for(kind).allowed(actor, options))
    run = ImportRun(
        kind=kind,
        file=file,
        filename=file.name[:255],
        dry_run=dry_run,
        options=options,
        created_by=actor,
    )
    if second_file is not None:
        run.second_file = second_file
    run.save()
    audit.log_created(actor, run)
    # The database task backend queues in this same transaction: no worker sees the task
    # before the run exists.
    process_import_run.enqueue(run.pk)
    return run


# The supplier profile (S1, S2): members of the organisation keep it.


@transaction.atomic
def _require_supplier(organisation: Organisation) -> None:
    if not organisation.supplies:
        raise ValidationError(
            _("%(name)s is a government body: it buys, so it keeps no supplier profile.")
            % {"name": organisation.name}
        )


def save_supplier_profile(actor, organisation: Organisation, **fields: Any) -> SupplierProfile:
    """Write the organisation's supplier profile, or change it."""
    require(permissions.can_edit_organisation(actor, organisation))
    _require_supplier(organisation)
    profile = SupplierProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        return create_record(actor, SupplierProfile, organisation=organisation, **fields)
    return update_record(actor, profile, **fields)


@transaction.atomic
def add_offering(actor, organisation: Organisation, **fields: Any) -> Offering:
    require(permissions.can_edit_organisation(actor, organisation))
    _require_supplier(organisation)
    return create_record(actor, Offering, organisation=organisation, **fields)


@transaction.atomic
def update_offering(actor, offering: Offering, **fields: Any) -> Offering:
    require(permissions.can_edit_organisation(actor, offering.organisation))
    return update_record(actor, offering, **fields)


@transaction.atomic
def remove_offering(actor, offering: Offering) -> None:
    require(permissions.can_edit_organisation(actor, offering.organisation))
    pk = offering.pk
    audit.log_deleted(actor, offering, pk)
    offering.delete()


def _past_contract_fields(organisation: Organisation, fields: dict[str, Any]) -> dict[str, Any]:
    """A buyer chosen from the directory names the contract's buyer too."""
    buyer = fields.get("buyer")
    if buyer is not None and buyer.pk == organisation.pk:
        raise ValidationError({"buyer": _("An organisation does not buy from itself.")})
    if buyer is not None and not fields.get("buyer_name"):
        fields["buyer_name"] = buyer.name
    return fields


@transaction.atomic
def add_past_contract(actor, organisation: Organisation, **fields: Any) -> PastContract:
    """Add work done for a buyer outside Civic Bridge to the organisation's record."""
    require(permissions.can_edit_organisation(actor, organisation))
    _require_supplier(organisation)
    fields = _past_contract_fields(organisation, fields)
    return create_record(actor, PastContract, organisation=organisation, **fields)


@transaction.atomic
def update_past_contract(actor, contract: PastContract, **fields: Any) -> PastContract:
    require(permissions.can_edit_organisation(actor, contract.organisation))
    fields = _past_contract_fields(contract.organisation, fields)
    return update_record(actor, contract, **fields)


@transaction.atomic
def remove_past_contract(actor, contract: PastContract) -> None:
    require(permissions.can_edit_organisation(actor, contract.organisation))
    pk = contract.pk
    audit.log_deleted(actor, contract, pk)
    contract.delete()
