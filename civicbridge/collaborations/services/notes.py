"""A side's private or shared notes on a collaboration."""

from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.core import audit
from civicbridge.core.choices import Visibility

from ..models import Collaboration, CollaborationNote
from . import actor_name, record_activity, require_side


@transaction.atomic
def add_note(
    actor, collaboration: Collaboration, *, body: str, visibility: str
) -> CollaborationNote:
    """Keep a note for the actor's side; a collaboration's notes are never public."""
    side = require_side(actor, collaboration)
    if visibility == Visibility.PUBLIC:
        visibility = Visibility.BOTH_SIDES
    note = CollaborationNote(
        collaboration=collaboration,
        owner_organisation_id=side,
        visibility=visibility,
        author=actor,
        body=body,
    )
    note.full_clean()
    note.save()
    audit.log_created(actor, note)
    record_activity(
        actor,
        collaboration,
        _("%(name)s added a note.") % {"name": actor_name(actor)},
        side=side,
        visibility=visibility,
    )
    return note
