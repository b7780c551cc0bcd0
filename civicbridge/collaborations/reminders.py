"""The reminder registry: what each room reminds people of, and when.

A reminder source is a function of `today` that only reads and yields a `Due` for each
reminder owed that day. Each room registers its sources in its own `reminders` module, as
it registers its checks:

    from civicbridge.collaborations.reminders import Due, register

    @register("brief_late", _("Preparation brief late"), order=50)
    def brief_late(today):
        yield Due(...)

Each `Due` carries a key "kind:object-id:period" whose period makes it once per period (a
check-in date, a due date, a start date). The notifications app turns each into a reminder
row that the key keeps unique per recipient, claims the row before it sends, and marks it
sent; it knows the rooms only through this registry.

A reminder goes to a user, or, for people without an account (a team's contact, an official
asked about a project), to an e-mail address; the kinds of those have no place among the
channels a user chooses (`chosen=False`). A room may also register what it records once a
reminder of its kind has gone (`on_sent`), work the scheduler does on every pass that
sends nothing (`daily_upkeep`), and the days it puts in each person's calendar feed
(`deadlines`).
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicbridge.partners.choices import Access
from civicbridge.partners.models import Membership

from .choices import ObligationStatus, Stage
from .models import Collaboration, FollowUp, HandoverTask, Obligation, Signature
from .queries import CHECKIN_STAGES, checkin_overview

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Due:
    """One reminder owed today to one user, or to one e-mail address without an account."""

    kind: str
    key: str
    recipient_id: int | None
    collaboration_id: int
    subject: str
    body: str  # to an address: the whole message, since no account's template frames it
    url: str
    due_on: date | None
    email: str = ""


@dataclass(frozen=True)
class Kind:
    """A kind of reminder: its value, its label, and where it sits in the lists of kinds."""

    value: str
    label: "StrOrPromise"
    order: int
    chosen: bool  # whether each user chooses its channels (not for e-mail addresses)


Source = Callable[[date], Iterator[Due]]
OnSent = Callable[[Any], None]
Upkeep = Callable[[datetime], int]

_kinds: dict[str, Kind] = {}
_sources: dict[str, Source] = {}
_on_sent: dict[str, OnSent] = {}
_upkeep: dict[str, Upkeep] = {}
_discovered = False


class ReminderAlreadyRegistered(Exception):
    pass


def register(
    kind: str, label: "StrOrPromise", *, order: int = 1000, chosen: bool = True
) -> Callable[[Source], Source]:
    """Register the decorated generator as the source of the reminders of `kind`.

    `order` places the kind in the lists of kinds (the preferences page); `chosen=False`
    for reminders to e-mail addresses, whose kind no user chooses a channel for.
    """

    def decorator(source: Source) -> Source:
        if kind in _sources and _sources[kind] is not source:
            raise ReminderAlreadyRegistered(f"Reminders of kind {kind!r} have a source already.")
        _kinds[kind] = Kind(kind, label, order, chosen)
        _sources[kind] = source
        return source

    return decorator


def on_sent(kind: str) -> Callable[[OnSent], OnSent]:
    """Call the decorated function with each reminder of `kind` as it is marked sent, in the
    same transaction: what the room records of the sending is written with the mark."""

    def decorator(callback: OnSent) -> OnSent:
        _on_sent[kind] = callback
        return callback

    return decorator


def daily_upkeep(name: str) -> Callable[[Upkeep], Upkeep]:
    """Run the decorated function on every scheduler pass with the time of the pass; it
    sends nothing and says how many records it changed."""

    def decorator(upkeep: Upkeep) -> Upkeep:
        _upkeep[name] = upkeep
        return upkeep

    return decorator


@dataclass(frozen=True)
class Deadline:
    """A day in a person's calendar feed: `uid` names the kind and the record (and the date,
    for a repeating one), so a calendar application moves the event when its date moves."""

    uid: str
    day: date
    summary: str
    path: str


DeadlineSource = Callable[[dict[int, Collaboration], date], Iterator[Deadline]]
_deadlines: list[DeadlineSource] = []


def deadlines(source: DeadlineSource) -> DeadlineSource:
    """Register the decorated generator of the deadlines of some collaborations (by pk)."""
    if source not in _deadlines:
        _deadlines.append(source)
    return source


def deadlines_of(collaborations: dict[int, Collaboration], today: date) -> Iterator[Deadline]:
    """Every registered deadline of `collaborations`, by pk."""
    _discover()
    for source in _deadlines:
        yield from source(collaborations, today)


def unregister(kind: str) -> None:
    """Remove the source of `kind` and what it registered (for tests that add their own)."""
    _kinds.pop(kind, None)
    _sources.pop(kind, None)
    _on_sent.pop(kind, None)


def unregister_upkeep(name: str) -> None:
    _upkeep.pop(name, None)


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("reminders")
        _discovered = True


def kinds() -> list[Kind]:
    """Every registered kind of reminder, in the order lists show them."""
    _discover()
    return sorted(_kinds.values(), key=lambda kind: kind.order)


def kind_choices() -> list[tuple[str, "StrOrPromise"]]:
    """The choices of a reminder's kind: every kind any room registered."""
    return [(kind.value, kind.label) for kind in kinds()]


def chosen_kind_choices() -> list[tuple[str, "StrOrPromise"]]:
    """The kinds whose channels each user chooses, with their labels."""
    return [(kind.value, kind.label) for kind in kinds() if kind.chosen]


def due_reminders(today: date) -> Iterator[Due]:
    """Every reminder due on `today`, for every recipient, from every registered source."""
    for kind in kinds():
        yield from _sources[kind.value](today)


def object_id(key: str) -> int:
    """The id of the record a reminder's key "kind:object-id:period" is about."""
    return int(key.split(":", 2)[1])


def record_sent(reminder) -> None:
    """Let the room of `reminder`'s kind record that it went, if the room asked to."""
    _discover()
    callback = _on_sent.get(reminder.kind)
    if callback is not None:
        callback(reminder)


def run_upkeep(now: datetime) -> dict[str, int]:
    """Run every room's daily upkeep; how many records each changed, by name."""
    _discover()
    return {name: upkeep(now) for name, upkeep in _upkeep.items()}


class Recipients:
    """The users who act for each organisation, by access, read in one query."""

    def __init__(self, organisation_ids: set[int]) -> None:
        self.members: dict[int, set[int]] = defaultdict(set)
        self.admins: dict[int, set[int]] = defaultdict(set)
        rows = (
            Membership.objects.current()
            .filter(
                organisation_id__in=organisation_ids,
                access__in=[Access.MEMBER, Access.ADMIN],
                person__user__is_active=True,
            )
            .values_list("organisation_id", "access", "person__user")
        )
        for organisation_id, access, user_id in rows:
            self.members[organisation_id].add(user_id)
            if access == Access.ADMIN:
                self.admins[organisation_id].add(user_id)


# The reminders of the records every model shares.

CHECKIN_DUE = "checkin_due"
CHECKIN_OVERDUE = "checkin_overdue"
OBLIGATION_DUE = "obligation_due"
MOU_UNSIGNED = "mou_unsigned"
HANDOVER_OPEN = "handover_open"
FOLLOW_UP_DUE = "follow_up_due"

OBLIGATION_NOTICE_DAYS = 7
HANDOVER_NOTICE_DAYS = 30


def _active(queryset, field: str = "stage"):
    return queryset.exclude(**{field: Stage.CLOSED})


def _checkin_collaborations() -> tuple[list[Collaboration], Recipients]:
    collaborations = list(
        Collaboration.objects.filter(stage__in=CHECKIN_STAGES, start_date__isnull=False)
        .prefetch_related("checkins")
        .order_by("pk")
    )
    return collaborations, Recipients({party for c in collaborations for party in c.party_ids})


@register(CHECKIN_DUE, gettext_lazy("Check-in due"), order=10)
def checkins_due(today: date) -> Iterator[Due]:
    """Check-ins due today or tomorrow, to the members of each side that has not answered."""
    collaborations, people = _checkin_collaborations()
    tomorrow = today + timedelta(days=1)
    for collaboration in collaborations:
        url = reverse("collaborations:checkins", args=[collaboration.pk])
        answered = {(c.due_on, c.owner_organisation_id) for c in collaboration.checkins.all()}
        for due in collaboration.checkin_due_dates(tomorrow):
            if due < today:
                continue
            for side in collaboration.party_ids:
                if (due, side) in answered:
                    continue
                for user_id in people.members[side]:
                    yield Due(
                        CHECKIN_DUE,
                        f"{CHECKIN_DUE}:{collaboration.pk}:{due}",
                        user_id,
                        collaboration.pk,
                        _("Check-in due %(date)s: %(title)s")
                        % {"date": due.isoformat(), "title": collaboration.title},
                        _(
                            "Your side's check-in for “%(title)s” is due on %(date)s. "
                            "Say how the work is going, what problems you see and how "
                            "well the collaboration works."
                        )
                        % {"title": collaboration.title, "date": due.isoformat()},
                        url,
                        due,
                    )


@register(CHECKIN_OVERDUE, gettext_lazy("Check-in overdue"), order=20)
def checkins_overdue(today: date) -> Iterator[Due]:
    """The latest check-in date each side still owes, to that side's members."""
    collaborations, people = _checkin_collaborations()
    for collaboration in collaborations:
        checkins = list(collaboration.checkins.all())
        url = reverse("collaborations:checkins", args=[collaboration.pk])
        # One reminder per newly missed date, not one per date ever missed: a side that
        # is three check-ins behind hears about it once, when the third is missed.
        latest: dict[int, date] = {}
        owed: dict[int, int] = defaultdict(int)
        for due, side in checkin_overview(collaboration, today, checkins).missing:
            latest[side] = max(latest.get(side, due), due)
            owed[side] += 1
        for side, due in latest.items():
            for user_id in people.members[side]:
                yield Due(
                    CHECKIN_OVERDUE,
                    f"{CHECKIN_OVERDUE}:{collaboration.pk}:{due}",
                    user_id,
                    collaboration.pk,
                    _("Check-in overdue: %(title)s") % {"title": collaboration.title},
                    _("Your side has not given the check-in of %(date)s for “%(title)s”.")
                    % {"date": due.isoformat(), "title": collaboration.title}
                    + " "
                    + ngettext(
                        "%(count)d check-in is owed in all.",
                        "%(count)d check-ins are owed in all.",
                        owed[side],
                    )
                    % {"count": owed[side]},
                    url,
                    due,
                )


@register(OBLIGATION_DUE, gettext_lazy("Obligation due"), order=30)
def obligations_due(today: date) -> Iterator[Due]:
    """Obligations due within a week, and again once they are overdue."""
    obligations = list(
        _active(
            Obligation.objects.exclude(status=ObligationStatus.DONE).filter(
                due_date__isnull=False, due_date__lte=today + timedelta(OBLIGATION_NOTICE_DAYS)
            ),
            "agreement__collaboration__stage",
        )
        .select_related("agreement__collaboration", "owner__user")
        .order_by("pk")
    )
    people = Recipients({o.party_id for o in obligations})
    for obligation in obligations:
        collaboration = obligation.agreement.collaboration
        assert obligation.due_date is not None
        phase = "overdue" if obligation.due_date < today else "soon"
        owner_user = getattr(obligation.owner, "user", None) if obligation.owner else None
        if owner_user is not None and owner_user.is_active:
            recipients = {owner_user.pk}
        else:
            recipients = people.admins[obligation.party_id]
        context = {
            "title": collaboration.title,
            "date": obligation.due_date.isoformat(),
            "obligation": obligation.description[:200],
        }
        subject = (
            _("Obligation overdue since %(date)s: %(title)s")
            if phase == "overdue"
            else _("Obligation due %(date)s: %(title)s")
        ) % context
        for user_id in recipients:
            yield Due(
                OBLIGATION_DUE,
                f"{OBLIGATION_DUE}:{obligation.pk}:{obligation.due_date}-{phase}",
                user_id,
                collaboration.pk,
                subject,
                _("Under the agreement for “%(title)s”, due %(date)s: %(obligation)s") % context,
                reverse("collaborations:agreement", args=[collaboration.pk]),
                obligation.due_date,
            )


@register(MOU_UNSIGNED, gettext_lazy("MOU not signed yet"), order=40)
def mou_unsigned(today: date) -> Iterator[Due]:
    """The admins of each side that has not signed, from N days before the start."""
    notice = timedelta(days=settings.MOU_REMINDER_DAYS)
    collaborations = list(
        _active(
            Collaboration.objects.filter(
                start_date__isnull=False, start_date__gte=today, start_date__lte=today + notice
            )
        )
        .select_related("agreement")
        .order_by("pk")
    )
    signed = set(
        Signature.objects.current()
        .filter(agreement__collaboration__in=collaborations)
        .values_list("agreement__collaboration_id", "party_id")
    )
    people = Recipients({party for c in collaborations for party in c.party_ids})
    for collaboration in collaborations:
        assert collaboration.start_date is not None
        context = {"title": collaboration.title, "date": collaboration.start_date.isoformat()}
        for side in collaboration.party_ids:
            if (collaboration.pk, side) in signed:
                continue
            for user_id in people.admins[side]:
                yield Due(
                    MOU_UNSIGNED,
                    f"{MOU_UNSIGNED}:{collaboration.pk}:{collaboration.start_date}",
                    user_id,
                    collaboration.pk,
                    _("MOU not signed yet: %(title)s") % context,
                    _(
                        "“%(title)s” starts on %(date)s and your side has not signed the "
                        "current version of the MOU."
                    )
                    % context,
                    reverse("collaborations:agreement", args=[collaboration.pk]),
                    collaboration.start_date,
                )


@register(HANDOVER_OPEN, gettext_lazy("Handover tasks open near the end"), order=60)
def handover_open(today: date) -> Iterator[Due]:
    """Open handover tasks of collaborations ending within 30 days."""
    tasks = list(
        _active(
            HandoverTask.objects.filter(
                done_on__isnull=True,
                collaboration__end_date__isnull=False,
                collaboration__end_date__lte=today + timedelta(HANDOVER_NOTICE_DAYS),
            ),
            "collaboration__stage",
        )
        .select_related("collaboration", "owner__user")
        .order_by("pk")
    )
    people = Recipients({t.collaboration.institution_id for t in tasks})
    for handover_task in tasks:
        collaboration = handover_task.collaboration
        assert collaboration.end_date is not None
        owner_user = getattr(handover_task.owner, "user", None) if handover_task.owner else None
        if owner_user is not None and owner_user.is_active:
            recipients = {owner_user.pk}
        else:
            recipients = people.admins[collaboration.institution_id]
        context = {
            "title": collaboration.title,
            "date": collaboration.end_date.isoformat(),
            "task": handover_task.title,
        }
        for user_id in recipients:
            yield Due(
                HANDOVER_OPEN,
                f"{HANDOVER_OPEN}:{handover_task.pk}:{collaboration.end_date}",
                user_id,
                collaboration.pk,
                _("Handover task still open: %(title)s") % context,
                _("“%(title)s” ends on %(date)s and this handover task is open: %(task)s")
                % context,
                reverse("collaborations:handover", args=[collaboration.pk]),
                handover_task.due_date or collaboration.end_date,
            )


@register(FOLLOW_UP_DUE, gettext_lazy("Sustainability follow-up due"), order=70)
def follow_ups_due(today: date) -> Iterator[Due]:
    """Sustainability follow-ups whose day has come and that nobody has answered."""
    follow_ups = list(
        FollowUp.objects.filter(due_on__lte=today, answer="")
        .select_related("collaboration")
        .order_by("pk")
    )
    people = Recipients({f.collaboration.institution_id for f in follow_ups})
    site = settings.SITE_URL.rstrip("/")
    for follow_up in follow_ups:
        collaboration = follow_up.collaboration
        context = {"title": collaboration.title, "months": follow_up.months_after}
        for user_id in people.admins[collaboration.institution_id]:
            yield Due(
                FOLLOW_UP_DUE,
                f"{FOLLOW_UP_DUE}:{follow_up.pk}:{follow_up.due_on}",
                user_id,
                collaboration.pk,
                _("%(months)d months on: does “%(title)s” still run?") % context,
                _(
                    "%(months)d months after “%(title)s” closed, tell us whether your "
                    "institution still runs what was built. The link below needs no account."
                )
                % context,
                site + follow_up.get_absolute_url(),
                follow_up.due_on,
            )


# The deadlines of every collaboration, for the calendar feed

CHECKIN_HORIZON = timedelta(days=366)  # for a collaboration without an end date


@deadlines
def collaboration_deadlines(
    collaborations: dict[int, Collaboration], today: date
) -> Iterator[Deadline]:
    """Each collaboration's start and end, and its check-ins while it is not closed."""
    for c in collaborations.values():
        page = reverse("collaborations:detail", args=[c.pk])
        if c.start_date:
            yield Deadline(
                f"start-{c.pk}", c.start_date, _("Starts: %(title)s") % {"title": c.title}, page
            )
        if c.end_date:
            yield Deadline(
                f"end-{c.pk}", c.end_date, _("Ends: %(title)s") % {"title": c.title}, page
            )
        if c.stage != Stage.CLOSED and c.start_date:
            until = c.end_date or today + CHECKIN_HORIZON
            checkins = reverse("collaborations:checkins", args=[c.pk])
            for due in c.checkin_due_dates(until):
                yield Deadline(
                    f"checkin-{c.pk}-{due:%Y%m%d}",
                    due,
                    _("Check-in: %(title)s") % {"title": c.title},
                    checkins,
                )


@deadlines
def obligation_deadlines(
    collaborations: dict[int, Collaboration], today: date
) -> Iterator[Deadline]:
    obligations = Obligation.objects.filter(
        agreement__collaboration__in=list(collaborations), due_date__isnull=False
    ).values_list("pk", "agreement__collaboration_id", "due_date", "description")
    for pk, collaboration_id, due, description in obligations:
        yield Deadline(
            f"obligation-{pk}",
            due,
            _("Obligation due (%(title)s): %(obligation)s")
            % {"title": collaborations[collaboration_id].title, "obligation": description[:120]},
            reverse("collaborations:agreement", args=[collaboration_id]),
        )


@deadlines
def handover_deadlines(collaborations: dict[int, Collaboration], today: date) -> Iterator[Deadline]:
    """Handover tasks with a due date, and the follow-ups after closing."""
    tasks = HandoverTask.objects.filter(
        collaboration__in=list(collaborations), due_date__isnull=False
    ).values_list("pk", "collaboration_id", "due_date", "title")
    for pk, collaboration_id, due, task_title in tasks:
        yield Deadline(
            f"handover-{pk}",
            due,
            _("Handover task (%(title)s): %(task)s")
            % {"title": collaborations[collaboration_id].title, "task": task_title},
            reverse("collaborations:handover", args=[collaboration_id]),
        )
    follow_ups = FollowUp.objects.filter(collaboration__in=list(collaborations)).values_list(
        "pk", "collaboration_id", "due_on", "months_after"
    )
    for pk, collaboration_id, due, months in follow_ups:
        # The answer link is a secret of its own: the feed points at the handover tab.
        yield Deadline(
            f"follow-up-{pk}",
            due,
            _("%(months)d-month follow-up: %(title)s")
            % {"months": months, "title": collaborations[collaboration_id].title},
            reverse("collaborations:handover", args=[collaboration_id]),
        )
