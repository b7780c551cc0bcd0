"""The register of shortcomings and their solutions (T2): the civic side raises each one
with its evidence and a proposed solution, the institution names its owner, decides and
acts; either side's admin may publish the register."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.permissions import side_of
from civicbridge.collaborations.services import actor_name, is_current_member, record_activity
from civicbridge.core import audit
from civicbridge.core.permissions import require
from civicbridge.core.states import lock_in_state
from civicbridge.partners.choices import Access
from civicbridge.partners.models import Person

from ..choices import SHORTCOMING_MOVES, ShortcomingStatus
from ..models import Shortcoming, ShortcomingRegister
from ..permissions import can_change_shortcoming, can_decide, can_publish_register, can_raise

# The report's rule (T2): unearth shortcomings "only to propose constructive and practical
# solutions" — a shortcoming without one is not taken.
NO_SOLUTION = gettext_lazy(
    "A shortcoming is raised with a proposed solution: say what could be done about it."
)


def _status(shortcoming: Shortcoming) -> tuple[str, str]:
    return shortcoming.status, str(shortcoming.get_status_display())


def _validate(collaboration: Collaboration, *, title: str, evidence: str, solution: str, owner):
    errors = {}
    if not title.strip():
        errors["title"] = _("Name the shortcoming in a few words.")
    if not evidence.strip():
        errors["evidence"] = _("Give the evidence: what was seen, heard or measured.")
    if not solution.strip():
        errors["solution"] = str(NO_SOLUTION)
    if owner is not None and not is_current_member(owner, [collaboration.institution_id]):
        errors["owner"] = _("%(person)s is not a current member of %(institution)s.") % {
            "person": owner,
            "institution": collaboration.institution.name,
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def raise_shortcoming(
    actor,
    collaboration: Collaboration,
    *,
    title: str,
    evidence: str,
    solution: str,
    owner: Person | None = None,
) -> Shortcoming:
    """Raise a shortcoming with its evidence and the solution the civic side proposes."""
    require(can_raise(actor, collaboration))
    _validate(collaboration, title=title, evidence=evidence, solution=solution, owner=owner)
    shortcoming = Shortcoming(
        collaboration=collaboration,
        title=title.strip(),
        evidence=evidence.strip(),
        solution=solution.strip(),
        owner=owner,
        raised_on=timezone.localdate(),
        raised_by=actor,
    )
    shortcoming.full_clean(exclude=["collaboration", "owner", "raised_by"])
    shortcoming.save()
    audit.log_created(actor, shortcoming)
    record_activity(
        actor,
        collaboration,
        _("%(name)s raised a shortcoming, “%(title)s”, with a proposed solution.")
        % {"name": actor_name(actor), "title": shortcoming.title},
        side=collaboration.civic_organisation_id,
    )
    return shortcoming


@transaction.atomic
def change_shortcoming(
    actor,
    shortcoming: Shortcoming,
    *,
    title: str,
    evidence: str,
    solution: str,
    owner: Person | None = None,
) -> Shortcoming:
    """Change a shortcoming the civic side raised, while the institution has not decided."""
    collaboration = shortcoming.collaboration
    require(can_change_shortcoming(actor, shortcoming))
    _validate(collaboration, title=title, evidence=evidence, solution=solution, owner=owner)
    locked = lock_in_state(
        shortcoming,
        ShortcomingStatus.PROPOSED,
        _status,
        _("The institution decided on this shortcoming a moment ago: it is “%(state)s”."),
    )
    before = audit.snapshot(locked)
    locked.title, locked.evidence, locked.solution = (
        title.strip(),
        evidence.strip(),
        solution.strip(),
    )
    locked.owner = owner
    locked.collaboration = collaboration
    locked.full_clean(exclude=["collaboration", "owner", "raised_by"])
    locked.save(update_fields=["title", "evidence", "solution", "owner", "updated_at"])
    audit.log_updated(actor, locked, before)
    return locked


@transaction.atomic
def move_shortcoming(
    actor,
    shortcoming: Shortcoming,
    *,
    to: str,
    seen: str | None = None,
    reason: str = "",
    owner: Person | None = None,
) -> Shortcoming:
    """Accept, decline (with a reason), start or finish a shortcoming's solution (the
    institution), from the state `seen` (the one the actor read; by default the one
    loaded). Accepting names the owner, if nobody owns it yet."""
    collaboration = shortcoming.collaboration
    require(can_decide(actor, collaboration))
    to = ShortcomingStatus(to)
    seen = seen or shortcoming.status
    if to not in SHORTCOMING_MOVES or seen not in SHORTCOMING_MOVES[to]:
        raise ValidationError(
            _("A shortcoming that is “%(from)s” cannot become “%(to)s”.")
            % {"from": ShortcomingStatus(seen).label, "to": to.label}
        )
    reason = reason.strip()
    if to == ShortcomingStatus.DECLINED and not reason:
        raise ValidationError({"reason": _("Say why the institution declines this solution.")})
    if owner is not None and not is_current_member(owner, [collaboration.institution_id]):
        raise ValidationError(
            {
                "owner": _("%(person)s is not a current member of %(institution)s.")
                % {"person": owner, "institution": collaboration.institution.name}
            }
        )
    locked = lock_in_state(shortcoming, seen, _status)
    if to == ShortcomingStatus.ACCEPTED and owner is None and locked.owner_id is None:
        raise ValidationError(
            {
                "owner": _("Name the person in %(institution)s who owns the solution.")
                % {"institution": collaboration.institution.name}
            }
        )
    before = audit.snapshot(locked)
    today = timezone.localdate()
    locked.status = to
    if owner is not None:
        locked.owner = owner
    if to in (ShortcomingStatus.ACCEPTED, ShortcomingStatus.DECLINED) and locked.decided_on is None:
        locked.decided_on = today
    if to == ShortcomingStatus.DECLINED:
        locked.decline_reason = reason
    if to == ShortcomingStatus.DONE:
        locked.done_on = today
    locked.save(
        update_fields=["status", "owner", "decided_on", "decline_reason", "done_on", "updated_at"]
    )
    locked.collaboration = collaboration
    audit.log_updated(actor, locked, before)
    record_activity(
        actor,
        collaboration,
        _("%(name)s marked the shortcoming “%(title)s” as %(status)s.")
        % {"name": actor_name(actor), "title": locked.title, "status": to.label.lower()},
        side=collaboration.institution_id,
    )
    return locked


@transaction.atomic
def publish_register(
    actor, collaboration: Collaboration, *, published: bool
) -> ShortcomingRegister:
    """Publish the register of shortcomings (shown on the public page of a public
    collaboration), or take it back to the two sides."""
    require(can_publish_register(actor, collaboration))
    register, created = ShortcomingRegister.objects.select_for_update().get_or_create(
        collaboration=collaboration
    )
    register.collaboration = collaboration
    if not created and register.published == published:
        return register
    before = audit.snapshot(register)
    register.published = published
    register.changed_by = actor
    register.save(update_fields=["published", "changed_by", "updated_at"])
    audit.log_updated(actor, register, before)
    side = side_of(actor, collaboration, Access.ADMIN)
    assert side is not None  # can_publish_register let an admin of a side through
    record_activity(
        actor,
        collaboration,
        (
            _("%(name)s published the register of shortcomings.")
            if published
            else _("%(name)s took the register of shortcomings off the public page.")
        )
        % {"name": actor_name(actor)},
        side=side,
    )
    return register
