"""Public registration without an account (E4): the e-mail confirmation, the places and
the waiting list, and cancelling. The spam defences a form without an account needs
are core's (`core/public_forms.py`).

The links in the e-mails are signed (django.core.signing, one salt per purpose) with the
participant's id and the moment they consented. Registering again replaces that moment,
so an older link stops working; a confirmed or cancelled place makes its link used.
"""

from dataclasses import dataclass
from datetime import UTC, timedelta
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import audit

from ..choices import Discipline, ParticipantStatus, RegistrationState
from ..models import Event, Participant, Team
from .events import registration_closed

CONFIRM_SALT = "civicbridge.events.participant.confirm"
CANCEL_SALT = "civicbridge.events.participant.cancel"
CONFIRM_WITHIN = timedelta(hours=48)
STILL_REGISTERED = (
    ParticipantStatus.UNCONFIRMED,
    ParticipantStatus.CONFIRMED,
    ParticipantStatus.WAITING,
)


class LinkProblem(StrEnum):
    FORGED = "forged"
    EXPIRED = "expired"
    REPLACED = "replaced"
    USED = "used"
    OVER = "over"


class LinkRefused(Exception):
    """A registration link that cannot be used, and why."""

    def __init__(self, problem: LinkProblem, participant: Participant | None = None) -> None:
        self.problem = problem
        self.participant = participant
        super().__init__(problem.value)


@dataclass(frozen=True)
class Registration:
    participant: Participant
    again: bool  # an unconfirmed or cancelled registration of the same address, renewed


def _moment(participant: Participant) -> str:
    return participant.consent_at.astimezone(UTC).isoformat()


def link_token(participant: Participant, *, cancel: bool = False) -> str:
    """The signed token of the participant's confirmation (or `cancel`) link."""
    salt = CANCEL_SALT if cancel else CONFIRM_SALT
    return signing.dumps({"p": participant.pk, "c": _moment(participant)}, salt=salt)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def confirm_url(participant: Participant) -> str:
    return _absolute(reverse("events:confirm", args=[link_token(participant)]))


def cancel_url(participant: Participant) -> str:
    return _absolute(reverse("events:cancel", args=[link_token(participant, cancel=True)]))


def participant_for_link(token: str, *, cancel: bool = False) -> Participant:
    """The participant a confirmation (or `cancel`) link names, if it may still be used.

    Raises LinkRefused: forged, expired, replaced by a newer link, used already, or (to
    cancel) the event is over.
    """
    salt = CANCEL_SALT if cancel else CONFIRM_SALT
    max_age = None if cancel else CONFIRM_WITHIN
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkRefused(LinkProblem.EXPIRED) from None
    except signing.BadSignature:
        raise LinkRefused(LinkProblem.FORGED) from None
    pk = data.get("p") if isinstance(data, dict) else None
    participant = (
        Participant.objects.select_related(
            "event__collaboration__civic_organisation", "event__collaboration__institution"
        )
        .filter(pk=pk)
        .first()
        if isinstance(pk, int)
        else None
    )
    if participant is None:
        raise LinkRefused(LinkProblem.FORGED)
    if data.get("c") != _moment(participant):
        raise LinkRefused(LinkProblem.REPLACED, participant)
    usable = STILL_REGISTERED if cancel else (ParticipantStatus.UNCONFIRMED,)
    if participant.status not in usable:
        raise LinkRefused(LinkProblem.USED, participant)
    end = participant.event.collaboration.end_date
    if cancel and end and end < timezone.localdate():
        raise LinkRefused(LinkProblem.OVER, participant)
    return participant


def _send(participant: Participant, template: str, subject: str, **context) -> None:
    event = participant.event
    body = render_to_string(
        f"events/participants/{template}.txt",
        {
            "participant": participant,
            "event": event,
            "collaboration": event.collaboration,
            "public_url": _absolute(reverse("events:public", args=[event.collaboration_id])),
            **context,
        },
    )
    recipient = participant.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))


def _send_confirmation_link(participant: Participant) -> None:
    _send(
        participant,
        "email_confirm",
        _("Confirm your registration: %(title)s") % {"title": participant.event.collaboration},
        confirm_url=confirm_url(participant),
        hours=int(CONFIRM_WITHIN.total_seconds() // 3600),
    )


def _clean_disciplines(disciplines) -> list[str]:
    chosen = [value for value in Discipline.values if value in set(disciplines)]
    if not chosen or len(chosen) != len(set(disciplines)):
        raise ValidationError({"disciplines": _("Choose at least one of the disciplines listed.")})
    return chosen


@transaction.atomic
def register(event: Event, *, name: str, email: str, disciplines, consent: bool) -> Registration:
    """Register someone without an account and send them the confirmation link.

    An address registers once per event: an unconfirmed or cancelled registration of it
    is renewed (with a new link), a confirmed or waiting one is refused with a message.
    """
    if registration_closed(event):
        raise ValidationError(_("Registration for this event is closed."))
    errors = {}
    if not consent:
        errors["consent"] = _("Registration needs your consent: tick the box to give it.")
    if not name.strip():
        errors["name"] = _("Enter your name.")
    if errors:
        raise ValidationError(errors)
    chosen = _clean_disciplines(disciplines)
    email = email.strip().lower()
    existing = Participant.objects.select_for_update().filter(event=event, email=email).first()
    if existing is not None and existing.status in (
        ParticipantStatus.CONFIRMED,
        ParticipantStatus.WAITING,
    ):
        raise ValidationError(
            {
                "email": _(
                    "This e-mail address is registered for this event already (%(status)s). "
                    "To give the place up, use the link in the e-mail we sent."
                )
                % {"status": existing.get_status_display().lower()}
            }
        )
    participant = existing or Participant(event=event, email=email)
    before = audit.snapshot(participant) if existing else None
    participant.event = event
    participant.name = name.strip()
    participant.disciplines = chosen
    participant.consent_at = timezone.now()
    participant.status = ParticipantStatus.UNCONFIRMED
    participant.confirmed_at = None
    participant.team = None
    participant.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        raise ValidationError(
            {"email": _("This e-mail address is registered for this event already.")}
        ) from None
    if before is None:
        audit.log_created(None, participant)
    else:
        audit.log_updated(None, participant, before)
    _send_confirmation_link(participant)
    return Registration(participant, again=existing is not None)


def _confirmed(event_id: int):
    return Participant.objects.filter(event_id=event_id, status=ParticipantStatus.CONFIRMED)


def _has_room(event: Event):
    """A condition the database decides when it writes: fewer confirmed places than the
    capacity, and nobody ahead on the waiting list."""
    count = (
        _confirmed(event.pk).order_by().values("event_id").annotate(n=Count("pk")).values("n")[:1]
    )
    waiting = Participant.objects.filter(event_id=event.pk, status=ParticipantStatus.WAITING)
    return Q(LessThan(Coalesce(Subquery(count), Value(0)), Value(event.capacity))) & ~Q(
        Exists(waiting)
    )


@transaction.atomic
def confirm(participant: Participant) -> Participant:
    """Confirm a registration: a place while there is one, else the waiting list.

    The event's row is locked and the place is taken by a conditional update, so two
    confirmations at the same moment cannot both take the last place.
    """
    event = Event.objects.select_for_update().get(pk=participant.event_id)
    event.collaboration = participant.event.collaboration
    before = audit.snapshot(participant)
    now = timezone.now()
    unconfirmed = Participant.objects.filter(
        pk=participant.pk, status=ParticipantStatus.UNCONFIRMED
    )
    placed = unconfirmed if event.capacity is None else unconfirmed.filter(_has_room(event))
    took_place = placed.update(
        status=ParticipantStatus.CONFIRMED, confirmed_at=now, updated_at=now
    ) or unconfirmed.update(status=ParticipantStatus.WAITING, confirmed_at=now, updated_at=now)
    if not took_place:
        raise LinkRefused(LinkProblem.USED, participant)
    participant.refresh_from_db(fields=["status", "confirmed_at", "updated_at"])
    participant.event = event
    audit.log_updated(None, participant, before)
    if participant.status == ParticipantStatus.CONFIRMED:
        _send(
            participant,
            "email_confirmed",
            _("Your place is confirmed: %(title)s") % {"title": event.collaboration},
            cancel_url=cancel_url(participant),
        )
    else:
        _send(
            participant,
            "email_waiting",
            _("You are on the waiting list: %(title)s") % {"title": event.collaboration},
            cancel_url=cancel_url(participant),
            position=waiting_position(participant),
        )
    return participant


@transaction.atomic
def cancel(participant: Participant) -> Participant:
    """Give a registration up; a confirmed place passes to the first on the waiting list."""
    event = Event.objects.select_for_update().get(pk=participant.event_id)
    event.collaboration = participant.event.collaboration
    before = audit.snapshot(participant)
    had_place = participant.status == ParticipantStatus.CONFIRMED
    now = timezone.now()
    if not Participant.objects.filter(pk=participant.pk, status__in=STILL_REGISTERED).update(
        status=ParticipantStatus.CANCELLED, team=None, updated_at=now
    ):
        raise LinkRefused(LinkProblem.USED, participant)
    Team.objects.filter(contact=participant).update(contact=None, updated_at=now)
    participant.refresh_from_db(fields=["status", "team", "updated_at"])
    audit.log_updated(None, participant, before)
    if had_place:
        fill_places(event)
    return participant


def fill_places(event: Event) -> list[Participant]:
    """Give free places to the waiting list, first come first served, and tell each one."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    waiting = Participant.objects.filter(event=event, status=ParticipantStatus.WAITING).order_by(
        "confirmed_at", "id"
    )
    if locked.capacity is not None:
        room = locked.capacity - _confirmed(event.pk).count()
        waiting = waiting[: max(room, 0)]
    promoted = []
    for participant in waiting:
        before = audit.snapshot(participant)
        Participant.objects.filter(pk=participant.pk, status=ParticipantStatus.WAITING).update(
            status=ParticipantStatus.CONFIRMED, updated_at=timezone.now()
        )
        participant.status = ParticipantStatus.CONFIRMED
        participant.event = event
        audit.log_updated(None, participant, before)
        _send(
            participant,
            "email_promoted",
            _("A place opened up for you: %(title)s") % {"title": event.collaboration},
            cancel_url=cancel_url(participant),
        )
        promoted.append(participant)
    return promoted


def waiting_position(participant: Participant) -> int:
    """Where the participant stands on the waiting list, counting from 1."""
    ahead = Participant.objects.filter(
        event_id=participant.event_id, status=ParticipantStatus.WAITING
    ).filter(
        Q(confirmed_at__lt=participant.confirmed_at)
        | Q(confirmed_at=participant.confirmed_at, pk__lt=participant.pk)
    )
    return ahead.count() + 1


@dataclass(frozen=True)
class Places:
    """How full the event is."""

    capacity: int | None
    confirmed: int
    waiting: int
    state: RegistrationState

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)

    @property
    def full(self) -> bool:
        return self.left == 0


def places(event: Event) -> Places:
    """The confirmed places and the waiting list, counted in one query."""
    counts = Participant.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=ParticipantStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=ParticipantStatus.WAITING)),
    )
    confirmed = counts["confirmed"]
    return Places(event.capacity, confirmed, counts["waiting"], event.registration_state(confirmed))


def with_positions(participants) -> list[tuple[Participant, int | None]]:
    """Each participant with their place on the waiting list, if they wait."""
    rows = list(participants)
    waiting = sorted(
        (p for p in rows if p.status == ParticipantStatus.WAITING),
        key=lambda p: (p.confirmed_at, p.pk),
    )
    positions = {p.pk: number for number, p in enumerate(waiting, start=1)}
    return [(participant, positions.get(participant.pk)) for participant in rows]
