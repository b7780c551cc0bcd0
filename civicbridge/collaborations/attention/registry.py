"""The attention registry: sources, the viewer, whose item it is, and the merging."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Window
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from civicbridge.partners.choices import Access
from civicbridge.partners.models import Membership
from civicbridge.partners.permissions import acting_organisation_ids

from ..models import Collaboration, Stakeholder

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The order of urgency: a lower number comes first.
SIGNATURE = 10
MONEY = 20
OBLIGATION = 30
ROOM_ITEM = 35  # a fellowship's statements and brief, an event's results
CHECKIN = 40
FOLLOW_UP = 50

HOME_COLLABORATIONS = 10  # collaborations shown on home; the rest are on the full list
FINANCE = "financ"  # a membership's role or post naming finance ("Finance officer", "financial")


@dataclass(frozen=True)
class Viewer:
    """Who asks: the organisations they act for (as a member, as an admin, for finance)."""

    user_id: int
    person_id: int | None
    members: frozenset[int]
    admins: frozenset[int]
    finance: frozenset[int]
    today: date

    @classmethod
    def of(cls, user, today: date | None = None) -> "Viewer":
        members = acting_organisation_ids(user, Access.MEMBER)
        finance: set[int] = set()
        if members:
            finance = set(
                finance_memberships()
                .filter(person_id=user.person_id, organisation_id__in=members)
                .values_list("organisation_id", flat=True)
            )
        return cls(
            user.pk,
            user.person_id,
            frozenset(members),
            frozenset(acting_organisation_ids(user, Access.ADMIN)),
            frozenset(finance),
            today or timezone.localdate(),
        )


def finance_memberships():
    """Current memberships, with an account that may act, whose role or post names finance."""
    return (
        Membership.objects.current()
        .filter(access__in=[Access.MEMBER, Access.ADMIN])
        .filter(Q(role__icontains=FINANCE) | Q(label__icontains=FINANCE))
    )


def _active_account(person: str) -> Exists:
    """The person at the path `person` of the outer row has an active account."""
    return Exists(get_user_model().objects.filter(person=OuterRef(person), is_active=True))


def for_named_or_admins(viewer: Viewer, side: str, collaboration: str, roles: Iterable[str]) -> Q:
    """Rows owed by the side at path `side` that are the viewer's: they are named on the
    collaboration (at path `collaboration`) for that side in one of `roles`, or they are
    an admin of the side and nobody of it with an account is named in those roles."""
    roles = list(roles)
    named = Stakeholder.objects.filter(
        collaboration=OuterRef(collaboration), organisation=OuterRef(side), role__in=roles
    )
    me = Exists(named.filter(person_id=viewer.person_id)) if viewer.person_id else Q(pk=None)
    anyone = Exists(named.filter(person__user__is_active=True))
    return Q(**{f"{side}__in": viewer.members}) & (
        Q(me) | (Q(**{f"{side}__in": viewer.admins}) & ~Q(anyone))
    )


def for_owner_or_admins(viewer: Viewer, side: str, owner: str) -> Q:
    """Rows owed by the side at path `side` with an owner (a person, at path `owner`): the
    owner's, when they have an account; else the side's admins'."""
    mine = Q(**{owner: viewer.person_id}) if viewer.person_id else Q(pk=None)
    unowned = Q(**{f"{owner}__isnull": True}) | ~Q(_active_account(owner))
    return Q(**{f"{side}__in": viewer.members}) & (
        mine | (Q(**{f"{side}__in": viewer.admins}) & unowned)
    )


def for_finance_or_admins(viewer: Viewer, side: str) -> Q:
    """Money rows of the side at path `side`: its finance people's, else its admins'."""
    anyone = Exists(
        finance_memberships().filter(organisation=OuterRef(side), person__user__is_active=True)
    )
    return Q(**{f"{side}__in": viewer.finance}) | (Q(**{f"{side}__in": viewer.admins}) & ~Q(anyone))


def for_admins(viewer: Viewer, side: str) -> Q:
    return Q(**{f"{side}__in": viewer.admins})


def within(rows: QuerySet, collaboration: str, scope) -> QuerySet:
    """`rows` of the collaborations in `scope` (ids or a queryset), or all when None."""
    return rows if scope is None else rows.filter(**{f"{collaboration}__in": scope})


def counted(rows: QuerySet, collaboration: str, scope, since: str) -> QuerySet:
    """`rows` within `scope`, counted per collaboration (`n`) with the earliest `since`:
    the shape most sources answer in, oldest first."""
    rows = within(rows, collaboration, scope)
    if collaboration == "collaboration":
        rows = rows.values("collaboration_id")
    else:
        rows = rows.values(collaboration_id=F(f"{collaboration}_id"))
    return rows.annotate(n=Count("pk"), since=Min(since)).order_by("since", "collaboration_id")


@dataclass
class Line:
    """One line of what needs the viewer: one kind of thing in one collaboration."""

    source: "Source"
    collaboration: Collaboration
    count: int
    since: date | None
    text: str
    url: str
    action: str
    amount: str = ""

    @property
    def kind(self) -> str:
        return self.source.kind

    @property
    def urgency(self) -> int:
        return self.source.urgency

    @property
    def key(self) -> tuple:
        return (self.urgency, self.source.order, self.since or date.max, self.collaboration.pk)


class Source:
    """A kind of thing people must do; a room subclasses it and decorates it `@register`.

    `rows(viewer, scope)` returns a values queryset, one row per collaboration (and
    currency, for money): `collaboration_id`, `since` (a date or a datetime), and where
    they apply `n` (how many) and `amount` and `currency`; ordered by `since`. It must
    keep to the collaborations in `scope` (see `within`). `line` puts a row into words.
    """

    kind: str = ""
    label: "StrOrPromise" = ""
    urgency: int = FOLLOW_UP
    order: int = 0

    def rows(self, viewer: Viewer, scope) -> QuerySet:
        raise NotImplementedError

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        raise NotImplementedError

    def make(
        self,
        row: dict[str, Any],
        collaboration: Collaboration,
        text: str,
        url: str,
        action: str,
        amount: str = "",
    ) -> Line:
        """A line of this source from `row`, with its words."""
        return Line(
            self, collaboration, row.get("n", 1), as_date(row["since"]), text, url, action, amount
        )


def as_date(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


_sources: dict[str, Source] = {}
_discovered = False


def register(source_class: type[Source]) -> type[Source]:
    """Register a source of things to do; its `kind` names it, once."""
    source = source_class()
    if not source.kind:
        raise ValueError(f"{source_class.__name__} has no kind.")
    if source.kind in _sources and type(_sources[source.kind]) is not source_class:
        raise ValueError(f"Things to do of kind {source.kind!r} have a source already.")
    source.order = len(_sources) if source.kind not in _sources else _sources[source.kind].order
    _sources[source.kind] = source
    return source_class


def sources() -> list[Source]:
    """Every registered source, most urgent first."""
    global _discovered
    if not _discovered:
        autodiscover_modules("attention")
        _discovered = True
    return sorted(_sources.values(), key=lambda source: (source.urgency, source.order))


def kind_choices() -> list[tuple[str, "StrOrPromise"]]:
    return [(source.kind, source.label) for source in sources()]


def _lines(pairs: list[tuple[Source, dict]], viewer: Viewer) -> list[Line]:
    """Put rows into words, with their collaborations read in one query."""
    ids = {row["collaboration_id"] for _source, row in pairs}
    collaborations = Collaboration.objects.select_related(
        "civic_organisation", "institution"
    ).in_bulk(ids)
    return [
        source.line(row, collaborations[row["collaboration_id"]], viewer)
        for source, row in pairs
        if row["collaboration_id"] in collaborations
    ]


@dataclass
class Group:
    """What needs the viewer in one collaboration, most urgent first."""

    collaboration: Collaboration
    lines: list[Line] = field(default_factory=list)


@dataclass
class NeedsYou:
    """Home's part: the most urgent collaborations, and how many lines are left out."""

    groups: list[Group]
    total: int

    @property
    def shown(self) -> int:
        return sum(len(group.lines) for group in self.groups)

    @property
    def more(self) -> int:
        return self.total - self.shown


def needs_you(viewer: Viewer, collaborations: int = HOME_COLLABORATIONS) -> NeedsYou:
    """The `collaborations` most urgent collaborations with every line of each.

    Two queries per source: its most urgent rows, each with how many there are in all
    (a window over the rows, so the count needs no query of its own), and its rows in the
    collaborations chosen. A collaboration ranks by its most urgent line; it is among the
    first N only if that line is among its source's first N, so N rows per source suffice.
    """
    if not viewer.members:
        return NeedsYou([], 0)
    every = sources()
    best: dict[int, tuple] = {}
    total = 0
    for order, source in enumerate(every):
        first = list(source.rows(viewer, None).annotate(lines=Window(Count("*")))[:collaborations])
        total += first[0]["lines"] if first else 0
        for row in first:
            key = (order, as_date(row["since"]) or date.max)
            best[row["collaboration_id"]] = min(best.get(row["collaboration_id"], key), key)
    chosen = sorted(best, key=lambda pk: (best[pk], pk))[:collaborations]
    if not chosen:
        return NeedsYou([], total)
    pairs = [(source, row) for source in every for row in source.rows(viewer, chosen)]
    groups: dict[int, Group] = {}
    for line in sorted(_lines(pairs, viewer), key=lambda line: line.key):
        groups.setdefault(line.collaboration.pk, Group(line.collaboration)).lines.append(line)
    ordered = [groups[pk] for pk in chosen if pk in groups]
    return NeedsYou(ordered, total)


class AllLines:
    """Every line of what needs the viewer, most urgent first, sliced in the database:
    a Paginator counts it (one query per source) and takes one page (a query for each
    source the page reaches, and one for the collaborations)."""

    def __init__(self, viewer: Viewer, *, kind: str = "", scope=None) -> None:
        self.viewer = viewer
        self.scope = scope
        self.sources = [s for s in sources() if not kind or s.kind == kind]
        self._counts: list[int] | None = None

    def _rows(self, source: Source) -> QuerySet:
        return source.rows(self.viewer, self.scope)

    def counts(self) -> list[int]:
        if self._counts is None:
            if not self.viewer.members:
                self._counts = [0 for _source in self.sources]
            else:
                self._counts = [self._rows(source).count() for source in self.sources]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Line]:
        start, stop = index.start or 0, index.stop
        pairs: list[tuple[Source, dict]] = []
        for source, count in zip(self.sources, self.counts(), strict=True):
            if stop is not None and stop <= 0:
                break
            if start >= count:
                start -= count
                stop = None if stop is None else stop - count
                continue
            end = count if stop is None else min(stop, count)
            pairs += [(source, row) for row in self._rows(source)[start:end]]
            start, stop = 0, None if stop is None else stop - count
        return sorted(_lines(pairs, self.viewer), key=lambda line: line.key)


def all_lines(viewer: Viewer, *, kind: str = "", scope=None) -> AllLines:
    return AllLines(viewer, kind=kind, scope=scope)
