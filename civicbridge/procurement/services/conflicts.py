"""The conflict-of-interest register (S7): roles, disclosures and recusals."""

from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.partners.models import Organisation

from ..choices import OrganisationRoleKind
from ..models import Disclosure, OrganisationRole


def undisclosed_conflict(supplier: Organisation, buyer: Organisation) -> str | None:
    """Why the supplier must disclose before it signs with the buyer, or None.

    An organisation that monitors an institution and is also paid by it must record a
    disclosure about that institution first.
    """
    today = timezone.localdate()
    monitoring = (
        OrganisationRole.objects.filter(
            organisation=supplier,
            institution=buyer,
            role__in=OrganisationRoleKind.monitoring(),
            started_on__lte=today,
        )
        .exclude(ended_on__lt=today)
        .order_by("role")
    )
    roles = sorted({role.get_role_display() for role in monitoring})
    if not roles or Disclosure.objects.filter(organisation=supplier, institution=buyer).exists():
        return None
    return _(
        "%(supplier)s also acts toward %(buyer)s as %(roles)s: record a disclosure with the "
        "outcome of your discussion of the mission, and name who stands aside, before signing."
    ) % {"supplier": supplier, "buyer": buyer, "roles": ", ".join(str(r) for r in roles)}
