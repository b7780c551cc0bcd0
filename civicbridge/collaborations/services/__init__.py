"""Every write to a collaboration and its records, one module per part of the page.

What the parts share lives here: which side the actor writes for, the activity feed,
telling both sides, and the playbook's numbers for the collaboration's model.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from civicbridge.core.choices import Visibility
from civicbridge.partners.choices import Access
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
    today = timezone.localdate()
    current = Q(person__memberships__end_date__isnull=True) | Q(
        person__memberships__end_date__gte=today
    )
    admins = (
        Q(
            person__memberships__organisation_id__in=collaboration.party_ids,
            person__memberships__access=Access.ADMIN,
        )
        & current
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
    version = PlaybookVersion.objects.current()
    return version.playbook.models.get(collaboration.model) if version else None


def parameter(model: dict[str, Any] | None, name: str, default: Any) -> Any:
    return (model or {}).get("parameters", {}).get(name, default)
