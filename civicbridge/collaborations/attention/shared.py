"""What needs people in the records every model shares: the MOU's signatures, obligations,
handover tasks, check-ins and sustainability follow-ups."""

from datetime import timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicbridge.core import formats

from ..choices import ObligationStatus, Stage, StakeholderRole
from ..models import (
    Agreement,
    Collaboration,
    FollowUp,
    HandoverTask,
    Obligation,
    OwedCheckIn,
    Signature,
)
from ..queries import CHECKIN_STAGES
from .registry import (
    CHECKIN,
    FOLLOW_UP,
    OBLIGATION,
    SIGNATURE,
    Line,
    Source,
    Viewer,
    counted,
    for_admins,
    for_named_or_admins,
    for_owner_or_admins,
    register,
    within,
)

SOON = timedelta(days=7)  # an obligation due within a week needs its owner already
# The roles that give a side's check-in: whoever of them is named on the collaboration.
CHECKIN_ROLES = (StakeholderRole.PROGRAMME_LEAD, StakeholderRole.SUPERVISOR, StakeholderRole.FELLOW)


def _unsigned_by(party: str) -> Q:
    """No signature of the party at path `party` stands on the agreement's version."""
    return ~Q(
        Exists(
            Signature.objects.valid().filter(
                agreement=OuterRef("pk"), version=OuterRef("version"), party=OuterRef(party)
            )
        )
    )


@register
class MouUnsigned(Source):
    """An MOU with terms or obligations that the viewer's side has not signed yet: the
    agreement gates the stages after it."""

    kind = "mou_unsigned"
    label = gettext_lazy("MOU to sign")
    urgency = SIGNATURE

    def rows(self, viewer: Viewer, scope):
        agreements = (
            Agreement.objects.exclude(collaboration__stage=Stage.CLOSED)
            .filter(
                (
                    for_admins(viewer, "collaboration__civic_organisation")
                    & (_unsigned_by("collaboration__civic_organisation"))
                )
                | (
                    for_admins(viewer, "collaboration__institution")
                    & (_unsigned_by("collaboration__institution"))
                )
            )
            .filter(Q(Exists(Obligation.objects.filter(agreement=OuterRef("pk")))) | ~Q(terms=""))
        )
        return (
            within(agreements, "collaboration", scope)
            .values("collaboration_id", since=F("updated_at"))
            .order_by("since", "collaboration_id")
        )

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            _("The MOU waits for your side's signature"),
            reverse("collaborations:agreement", args=[collaboration.pk]),
            _("Read and sign"),
        )


@register
class ObligationsDue(Source):
    """Obligations not done that are overdue or due within a week, for their owners."""

    kind = "obligations"
    label = gettext_lazy("Obligations due")
    urgency = OBLIGATION

    def rows(self, viewer: Viewer, scope):
        obligations = (
            Obligation.objects.exclude(status=ObligationStatus.DONE)
            .exclude(agreement__collaboration__stage=Stage.CLOSED)
            .filter(due_date__lte=viewer.today + SOON)
            .filter(for_owner_or_admins(viewer, "party", "owner"))
        )
        return counted(obligations, "agreement__collaboration", scope, "due_date")

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        when = {"count": row["n"], "date": formats.day(row["since"])}
        if row["since"] < viewer.today:
            text = ngettext(
                "%(count)d obligation overdue since %(date)s",
                "%(count)d obligations open, overdue since %(date)s",
                row["n"],
            )
        else:
            text = ngettext(
                "%(count)d obligation due on %(date)s",
                "%(count)d obligations due, the first on %(date)s",
                row["n"],
            )
        return self.make(
            row,
            collaboration,
            text % when,
            reverse("collaborations:agreement", args=[collaboration.pk]),
            _("See the agreement"),
        )


@register
class HandoverOverdue(Source):
    """Handover tasks past their due date, for their owners (the institution takes over)."""

    kind = "handover"
    label = gettext_lazy("Handover tasks overdue")
    urgency = OBLIGATION

    def rows(self, viewer: Viewer, scope):
        tasks = (
            HandoverTask.objects.filter(done_on__isnull=True, due_date__lt=viewer.today)
            .exclude(collaboration__stage=Stage.CLOSED)
            .filter(for_owner_or_admins(viewer, "collaboration__institution", "owner"))
        )
        return counted(tasks, "collaboration", scope, "due_date")

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            ngettext(
                "%(count)d handover task overdue since %(date)s",
                "%(count)d handover tasks overdue since %(date)s",
                row["n"],
            )
            % {"count": row["n"], "date": formats.day(row["since"])},
            reverse("collaborations:handover", args=[collaboration.pk]),
            _("See the handover"),
        )


def owed_checkins(viewer: Viewer):
    """The viewer's sides' check-ins owed today, one row per collaboration and side."""
    return OwedCheckIn.objects.filter(
        for_named_or_admins(viewer, "organisation", "collaboration", CHECKIN_ROLES),
        first_due__lt=viewer.today,
        collaboration__stage__in=CHECKIN_STAGES,
    )


@register
class CheckinsOverdue(Source):
    """Check-ins a side owes: one line however many dates, since one update covers them."""

    kind = "checkins"
    label = gettext_lazy("Check-ins overdue")
    urgency = CHECKIN

    def rows(self, viewer: Viewer, scope):
        return (
            within(owed_checkins(viewer), "collaboration", scope)
            .values("collaboration_id", since=F("first_due"))
            .order_by("since", "collaboration_id")
        )

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        count = collaboration.checkins_overdue_from(row["since"], viewer.today)
        line = self.make(
            row,
            collaboration,
            ngettext(
                "%(count)d check-in overdue since %(month)s — give one update",
                "%(count)d check-ins overdue since %(month)s — give one update",
                count,
            )
            % {"count": count, "month": formats.month(row["since"])},
            reverse("collaborations:checkin_create", args=[collaboration.pk]),
            _("Give one update"),
        )
        line.count = count
        return line


@register
class FollowUpsDue(Source):
    """Sustainability follow-ups whose day has come, for the institution's admins."""

    kind = "follow_ups"
    label = gettext_lazy("Follow-ups to answer")
    urgency = FOLLOW_UP

    def rows(self, viewer: Viewer, scope):
        follow_ups = FollowUp.objects.filter(due_on__lte=viewer.today, answer="").filter(
            for_admins(viewer, "collaboration__institution")
        )
        return counted(follow_ups, "collaboration", scope, "due_on")

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            _("Does your institution still run what was built? Asked on %(date)s")
            % {"date": formats.day(row["since"])},
            reverse("collaborations:handover", args=[collaboration.pk]),
            _("Answer the follow-up"),
        )
