"""The reminder registry itself: kinds, sources, what is recorded on sending, upkeep and
deadlines, and the recipients of an organisation by access."""

import inspect
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import autodiscover_modules

from civicbridge.partners.choices import Access
from civicbridge.partners.models import Membership

from ..models import Collaboration

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


# A source of `today`, or of `today` and `since` (see `register`).
Source = Callable[..., Iterator[Due]]
OnSent = Callable[[Any], None]
Upkeep = Callable[[datetime], int]
Settled = Callable[[Any], Iterable[int]]

_kinds: dict[str, Kind] = {}
_sources: dict[str, Source] = {}
_incremental: set[str] = set()  # the kinds whose source takes `since`
_on_sent: dict[str, OnSent] = {}
_upkeep: dict[str, Upkeep] = {}
_settled: dict[str, Settled] = {}
_discovered = False


class ReminderAlreadyRegistered(Exception):
    pass


def register(
    kind: str, label: "StrOrPromise", *, order: int = 1000, chosen: bool = True
) -> Callable[[Source], Source]:
    """Register the decorated generator as the source of the reminders of `kind`.

    `order` places the kind in the lists of kinds (the preferences page); `chosen=False`
    for reminders to e-mail addresses, whose kind no user chooses a channel for.

    A source is called with `today`. One that also takes `since` is called with it: None on
    the first pass of a day (and on a full pass), when it yields every reminder due that
    day; on a later pass the same day, the time the pass before it began (less a margin),
    when it need only yield what the records changed since then make due. What falls due
    with the date is found by the first pass of the next day. A reminder yielded twice is
    still created once.
    """

    def decorator(source: Source) -> Source:
        if kind in _sources and _sources[kind] is not source:
            raise ReminderAlreadyRegistered(f"Reminders of kind {kind!r} have a source already.")
        _kinds[kind] = Kind(kind, label, order, chosen)
        _sources[kind] = source
        if "since" in inspect.signature(source).parameters:
            _incremental.add(kind)
        else:
            _incremental.discard(kind)
        return source

    return decorator


def on_sent(kind: str) -> Callable[[OnSent], OnSent]:
    """Call the decorated function with each reminder of `kind` as it is marked sent, in the
    same transaction: what the room records of the sending is written with the mark."""

    def decorator(callback: OnSent) -> OnSent:
        _on_sent[kind] = callback
        return callback

    return decorator


def settled(kind: str) -> Callable[[Settled], Settled]:
    """Register the decorated function as what tells which reminders of `kind` are about a
    thing done since (the check-in given, the obligation done, the invoice paid).

    It takes a queryset of the kind's reminders not settled yet and returns the ids of
    those whose thing is no longer owed, in a fixed number of queries; the scheduler's
    pass marks them settled, so that none is sent any more and their inbox items show
    as done.
    """

    def decorator(function: Settled) -> Settled:
        _settled[kind] = function
        return function

    return decorator


def settlers() -> dict[str, Settled]:
    """What tells, for each kind that registered it, which reminders are settled."""
    _discover()
    return dict(_settled)


def settled_by_object(reminders, still_owed: Callable[[set[int]], Iterable[int]]) -> list[int]:
    """The ids of `reminders` whose object (the id in their key) is no longer among those
    `still_owed(ids)` returns: done, or removed."""
    objects = {pk: object_id(key) for pk, key in reminders.values_list("pk", "key")}
    owed = set(still_owed(set(objects.values()))) if objects else set()
    return [pk for pk, object_pk in objects.items() if object_pk not in owed]


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
    _settled.pop(kind, None)
    _incremental.discard(kind)


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


def due_reminders(today: date, since: datetime | None = None) -> Iterator[Due]:
    """Every reminder due on `today`, for every recipient, from every registered source;
    with `since`, the sources that can (`register`) look only at what changed since."""
    for kind in kinds():
        source = _sources[kind.value]
        if kind.value in _incremental:
            yield from source(today, since)
        else:
            yield from source(today)


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
