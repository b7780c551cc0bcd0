"""Every write to a collaboration and its records, one module per part of the page.

What the parts share lives here: which side the actor writes for, how the actor, a side
and a current member are named and checked, the activity feed, telling both sides, and
the playbook's numbers and advice for the collaboration's model.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from civicbridge.core.choices import Visibility
from civicbridge.partners.choices import Access
from civicbridge.partners.models import Membership, Person
from civicbridge.playbook.models import PlaybookVersion

from .. import permissions
from ..models import Activity, Collaboration


def require_side(actor, collaboration: Collaboration, minimum: str = Access.MEMBER) -> int:
    """The party `actor` writes for, or PermissionDenied with the reason."""
    side = permissions.side_of(actor, collaboration, minimum)
    if side is None:
        decision = (
            permissions.can_sign(actor, collaboration)
            if minimum == Access.ADMIN
            else permissions.can_edit(actor, collaboration)
        )
        raise PermissionDenied(decision[1])
    return side


def actor_name(actor) -> str:
    """The actor as both sides know them: their person's name, else the account's."""
    return actor.display_name


def party_name(collaboration: Collaboration, party_id: int) -> str:
    """The name of the side `party_id` of `collaboration`."""
    if party_id == collaboration.civic_organisation_id:
        return collaboration.civic_organisation.name
    return collaboration.institution.name


def is_current_member(person: Person, organisation_ids: Iterable[int]) -> bool:
    """Whether `person` belongs to one of `organisation_ids` today."""
    return (
        Membership.objects.current()
        .filter(person=person, organisation_id__in=organisation_ids)
        .exists()
    )


def record_activity(
    actor,
    collaboration: Collaboration,
    message: str,
    *,
    side: int,
    visibility: str = Visibility.BOTH_SIDES,
    url: str = "",
) -> Activity:
    """Add a line to the feed, as visible as the record it is about."""
    return Activity.objects.create(
        collaboration=collaboration,
        actor=actor if actor is not None and actor.is_authenticated else None,
        owner_organisation_id=side,
        visibility=visibility,
        message=message[:500],
        url=url,
        at=timezone.now(),
    )


def both_sides_emails(collaboration: Collaboration) -> list[str]:
    """The e-mail addresses of the people who answer for the collaboration on each side:
    its stakeholders with an account, and each party's admins."""
    admins = Q(
        person__in=Membership.objects.current()
        .filter(organisation_id__in=collaboration.party_ids, access=Access.ADMIN)
        .values("person_id")
    )
    stakeholders = Q(person__in=collaboration.stakeholders.values("person_id"))
    users = get_user_model().objects.filter(admins | stakeholders, is_active=True)
    return sorted(set(users.values_list("email", flat=True)))


def tell_both_sides(collaboration: Collaboration, subject: str, body: str) -> None:
    """E-mail both sides once the change is committed."""
    recipients = both_sides_emails(collaboration)
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, None, recipients, fail_silently=False)
        )


def playbook_model(collaboration: Collaboration) -> dict[str, Any] | None:
    """The collaboration's model in the current playbook, if a playbook is loaded."""
    playbook = PlaybookVersion.objects.current_playbook()
    return playbook.models.get(collaboration.model) if playbook else None


def parameter(model: dict[str, Any] | None, name: str, default: Any) -> Any:
    """One of the playbook model's parameters, or `default` when it names none."""
    return (model or {}).get("parameters", {}).get(name, default)


def playbook_advice(collaboration: Collaboration, check: str) -> tuple[list[dict], list[dict]]:
    """The playbook's conditions that `check` proves for the collaboration's model, and the
    texts of the mitigations the playbook gives for them."""
    model = playbook_model(collaboration) or {}
    conditions = [c for c in model.get("conditions", []) if c.get("check") == check]
    ids = {condition["id"] for condition in conditions}
    mitigations = [
        mitigation["text"]
        for mitigation in model.get("mitigations", [])
        if ids.intersection(mitigation.get("conditions", []))
    ]
    return conditions, mitigations
