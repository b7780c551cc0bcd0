"""The conflict-of-interest register (S7): roles, disclosures and recusals.

An organisation that watches over an institution, or the body above it, and is also paid
by that institution must disclose it before it signs: which roles, how it discussed its
mission, what it decided and who stands aside. Only the organisation's admins write its
register; the disclosures are public.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import audit
from civicbridge.core.permissions import require
from civicbridge.core.services import create_record, update_record
from civicbridge.partners.models import Organisation, Person

from ..choices import ContractStatus, OrganisationRoleKind
from ..models import Contract, Disclosure, OrganisationRole, Recusal
from ..permissions import can_write_register


def body_chain(institution: Organisation) -> list[Organisation]:
    """The institution and the bodies above it, nearest first."""
    chain: list[Organisation] = []
    node: Organisation | None = institution
    while node is not None and node not in chain:
        chain.append(node)
        node = node.parent
    return chain


def current_roles(organisation: Organisation, kinds, institutions=None):
    """The organisation's roles of `kinds` that hold today, toward `institutions` if given."""
    today = timezone.localdate()
    roles = OrganisationRole.objects.filter(
        organisation=organisation, role__in=kinds, started_on__lte=today
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    if institutions is not None:
        roles = roles.filter(institution__in=institutions)
    return roles


def undisclosed_conflict(supplier: Organisation, buyer: Organisation) -> str | None:
    """Why the supplier must disclose before it signs with the buyer, or None.

    A supplier that monitors the buyer, or a body above it, must have disclosed each such
    role in a disclosure about the buyer or about the monitored body. A supplier that is
    only a vendor needs nothing.
    """
    chain = body_chain(buyer)
    monitoring = list(
        current_roles(supplier, OrganisationRoleKind.monitoring(), chain).select_related(
            "institution"
        )
    )
    if not monitoring:
        return None
    disclosed: dict[int, set[str]] = {}
    for institution_id, roles in Disclosure.objects.filter(
        organisation=supplier, institution__in=[buyer, *{r.institution for r in monitoring}]
    ).values_list("institution_id", "roles"):
        disclosed.setdefault(institution_id, set()).update(roles)
    missing = [
        role
        for role in monitoring
        if role.role
        not in disclosed.get(buyer.pk, set()) | disclosed.get(role.institution_id, set())
    ]
    if not missing:
        return None
    roles = sorted({f"{role.get_role_display().lower()} ({role.institution})" for role in missing})
    return _(
        "%(supplier)s also acts toward %(buyer)s or the body above it as %(roles)s: record a "
        "disclosure of these roles with the outcome of your discussion of the mission, and "
        "name who stands aside, before signing."
    ) % {"supplier": supplier, "buyer": buyer, "roles": ", ".join(roles)}


@dataclass(frozen=True)
class ConflictWarning:
    """An institution the organisation is paid by while it monitors it or the body above."""

    institution: Organisation
    monitored: list[OrganisationRole]
    paid_as: list[str]
    reason: str | None  # why a disclosure is still needed; None once disclosed


def conflict_warnings(organisation: Organisation) -> list[ConflictWarning]:
    """Each institution that pays the organisation (a vendor or grantee role, or a contract)
    while the organisation monitors it or a body above it."""
    monitoring = list(
        current_roles(organisation, OrganisationRoleKind.monitoring()).select_related("institution")
    )
    if not monitoring:
        return []
    paid: dict[int, tuple[Organisation, list[str]]] = {}
    for role in current_roles(organisation, OrganisationRoleKind.paid()).select_related(
        "institution__parent"
    ):
        paid.setdefault(role.institution_id, (role.institution, []))[1].append(
            role.get_role_display()
        )
    contracts = Contract.objects.filter(supplier=organisation).exclude(
        status=ContractStatus.CANCELLED
    )
    for contract in contracts.select_related("buyer__parent"):
        paid.setdefault(contract.buyer_id, (contract.buyer, []))[1].append(
            _("supplier of “%(title)s”") % {"title": contract.title}
        )
    warnings = []
    for institution, paid_as in paid.values():
        above = {body.pk for body in body_chain(institution)}
        watched = [role for role in monitoring if role.institution_id in above]
        if watched:
            warnings.append(
                ConflictWarning(
                    institution,
                    watched,
                    paid_as,
                    undisclosed_conflict(organisation, institution),
                )
            )
    return warnings


# Writing the register


def _check_institution(organisation: Organisation, institution: Organisation) -> None:
    if institution.pk == organisation.pk:
        raise ValidationError(
            {"institution": _("Choose another organisation: this is the register's own.")}
        )


@transaction.atomic
def add_role(actor, organisation: Organisation, **fields: Any) -> OrganisationRole:
    """Record a role the organisation holds toward an institution."""
    require(can_write_register(actor, organisation))
    _check_institution(organisation, fields["institution"])
    return create_record(
        actor, OrganisationRole, organisation=organisation, recorded_by=actor, **fields
    )


@transaction.atomic
def update_role(actor, organisation_role: OrganisationRole, **fields: Any) -> OrganisationRole:
    """Change a role, for example to record the day it ended."""
    organisation = organisation_role.organisation
    require(can_write_register(actor, organisation))
    _check_institution(organisation, fields.get("institution", organisation_role.institution))
    return update_record(actor, organisation_role, **fields)


@transaction.atomic
def remove_role(actor, organisation_role: OrganisationRole) -> None:
    """Remove a role recorded by mistake; a role that ended gets its end date instead."""
    require(can_write_register(actor, organisation_role.organisation))
    pk = organisation_role.pk
    audit.log_deleted(actor, organisation_role, pk)
    organisation_role.delete()


def _check_roles(roles: list[str]) -> None:
    if not roles or any(role not in OrganisationRoleKind.values for role in roles):
        raise ValidationError({"roles": _("Choose the roles you disclose.")})
    if not set(roles) & OrganisationRoleKind.monitoring():
        raise ValidationError(
            {
                "roles": _(
                    "Name the role in which you watch over the institution: watchdog, advocacy, "
                    "litigation or research."
                )
            }
        )


@transaction.atomic
def add_disclosure(actor, organisation: Organisation, **fields: Any) -> Disclosure:
    """Record a disclosure in the public register."""
    require(can_write_register(actor, organisation))
    _check_institution(organisation, fields["institution"])
    _check_roles(fields.get("roles", []))
    return create_record(actor, Disclosure, organisation=organisation, recorded_by=actor, **fields)


@transaction.atomic
def update_disclosure(actor, disclosure: Disclosure, **fields: Any) -> Disclosure:
    """Change a disclosure; the register keeps what changed in the audit log."""
    require(can_write_register(actor, disclosure.organisation))
    _check_institution(disclosure.organisation, fields.get("institution", disclosure.institution))
    _check_roles(fields.get("roles", disclosure.roles))
    return update_record(actor, disclosure, **fields)


@transaction.atomic
def add_recusal(
    actor, disclosure: Disclosure, *, person: Person, stands_aside_from: str
) -> Recusal:
    """Name a person of the organisation who stands aside, and from what."""
    require(can_write_register(actor, disclosure.organisation))
    if not person.memberships.filter(organisation_id=disclosure.organisation_id).exists():
        raise ValidationError(
            {
                "person": _("%(person)s is not a member of %(organisation)s.")
                % {"person": person, "organisation": disclosure.organisation}
            }
        )
    return create_record(
        actor, Recusal, disclosure=disclosure, person=person, stands_aside_from=stands_aside_from
    )


@transaction.atomic
def remove_recusal(actor, recusal: Recusal) -> None:
    require(can_write_register(actor, recusal.disclosure.organisation))
    pk = recusal.pk
    audit.log_deleted(actor, recusal, pk)
    recusal.delete()
