"""Sessions and seats (T1): when and where, who trains, how many seats, which modules; who
is invited, who registered, and who attended, as taken on the day."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import actor_name, is_current_member, record_activity
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core import audit, formats
from civicbridge.core.choices import AuditAction

from ..choices import TAKING_A_PLACE, SeatStatus
from ..models import Module, Participant, Seat, Session
from ..permissions import can_register
from . import require_runner, require_training


def _validate_session(session: Session, modules: Iterable[Module], trainers) -> None:
    """A place or a link, an end after the start, the programme's own modules, and trainers
    who belong to either side today."""
    collaboration = session.collaboration
    errors: dict[str, str] = {}
    if not session.place.strip() and not session.online_link.strip():
        errors["place"] = _("Say where the session happens: a place, an online link, or both.")
    if session.starts_at and session.ends_at and session.ends_at < session.starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    if any(module.collaboration_id != collaboration.pk for module in modules):
        errors["modules"] = _("Choose modules of this programme's curriculum.")
    parties = [collaboration.civic_organisation_id, collaboration.institution_id]
    strays = [str(person) for person in trainers if not is_current_member(person, parties)]
    if strays:
        errors["trainers"] = _("%(names)s is not a member of %(civic)s or %(institution)s now.") % {
            "names": ", ".join(strays),
            "civic": collaboration.civic_organisation.name,
            "institution": collaboration.institution.name,
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_session(
    actor,
    collaboration: Collaboration,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    place: str = "",
    online_link: str = "",
    modules: Iterable[Module] = (),
    trainers: Iterable = (),
) -> Session:
    """Plan a session of the programme."""
    side = require_runner(actor, collaboration)
    modules, trainers = list(modules), list(trainers)
    session = Session(
        collaboration=collaboration,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        place=place.strip(),
        online_link=online_link.strip(),
    )
    _validate_session(session, modules, trainers)
    session.full_clean()
    session.save()
    session.modules.set(modules)
    session.trainers.set(trainers)
    audit.log_created(actor, session)
    record_activity(
        actor,
        collaboration,
        _("%(name)s planned the session “%(title)s” on %(day)s.")
        % {"name": actor_name(actor), "title": session.title, "day": formats.day(starts_at)},
        side=side,
        url=tab_url(collaboration, "sessions"),
    )
    return session


@transaction.atomic
def update_session(
    actor, session: Session, *, modules: Iterable[Module], trainers: Iterable, **fields
) -> Session:
    """Change a session; fewer seats than are taken is refused."""
    require_runner(actor, session.collaboration)
    modules, trainers = list(modules), list(trainers)
    before = audit.snapshot(session)
    for name, value in fields.items():
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    taken = session.seats.filter(status__in=TAKING_A_PLACE).count()
    if session.capacity is not None and session.capacity < taken:
        raise ValidationError(
            {
                "capacity": _("%(count)d seats are taken: the session needs at least as many.")
                % {"count": taken}
            }
        )
    _validate_session(session, modules, trainers)
    session.full_clean()
    session.save()
    session.modules.set(modules)
    session.trainers.set(trainers)
    audit.log_updated(actor, session, before)
    return session


@transaction.atomic
def invite(actor, session: Session, participants: Iterable[Participant]) -> int:
    """Invite participants of the programme to a session; those with a seat keep it.
    Says how many were invited."""
    collaboration = session.collaboration
    side = require_runner(actor, collaboration)
    wanted = [p for p in participants if p.collaboration_id == collaboration.pk]
    seated = set(
        session.seats.filter(participant__in=wanted).values_list("participant_id", flat=True)
    )
    seats = Seat.objects.bulk_create(
        Seat(session=session, participant=p, status=SeatStatus.INVITED)
        for p in wanted
        if p.pk not in seated
    )
    audit.log_many(actor, [(seat, AuditAction.CREATE, None) for seat in seats])
    if seats:
        record_activity(
            actor,
            collaboration,
            ngettext(
                "%(name)s invited %(count)d official to “%(title)s”.",
                "%(name)s invited %(count)d officials to “%(title)s”.",
                len(seats),
            )
            % {"name": actor_name(actor), "count": len(seats), "title": session.title},
            side=side,
            url=tab_url(collaboration, "sessions"),
        )
    return len(seats)


def can_register_self(actor, participant: Participant) -> bool:
    return bool(actor.is_authenticated and actor.person_id == participant.person_id)


@transaction.atomic
def register(actor, session: Session, participant: Participant) -> Seat:
    """Register a participant for a session while a seat is free: the programme's runners,
    the institution's admins, or the participant themself."""
    collaboration = session.collaboration
    require_training(collaboration)
    if participant.collaboration_id != collaboration.pk:
        raise ValidationError(_("Register participants of this programme only."))
    if not can_register_self(actor, participant):
        allowed, reason = can_register(actor, collaboration)
        if not allowed:
            raise PermissionDenied(reason)
    # Locked, so that two registrations at once cannot both take the last seat.
    locked = Session.objects.select_for_update().get(pk=session.pk)
    seat = Seat.objects.filter(session=session, participant=participant).first()
    if seat is not None and seat.status in TAKING_A_PLACE:
        return seat  # registered already: nothing changes
    if locked.ends_at < timezone.now():
        raise ValidationError(_("This session is over: registration is closed."))
    taken = locked.seats.filter(status__in=TAKING_A_PLACE).count()
    if taken >= locked.capacity:
        raise ValidationError(
            _("“%(title)s” is full: all %(count)d seats are taken.")
            % {"title": session.title, "count": locked.capacity}
        )
    if seat is None:
        seat = Seat.objects.create(
            session=session, participant=participant, status=SeatStatus.REGISTERED
        )
        audit.log_created(actor, seat)
    else:
        before = audit.snapshot(seat)
        seat.status = SeatStatus.REGISTERED
        seat.save(update_fields=["status", "updated_at"])
        audit.log_updated(actor, seat, before)
    record_activity(
        actor,
        collaboration,
        _("%(person)s is registered for “%(title)s”.")
        % {"person": participant.person, "title": session.title},
        side=collaboration.institution_id,
        url=tab_url(collaboration, "sessions"),
    )
    return seat


@transaction.atomic
def take_attendance(actor, session: Session, attended: Iterable[int]) -> dict[str, int]:
    """Record who came, as ticked on the day: each seat ticked is attended, each other seat
    did not attend. Taking it again changes only what differs. Says how many of each."""
    collaboration = session.collaboration
    side = require_runner(actor, collaboration)
    came = set(attended)
    seats = list(session.seats.select_for_update().select_related("participant__person"))
    unknown = came - {seat.participant_id for seat in seats}
    if unknown:
        raise ValidationError(_("Tick only officials who have a seat at this session."))
    changes = []
    for seat in seats:
        seat.session = session  # the audit log names the programme's side without a query
        status = SeatStatus.ATTENDED if seat.participant_id in came else SeatStatus.ABSENT
        if seat.status != status:
            before = audit.snapshot(seat)
            seat.status = status
            seat.updated_at = timezone.now()
            changes.append((seat, before))
    Seat.objects.bulk_update([seat for seat, _before in changes], ["status", "updated_at"])
    for seat, before in changes:
        audit.log_updated(actor, seat, before)
    counts = {
        "attended": sum(1 for seat in seats if seat.status == SeatStatus.ATTENDED),
        "absent": sum(1 for seat in seats if seat.status == SeatStatus.ABSENT),
    }
    if changes:
        record_activity(
            actor,
            collaboration,
            _("%(name)s took attendance at “%(title)s”: %(attended)d came, %(absent)d did not.")
            % {"name": actor_name(actor), "title": session.title, **counts},
            side=side,
            url=tab_url(collaboration, "sessions"),
        )
    return counts
