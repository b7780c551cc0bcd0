"""What is due today: the reminders the collaboration and fellowship records call for.

`due_reminders(today)` only reads. Each `Due` carries a key "kind:object-id:period" whose
period makes it once per period (a check-in date, a due date, a start date); the sender
turns it into a `Reminder` row that the key keeps unique per recipient.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.collaborations.choices import Model, ObligationStatus, Stage
from civicbridge.collaborations.models import (
    Collaboration,
    FollowUp,
    HandoverTask,
    Obligation,
    Signature,
)
from civicbridge.collaborations.queries import CHECKIN_STAGES, checkin_overview
from civicbridge.fellowships.models import Placement
from civicbridge.fellowships.services import brief_days_before_start
from civicbridge.partners.choices import Access
from civicbridge.partners.models import Membership
from civicbridge.procurement.models import Invoice
from civicbridge.procurement.queries import invoice_row, with_money

from .choices import ReminderKind

OBLIGATION_NOTICE_DAYS = 7
HANDOVER_NOTICE_DAYS = 30
INVOICE_CHASE_DAYS = 30  # an unpaid invoice is raised again every 30 days it stays overdue


@dataclass(frozen=True)
class Due:
    """One reminder owed to one person today."""

    kind: str
    key: str
    recipient_id: int
    collaboration_id: int
    subject: str
    body: str
    url: str
    due_on: date | None


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


def _active(queryset, field: str = "stage"):
    return queryset.exclude(**{field: Stage.CLOSED})


def due_reminders(today: date) -> list[Due]:
    """Every reminder due on `today`, for every recipient."""
    return [
        *checkin_reminders(today),
        *obligation_reminders(today),
        *mou_reminders(today),
        *brief_reminders(today),
        *handover_reminders(today),
        *follow_up_reminders(today),
        *invoice_reminders(today),
    ]


def checkin_reminders(today: date) -> Iterator[Due]:
    """Check-ins due today or tomorrow, and the latest date each side still owes."""
    collaborations = list(
        Collaboration.objects.filter(stage__in=CHECKIN_STAGES, start_date__isnull=False)
        .prefetch_related("checkins")
        .order_by("pk")
    )
    parties = {party for c in collaborations for party in c.party_ids}
    people = Recipients(parties)
    tomorrow = today + timedelta(days=1)
    for collaboration in collaborations:
        checkins = list(collaboration.checkins.all())
        url = reverse("collaborations:checkins", args=[collaboration.pk])
        answered = {(c.due_on, c.owner_organisation_id) for c in checkins}
        for due in collaboration.checkin_due_dates(tomorrow):
            if due < today:
                continue
            for side in collaboration.party_ids:
                if (due, side) in answered:
                    continue
                for user_id in people.members[side]:
                    yield Due(
                        ReminderKind.CHECKIN_DUE,
                        f"{ReminderKind.CHECKIN_DUE}:{collaboration.pk}:{due}",
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
                    ReminderKind.CHECKIN_OVERDUE,
                    f"{ReminderKind.CHECKIN_OVERDUE}:{collaboration.pk}:{due}",
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


def obligation_reminders(today: date) -> Iterator[Due]:
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
                ReminderKind.OBLIGATION_DUE,
                f"{ReminderKind.OBLIGATION_DUE}:{obligation.pk}:{obligation.due_date}-{phase}",
                user_id,
                collaboration.pk,
                subject,
                _("Under the agreement for “%(title)s”, due %(date)s: %(obligation)s") % context,
                reverse("collaborations:agreement", args=[collaboration.pk]),
                obligation.due_date,
            )


def mou_reminders(today: date) -> Iterator[Due]:
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
                    ReminderKind.MOU_UNSIGNED,
                    f"{ReminderKind.MOU_UNSIGNED}:{collaboration.pk}:{collaboration.start_date}",
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


def brief_reminders(today: date) -> Iterator[Due]:
    """Fellowships whose brief the host has not sent by the playbook's deadline."""
    placements = list(
        _active(
            Placement.objects.filter(
                collaboration__model=Model.FELLOWSHIP,
                start_date__gte=today,
                brief__delivered_at__isnull=True,
            ),
            "collaboration__stage",
        )
        .select_related("collaboration")
        .order_by("pk")
    )
    days_by_model: dict[str, int] = {}
    people = Recipients({p.collaboration.institution_id for p in placements})
    for placement in placements:
        collaboration = placement.collaboration
        if collaboration.model not in days_by_model:
            days_by_model[collaboration.model] = brief_days_before_start(collaboration)
        deadline = placement.start_date - timedelta(days=days_by_model[collaboration.model])
        if today <= deadline:
            continue
        context = {"title": collaboration.title, "date": deadline.isoformat()}
        for user_id in people.admins[collaboration.institution_id]:
            yield Due(
                ReminderKind.BRIEF_LATE,
                f"{ReminderKind.BRIEF_LATE}:{placement.pk}:{deadline}",
                user_id,
                collaboration.pk,
                _("Preparation brief late: %(title)s") % context,
                _(
                    "The fellow of “%(title)s” should have had the preparation brief by "
                    "%(date)s. Write it and send it from the preparation tab."
                )
                % context,
                reverse("fellowships:brief", args=[collaboration.pk]),
                deadline,
            )


def handover_reminders(today: date) -> Iterator[Due]:
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
                ReminderKind.HANDOVER_OPEN,
                f"{ReminderKind.HANDOVER_OPEN}:{handover_task.pk}:{collaboration.end_date}",
                user_id,
                collaboration.pk,
                _("Handover task still open: %(title)s") % context,
                _("“%(title)s” ends on %(date)s and this handover task is open: %(task)s")
                % context,
                reverse("collaborations:handover", args=[collaboration.pk]),
                handover_task.due_date or collaboration.end_date,
            )


def follow_up_reminders(today: date) -> Iterator[Due]:
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
                ReminderKind.FOLLOW_UP_DUE,
                f"{ReminderKind.FOLLOW_UP_DUE}:{follow_up.pk}:{follow_up.due_on}",
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


def invoice_reminders(today: date) -> Iterator[Due]:
    """Unpaid invoices past their due date, for the supplier's members and admins (those
    who keep its books): the day after, and again every 30 days while still unpaid."""
    invoices = list(
        with_money(Invoice.objects.filter(settled_on__isnull=True, due_on__lt=today))
        .select_related("contract__buyer", "contract__collaboration")
        .order_by("pk")
    )
    people = Recipients({invoice.supplier_id for invoice in invoices})
    for invoice in invoices:
        row = invoice_row(invoice, today)
        period = (row.days_overdue - 1) // INVOICE_CHASE_DAYS
        collaboration = invoice.contract.collaboration
        context = {
            "number": invoice.number,
            "buyer": invoice.contract.buyer.name,
            "owed": row.outstanding,
            "date": invoice.due_on.isoformat(),
            "days": row.days_overdue,
            "title": collaboration.title,
        }
        for user_id in people.members[invoice.supplier_id]:
            yield Due(
                ReminderKind.INVOICE_OVERDUE,
                f"{ReminderKind.INVOICE_OVERDUE}:{invoice.pk}:{invoice.due_on}-{period}",
                user_id,
                collaboration.pk,
                _("Invoice %(number)s overdue: %(buyer)s") % context,
                ngettext(
                    "%(buyer)s still owes %(owed)s on invoice %(number)s for “%(title)s”, "
                    "due %(date)s: %(days)d day overdue.",
                    "%(buyer)s still owes %(owed)s on invoice %(number)s for “%(title)s”, "
                    "due %(date)s: %(days)d days overdue.",
                    row.days_overdue,
                )
                % context,
                reverse("procurement:invoices", args=[collaboration.pk]),
                invoice.due_on,
            )
