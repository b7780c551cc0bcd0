"""Creating an event, changing its facts, and opening and closing its registration."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import (
    actor_name,
    is_current_member,
    playbook_advice,
    record_activity,
)
from civicbridge.collaborations.services.lifecycle import create_collaboration
from civicbridge.core import audit
from civicbridge.core.permissions import require
from civicbridge.core.states import lock_in_state
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Organisation
from civicbridge.playbook import checks
from civicbridge.playbook.templatetags.playbook import tr

from ..choices import ParticipantStatus
from ..models import Event
from ..permissions import can_create_event, can_organise

EVENT_FIELDS = ("kind", "venue", "online", "capacity", "url")
# Registration opens once an institution's real problem is published (E2) and, from the
# offset, the officials who take the results forward are named with their capacity (E1).
REGISTRATION_GATES = ("events.challenge_published", "events.receivers_committed")


class RegistrationRefused(ValidationError):
    """Registration cannot open: the gate's reason and the playbook's advice say why."""

    def __init__(self, reason: str, mitigations: list[str]) -> None:
        self.reason = reason
        self.mitigations = mitigations
        message = _("Registration cannot open yet: %(reason)s") % {"reason": reason}
        if mitigations:
            message += " " + _("The playbook recommends: %(advice)s") % {
                "advice": " ".join(mitigations)
            }
        super().__init__(message)


def _validate(event: Event, organisers, partner_institutions) -> None:
    """Somewhere to be, organisers of the civic side, and partner institutions that are
    other government bodies."""
    collaboration = event.collaboration
    errors: dict[str, str] = {}
    if not event.venue.strip() and not event.online:
        errors["venue"] = _("Say where the event takes place, or that it is online.")
    strays = [
        person.name
        for person in organisers
        if not is_current_member(person, [collaboration.civic_organisation_id])
    ]
    if strays:
        errors["organisers"] = _("%(names)s is not a current member of %(civic)s.") % {
            "names": ", ".join(strays),
            "civic": collaboration.civic_organisation.name,
        }
    problems = [
        organisation.name
        for organisation in partner_institutions
        if organisation.kind != OrganisationKind.GOVERNMENT
        or organisation.pk == collaboration.institution_id
    ]
    if problems:
        errors["partner_institutions"] = _(
            "%(names)s cannot be a partner institution: choose other government bodies than "
            "the event's own institution."
        ) % {"names": ", ".join(problems)}
    if event.pk and "partner_institutions" not in errors:
        # A partner institution that posed a challenge is a side of the event: its officials
        # keep their challenges, so the organisers cannot take it off (or swap it).
        kept = {organisation.pk for organisation in partner_institutions}
        posing = (
            Organisation.objects.filter(challenges_posed__event=event)
            .exclude(pk__in=kept | {collaboration.institution_id})
            .distinct()
            .order_by("name")
        )
        if posing:
            errors["partner_institutions"] = _(
                "%(names)s posed a challenge for this event: it stays a partner institution."
            ) % {"names": ", ".join(organisation.name for organisation in posing)}
    if event.capacity is not None and event.capacity < 1:
        errors["capacity"] = _("An event needs at least one place; leave it empty for no limit.")
    elif event.pk and event.capacity is not None:
        confirmed = event.participants.filter(status=ParticipantStatus.CONFIRMED).count()
        if event.capacity < confirmed:
            errors["capacity"] = _(
                "%(count)d people have a confirmed place already: the event needs at least "
                "as many places."
            ) % {"count": confirmed}
    if errors:
        raise ValidationError(errors)


def _require_dates(start_date: date | None, end_date: date | None) -> None:
    errors = {}
    if start_date is None:
        errors["start_date"] = _("An event needs its first day.")
    if end_date is None:
        errors["end_date"] = _("An event needs its last day.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_event(
    actor,
    *,
    civic_organisation,
    organisers=None,
    partner_institutions=(),
    **fields: Any,
) -> Event:
    """Propose an event collaboration and record its facts in one go.

    The civic organisation organises it: the actor must be its member, and is its first
    organiser unless others are named.
    """
    require(can_create_event(actor, civic_organisation))
    _require_dates(fields.get("start_date"), fields.get("end_date"))
    event_fields = {name: fields.pop(name) for name in EVENT_FIELDS if name in fields}
    collaboration = create_collaboration(
        actor, model=Model.EVENT, civic_organisation=civic_organisation, **fields
    )
    if organisers is None:
        organisers = [actor.person] if actor.person_id else []
    event = Event(collaboration=collaboration, **event_fields)
    _save(actor, event, organisers, partner_institutions)
    return event


def _save(actor, event: Event, organisers, partner_institutions) -> None:
    _validate(event, organisers, partner_institutions)
    event.full_clean()
    created = event.pk is None
    before = None if created else audit.snapshot(Event.objects.get(pk=event.pk))
    event.save()
    event.organisers.set(organisers)
    event.partner_institutions.set(partner_institutions)
    if created:
        audit.log_created(actor, event)
    else:
        assert before is not None
        audit.log_updated(actor, event, before)


@transaction.atomic
def save_event(
    actor, collaboration: Collaboration, *, organisers, partner_institutions, **fields: Any
) -> Event:
    """Record or change the event's facts; a bigger capacity lets the waiting list in."""
    require(can_organise(actor, collaboration))
    if collaboration.model != Model.EVENT:
        raise ValidationError(_("Only an event has the facts of an event."))
    event = Event.objects.select_for_update().filter(collaboration=collaboration).first()
    created = event is None
    event = event or Event(collaboration=collaboration)
    event.collaboration = collaboration
    for name, value in fields.items():
        setattr(event, name, value)
    _save(actor, event, organisers, partner_institutions)
    record_activity(
        actor,
        collaboration,
        (
            _("%(name)s recorded the event's facts.")
            if created
            else _("%(name)s changed the event's facts.")
        )
        % {"name": actor_name(actor)},
        side=collaboration.civic_organisation_id,
    )
    if not created:
        from .participants import fill_places

        fill_places(event)
    return event


def registration_closed(event: Event) -> bool:
    """Closed by the organisers, never opened, or the event is over."""
    return not event.takes_registrations()


def registration_gate(event: Event) -> tuple[bool, str, list[str]]:
    """Whether registration may open, why, and what the playbook advises if not: the first
    gate that fails says why; when all pass, their reasons together."""
    reasons = []
    for gate in REGISTRATION_GATES:
        passed, reason = checks.run(gate, event.collaboration)
        if not passed:
            _conditions, mitigations = playbook_advice(event.collaboration, gate)
            return False, reason, [tr(text) for text in mitigations]
        reasons.append(reason)
    return True, " ".join(reasons), []


def _registration_state(event: Event) -> tuple[str, str]:
    """Registration's state, as `lock_in_state` compares it: open or closed."""
    return ("open", _("open")) if event.registration_open else ("closed", _("closed"))


@transaction.atomic
def open_registration(actor, event: Event) -> Event:
    """Let the public register, once an institution's challenge is published with its owner.

    Raises RegistrationRefused with the gate's reason and the playbook's mitigation.
    """
    collaboration = event.collaboration
    require(can_organise(actor, collaboration))
    # Opening moves registration from closed: someone who opened it a moment ago wins.
    locked = lock_in_state(event, "closed", _registration_state, _("Registration is open already."))
    if not collaboration.public:
        raise ValidationError(
            _(
                "People register on the event's public page: make the event public first "
                "(in the collaboration's details)."
            )
        )
    if collaboration.end_date and collaboration.end_date < timezone.localdate():
        raise ValidationError(_("The event is over: registration cannot open any more."))
    passed, reason, mitigations = registration_gate(event)
    if not passed:
        raise RegistrationRefused(reason, mitigations)
    before = audit.snapshot(locked)
    event.registration_opened_at = timezone.now()
    event.registration_closed_at = None
    event.save(update_fields=["registration_opened_at", "registration_closed_at", "updated_at"])
    audit.log_updated(actor, event, before)
    record_activity(
        actor,
        collaboration,
        _("%(name)s opened registration.") % {"name": actor_name(actor)},
        side=collaboration.civic_organisation_id,
    )
    return event


@transaction.atomic
def close_registration(actor, event: Event) -> Event:
    """Stop new registrations; those registered keep their place or their turn."""
    collaboration = event.collaboration
    require(can_organise(actor, collaboration))
    locked = lock_in_state(event, "open", _registration_state, _("Registration is not open."))
    before = audit.snapshot(locked)
    event.registration_closed_at = timezone.now()
    event.save(update_fields=["registration_closed_at", "updated_at"])
    audit.log_updated(actor, event, before)
    record_activity(
        actor,
        collaboration,
        _("%(name)s closed registration.") % {"name": actor_name(actor)},
        side=collaboration.civic_organisation_id,
    )
    return event
