"""The reminders and deadlines of the records every model shares."""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicbridge.core import formats

from ..choices import ObligationStatus, Stage
from ..models import Collaboration, FollowUp, HandoverTask, Obligation, OwedCheckIn, Signature
from ..models.health import refresh_health
from ..queries import CHECKIN_STAGES

if TYPE_CHECKING:
    pass


from civicbridge.partners.choices import Access
from civicbridge.partners.models import Membership

from .registry import (
    Deadline,
    Due,
    Recipients,
    daily_upkeep,
    deadlines,
    register,
    settled,
    settled_by_object,
)

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


def _owed_checkins(until: date, since: datetime | None):
    """Each side's check-ins owed by `until` in collaborations taking check-ins, from what
    `OwedCheckIn` keeps (a side's latest update covers every earlier date), with the
    members of each side; with `since`, only what changed since then (a check-in, the
    stage, the dates, the cadence or a party: each refreshes the row). What a new day makes
    due is read by the day's first pass, which reads everything."""
    rows = OwedCheckIn.objects.filter(first_due__lte=until, collaboration__stage__in=CHECKIN_STAGES)
    if since is not None:
        rows = rows.filter(updated_at__gte=since)
    owed = list(
        rows.select_related("collaboration").order_by("collaboration_id", "organisation_id")
    )
    return owed, Recipients({row.organisation_id for row in owed})


@register(CHECKIN_DUE, gettext_lazy("Check-in due"), order=10)
def checkins_due(today: date, since: datetime | None = None) -> Iterator[Due]:
    """Check-ins due today or tomorrow, to the members of each side that has not answered."""
    tomorrow = today + timedelta(days=1)
    owed, people = _owed_checkins(tomorrow, since)
    for row in owed:
        collaboration = row.collaboration
        assert row.first_due is not None  # filtered so
        url = reverse("collaborations:checkins", args=[collaboration.pk])
        for due in collaboration.checkin_dates_between(max(today, row.first_due), tomorrow):
            for user_id in people.members[row.organisation_id]:
                yield Due(
                    CHECKIN_DUE,
                    f"{CHECKIN_DUE}:{collaboration.pk}:{due}",
                    user_id,
                    collaboration.pk,
                    _("Check-in due %(date)s: %(title)s")
                    % {"date": formats.day(due), "title": collaboration.title},
                    _(
                        "Your side's check-in for “%(title)s” is due on %(date)s. "
                        "Say how the work is going, what problems you see and how "
                        "well the collaboration works."
                    )
                    % {"title": collaboration.title, "date": formats.day(due)},
                    url,
                    due,
                )


@register(CHECKIN_OVERDUE, gettext_lazy("Check-in overdue"), order=20)
def checkins_overdue(today: date, since: datetime | None = None) -> Iterator[Due]:
    """The latest check-in date each side still owes, to that side's members."""
    owed, people = _owed_checkins(today - timedelta(days=1), since)
    for row in owed:
        collaboration = row.collaboration
        # One reminder per newly missed date, not one per date ever missed: a side that
        # is three check-ins behind hears about it once, when the third is missed; one
        # update for that date covers the three.
        count = collaboration.checkins_overdue_from(row.first_due, today)
        if not count:
            continue
        assert row.first_due is not None  # counted so
        due = row.first_due + timedelta(days=(count - 1) * collaboration.checkin_every_days)
        url = reverse("collaborations:checkins", args=[collaboration.pk])
        for user_id in people.members[row.organisation_id]:
            yield Due(
                CHECKIN_OVERDUE,
                f"{CHECKIN_OVERDUE}:{collaboration.pk}:{due}",
                user_id,
                collaboration.pk,
                _("Check-in overdue: %(title)s") % {"title": collaboration.title},
                _("Your side has not given the check-in of %(date)s for “%(title)s”.")
                % {"date": formats.day(due), "title": collaboration.title}
                + " "
                + ngettext(
                    "%(count)d check-in is owed in all: one update covers them.",
                    "%(count)d check-ins are owed in all: one update covers them.",
                    count,
                )
                % {"count": count},
                url,
                due,
            )


@register(OBLIGATION_DUE, gettext_lazy("Obligation due"), order=30)
def obligations_due(today: date, since: datetime | None = None) -> Iterator[Due]:
    """Obligations due within a week, and again once they are overdue."""
    soon = _active(
        Obligation.objects.exclude(status=ObligationStatus.DONE).filter(
            due_date__isnull=False, due_date__lte=today + timedelta(OBLIGATION_NOTICE_DAYS)
        ),
        "agreement__collaboration__stage",
    )
    if since is not None:
        soon = soon.filter(updated_at__gte=since)
    obligations = list(
        soon.select_related("agreement__collaboration", "owner__user").order_by("pk")
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
            "date": formats.day(obligation.due_date),
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
def mou_unsigned(today: date, since: datetime | None = None) -> Iterator[Due]:
    """The admins of each side that has not signed, from N days before the start."""
    notice = timedelta(days=settings.MOU_REMINDER_DAYS)
    starting = _active(
        Collaboration.objects.filter(
            start_date__isnull=False, start_date__gte=today, start_date__lte=today + notice
        )
    )
    if since is not None:
        # A start moved, a new version of the MOU, or a signature voided.
        changed = (
            Q(updated_at__gte=since)
            | Q(agreement__updated_at__gte=since)
            | Q(agreement__signatures__voided_at__gte=since)
        )
        starting = starting.filter(pk__in=Collaboration.objects.filter(changed).values("pk"))
    collaborations = list(starting.select_related("agreement").order_by("pk"))
    signed = set(
        Signature.objects.current()
        .filter(agreement__collaboration__in=collaborations)
        .values_list("agreement__collaboration_id", "party_id")
    )
    people = Recipients({party for c in collaborations for party in c.party_ids})
    for collaboration in collaborations:
        assert collaboration.start_date is not None
        context = {"title": collaboration.title, "date": formats.day(collaboration.start_date)}
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
def handover_open(today: date, since: datetime | None = None) -> Iterator[Due]:
    """Open handover tasks of collaborations ending within 30 days."""
    open_tasks = _active(
        HandoverTask.objects.filter(
            done_on__isnull=True,
            collaboration__end_date__isnull=False,
            collaboration__end_date__lte=today + timedelta(HANDOVER_NOTICE_DAYS),
        ),
        "collaboration__stage",
    )
    if since is not None:
        open_tasks = open_tasks.filter(
            Q(updated_at__gte=since) | Q(collaboration__updated_at__gte=since)
        )
    tasks = list(open_tasks.select_related("collaboration", "owner__user").order_by("pk"))
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
            "date": formats.day(collaboration.end_date),
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
def follow_ups_due(today: date, since: datetime | None = None) -> Iterator[Due]:
    """Sustainability follow-ups whose day has come and that nobody has answered."""
    unanswered = FollowUp.objects.filter(due_on__lte=today, answer="")
    if since is not None:
        unanswered = unanswered.filter(updated_at__gte=since)
    follow_ups = list(unanswered.select_related("collaboration").order_by("pk"))
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
        assert due is not None  # filtered above
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
        assert due is not None  # filtered above
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


# Which reminders are about a thing done since: the scheduler settles them.


def _sides_of_recipient() -> Subquery:
    """The organisations the outer-outer reminder's recipient acts for as a member or an
    admin (as a viewer, they owe nothing)."""
    return Subquery(
        Membership.objects.current()
        .filter(
            person__user=OuterRef(OuterRef("recipient")),
            access__in=[Access.MEMBER, Access.ADMIN],
        )
        .values("organisation_id")
    )


@settled(CHECKIN_DUE)
@settled(CHECKIN_OVERDUE)
def checkins_given(reminders) -> Iterable[int]:
    """A check-in reminder is settled once no side of its recipient owes its date: an
    update for that date or a later one covers it (or the collaboration took no more)."""
    still_owed = OwedCheckIn.objects.filter(
        collaboration=OuterRef("collaboration"),
        collaboration__stage__in=CHECKIN_STAGES,
        first_due__lte=OuterRef("due_on"),
        organisation_id__in=_sides_of_recipient(),
    )
    return reminders.filter(~Exists(still_owed)).values_list("pk", flat=True)


@settled(OBLIGATION_DUE)
def obligations_done(reminders) -> Iterable[int]:
    return settled_by_object(
        reminders,
        lambda ids: _active(
            Obligation.objects.filter(pk__in=ids).exclude(status=ObligationStatus.DONE),
            "agreement__collaboration__stage",
        ).values_list("pk", flat=True),
    )


@settled(MOU_UNSIGNED)
def mou_signed(reminders) -> Iterable[int]:
    """Settled once the recipient's side signed the MOU's current version, or it closed."""
    signed = Signature.objects.current().filter(
        agreement__collaboration=OuterRef("collaboration"), party_id__in=_sides_of_recipient()
    )
    return reminders.filter(Q(Exists(signed)) | Q(collaboration__stage=Stage.CLOSED)).values_list(
        "pk", flat=True
    )


@settled(HANDOVER_OPEN)
def handover_done(reminders) -> Iterable[int]:
    return settled_by_object(
        reminders,
        lambda ids: _active(
            HandoverTask.objects.filter(pk__in=ids, done_on__isnull=True), "collaboration__stage"
        ).values_list("pk", flat=True),
    )


@settled(FOLLOW_UP_DUE)
def follow_ups_answered(reminders) -> Iterable[int]:
    return settled_by_object(
        reminders,
        lambda ids: FollowUp.objects.filter(pk__in=ids, answer="").values_list("pk", flat=True),
    )


@daily_upkeep("health")
def work_out_health(now: datetime) -> int:
    """Work out each collaboration's health for the new day before anyone opens home, so
    the first portfolio of the morning counts flags instead of working them out."""
    return refresh_health(Collaboration.objects.all(), timezone.localdate(now))
