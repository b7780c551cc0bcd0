"""What needs people in a consulting engagement: a deliverable waiting for the
institution's acceptance, and a recommendation nobody has followed for months."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicbridge.collaborations.attention import (
    ROOM_ITEM,
    Line,
    Source,
    Viewer,
    counted,
    for_named_or_admins,
    for_owner_or_admins,
    register,
)
from civicbridge.collaborations.choices import StakeholderRole
from civicbridge.collaborations.models import Collaboration
from civicbridge.core import formats

from .models import Deliverable, Recommendation

# Who decides on a deliverable for the institution: whoever of these it named, else its admins.
DECIDING_ROLES = (
    StakeholderRole.DECISION_MAKER,
    StakeholderRole.CHAMPION,
    StakeholderRole.SUPERVISOR,
)
# A recommendation still open with no update for this long is asked about again.
STALE_AFTER = timedelta(days=90)


@register
class DeliverableWaiting(Source):
    """Versions sent to the institution and not yet accepted or sent back."""

    kind = "deliverable_waiting"
    label = gettext_lazy("Deliverable waiting for acceptance")
    urgency = ROOM_ITEM

    def rows(self, viewer: Viewer, scope):
        waiting = Deliverable.objects.waiting().filter(
            for_named_or_admins(
                viewer, "collaboration__institution", "collaboration", DECIDING_ROLES
            )
        )
        return counted(waiting, "collaboration", scope, "submitted_at")

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            ngettext(
                "%(count)d deliverable waits for your institution to accept it or ask for "
                "changes, since %(date)s",
                "%(count)d deliverables wait for your institution to accept them or ask for "
                "changes, the oldest since %(date)s",
                row["n"],
            )
            % {"count": row["n"], "date": formats.day(row["since"])},
            reverse("consulting:engagement", args=[collaboration.pk]),
            _("Read and decide"),
        )


@register
class RecommendationUnfollowed(Source):
    """Open recommendations with no update on their adoption for three months: their
    owner's, else the institution's admins'."""

    kind = "recommendation_stale"
    label = gettext_lazy("Recommendation not followed")
    urgency = ROOM_ITEM
    order = 1

    def rows(self, viewer: Viewer, scope):
        cutoff = viewer.today - STALE_AFTER
        stale = (
            Recommendation.objects.open()
            .filter(last_update_at__date__lt=cutoff)
            .filter(for_owner_or_admins(viewer, "collaboration__institution", "owner"))
        )
        return counted(stale, "collaboration", scope, "last_update_at")

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            ngettext(
                "%(count)d recommendation has had no update on its adoption since %(date)s",
                "%(count)d recommendations have had no update on their adoption, the oldest "
                "since %(date)s",
                row["n"],
            )
            % {"count": row["n"], "date": formats.day(row["since"])},
            reverse("consulting:recommendations", args=[collaboration.pk]),
            _("Say where they stand"),
        )
