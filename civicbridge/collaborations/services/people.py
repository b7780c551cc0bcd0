"""The stakeholder map (F7): who on each side has which role in the collaboration."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.core import audit
from civicbridge.core.services import create_record
from civicbridge.partners.models import Department, Membership, Organisation, Person

from ..models import Collaboration, Stakeholder
from . import actor_name, party_name, record_activity, require_side


def _side_of_person(
    collaboration: Collaboration, person: Person, organisation: Organisation | None
) -> tuple[int, list[Membership]]:
    """The party `person` stands for, from their current memberships, and those memberships."""
    memberships = list(
        Membership.objects.current().filter(
            person=person, organisation_id__in=collaboration.party_ids
        )
    )
    parties = {membership.organisation_id for membership in memberships}
    if organisation is not None:
        if organisation.pk not in collaboration.party_ids:
            raise ValidationError(
                {"organisation": _("Choose one of the two sides of this collaboration.")}
            )
        if organisation.pk not in parties:
            raise ValidationError(
                {
                    "person": _(
                        "%(person)s is not a current member of %(organisation)s: add the "
                        "membership on their page first."
                    )
                    % {"person": person.name, "organisation": organisation.name}
                }
            )
        side = organisation.pk
    elif not parties:
        raise ValidationError(
            {
                "person": _(
                    "%(person)s is not a current member of %(civic)s or %(institution)s: add "
                    "the membership on their page first."
                )
                % {
                    "person": person.name,
                    "civic": collaboration.civic_organisation.name,
                    "institution": collaboration.institution.name,
                }
            }
        )
    elif len(parties) > 1:
        raise ValidationError(
            {
                "organisation": _(
                    "%(person)s belongs to both sides: choose the side they stand for here."
                )
                % {"person": person.name}
            }
        )
    else:
        side = parties.pop()
    return side, [m for m in memberships if m.organisation_id == side]


@transaction.atomic
def add_stakeholder(
    actor,
    collaboration: Collaboration,
    *,
    person: Person,
    role: str,
    department: Department | None = None,
    organisation: Organisation | None = None,
) -> Stakeholder:
    """Put a current member of either party on the map, in a role and a department.

    The side comes from the person's membership; `organisation` chooses it when the person
    belongs to both. Without a department, the department of their membership is used.
    """
    actor_side = require_side(actor, collaboration)
    side, memberships = _side_of_person(collaboration, person, organisation)
    if department is not None and department.organisation_id != side:
        raise ValidationError(
            {
                "department": _("%(department)s is not a department of %(organisation)s.")
                % {
                    "department": department.name,
                    "organisation": party_name(collaboration, side),
                }
            }
        )
    if department is None:
        departments = {m.department_id for m in memberships if m.department_id}
        if len(departments) == 1:
            department = Department.objects.get(pk=departments.pop())
    if collaboration.stakeholders.filter(person=person, role=role).exists():
        raise ValidationError(
            {
                "role": _("%(person)s already has this role in the collaboration.")
                % {"person": person.name}
            }
        )
    stakeholder = create_record(
        actor,
        Stakeholder,
        collaboration=collaboration,
        person=person,
        organisation_id=side,
        department=department,
        role=role,
    )
    record_activity(
        actor,
        collaboration,
        _("%(actor)s added %(person)s (%(side)s) as %(role)s.")
        % {
            "actor": actor_name(actor),
            "person": person.name,
            "side": party_name(collaboration, side),
            "role": stakeholder.get_role_display().lower(),
        },
        side=actor_side,
    )
    return stakeholder


@transaction.atomic
def remove_stakeholder(actor, stakeholder: Stakeholder) -> None:
    """Take a person off the map in one role; a member of either party may do it."""
    collaboration = stakeholder.collaboration
    actor_side = require_side(actor, collaboration)
    pk = stakeholder.pk
    stakeholder.delete()
    audit.log_deleted(actor, stakeholder, pk)
    record_activity(
        actor,
        collaboration,
        _("%(actor)s removed %(person)s as %(role)s.")
        % {
            "actor": actor_name(actor),
            "person": stakeholder.person.name,
            "role": stakeholder.get_role_display().lower(),
        },
        side=actor_side,
    )
