"""Who may write what in the fellowship room.

The placement and the countdown belong to both sides: a member of either party writes
them. Each willingness statement (F2) belongs to one person: the fellow or the
supervisor writes it themself, or a member of their side records it for them. The
preparation brief (F4) is the host's: members of the institution write and deliver it,
the civic side reads it.
"""

from django.utils.translation import gettext as _

from civicbridge.collaborations.models import Collaboration
from civicbridge.core.permissions import Decision
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids

from .choices import Signatory
from .models import Placement
from .queries import signatory_of


def can_record_statement(user, placement: Placement, who: str) -> Decision:
    """The person themself, or a member of their side, records a statement."""
    person, side = signatory_of(placement, who)
    if not user.is_authenticated:
        return False, _("Sign in to record a statement.")
    if user.person_id is not None and user.person_id == person.pk:
        return True, ""
    if side.pk in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only %(person)s or a member of %(side)s can record %(whose)s statement.") % {
        "person": person,
        "side": side.name,
        "whose": Signatory(who).label,
    }


def can_write_brief(user, collaboration: Collaboration) -> Decision:
    """The host institution prepares the brief and sends it to the fellow."""
    if collaboration.institution_id in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _(
        "The host prepares the brief: only members of %(institution)s can write or send it."
    ) % {"institution": collaboration.institution.name}
