"""What needs people in policy development: milestones past their day, and policy changes
whose stage has had no news for a long time. Both are both sides' to act on: each side's
admins see them."""

from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicbridge.collaborations.attention import (
    OBLIGATION,
    ROOM_ITEM,
    Line,
    Source,
    Viewer,
    counted,
    register,
    within,
)
from civicbridge.collaborations.models import Collaboration
from civicbridge.core import formats

from .reminders import STALE_AFTER, open_changes, open_milestones


def _either_side(viewer: Viewer, collaboration: str) -> Q:
    return Q(**{f"{collaboration}__civic_organisation__in": viewer.admins}) | Q(
        **{f"{collaboration}__institution__in": viewer.admins}
    )


@register
class MilestonesOverdue(Source):
    kind = "policy_milestones"
    label = gettext_lazy("Commitment milestones overdue")
    urgency = OBLIGATION

    def rows(self, viewer: Viewer, scope):
        path = "commitment__collaboration"
        milestones = open_milestones().filter(due_on__lt=viewer.today)
        return counted(milestones.filter(_either_side(viewer, path)), path, scope, "due_on")

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            ngettext(
                "%(count)d milestone of the action plan overdue since %(date)s",
                "%(count)d milestones of the action plan overdue since %(date)s",
                row["n"],
            )
            % {"count": row["n"], "date": formats.day(row["since"])},
            reverse("policy:commitments", args=[collaboration.pk]),
            _("See the commitments"),
        )


@register
class ChangesWithoutNews(Source):
    kind = "policy_stale"
    label = gettext_lazy("Policy changes without news")
    urgency = ROOM_ITEM

    def rows(self, viewer: Viewer, scope):
        changes = (
            open_changes()
            .filter(stage_on__lte=viewer.today - STALE_AFTER)
            .filter(_either_side(viewer, "collaboration"))
        )
        return (
            within(changes, "collaboration", scope)
            .values("collaboration_id")
            .annotate(n=Count("pk", distinct=True), since=Min("stage_on"))
            .order_by("since", "collaboration_id")
        )

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            ngettext(
                "%(count)d policy change has had no news since %(date)s",
                "%(count)d policy changes have had no news since %(date)s",
                row["n"],
            )
            % {"count": row["n"], "date": formats.day(row["since"])},
            reverse("policy:changes", args=[collaboration.pk]),
            _("Record the new stage"),
        )
