"""Every write of the training room, one module per part of its pages: the curriculum, the
sessions, the participants and their seats, the self-assessments, the certificates and
the reformers.

What they share lives here: only a training programme takes them, and who acts for whom.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration
from civicbridge.core.permissions import require

from ..permissions import can_register, can_run


def require_training(collaboration: Collaboration) -> None:
    """Refuse a collaboration of another model: only a training programme has these records."""
    if collaboration.model != Model.TRAINING:
        raise ValidationError(_("Only a training programme has a curriculum and sessions."))


def require_runner(actor, collaboration: Collaboration) -> int:
    """The civic side, for which `actor` runs the programme, or PermissionDenied."""
    require_training(collaboration)
    require(can_run(actor, collaboration))
    return collaboration.civic_organisation_id


def require_registrar(actor, collaboration: Collaboration) -> int:
    """The side `actor` registers officials for: the civic side when they run the programme,
    else the institution (its admins), or PermissionDenied."""
    require_training(collaboration)
    require(can_register(actor, collaboration))
    if can_run(actor, collaboration)[0]:
        return collaboration.civic_organisation_id
    return collaboration.institution_id
