"""What needs people in beneficiaries' feedback: feedback the civic side has not moderated
yet, and published feedback the institution has not answered. Each goes, as the attention
rule says, to the side's programme lead (or, for the institution, its champion or
decision-maker) named on the collaboration, else to the side's admins."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicbridge.collaborations.attention import (
    ROOM_ITEM,
    Line,
    Source,
    Viewer,
    counted,
    for_named_or_admins,
    register,
)
from civicbridge.collaborations.choices import StakeholderRole
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.tabs import tab_url

from .choices import FeedbackStatus
from .models import Feedback

MODERATORS = (StakeholderRole.PROGRAMME_LEAD,)
ANSWERERS = (
    StakeholderRole.PROGRAMME_LEAD,
    StakeholderRole.CHAMPION,
    StakeholderRole.DECISION_MAKER,
)


@register
class FeedbackToModerate(Source):
    kind = "feedback_to_moderate"
    label = gettext_lazy("Feedback waiting for moderation")
    urgency = ROOM_ITEM

    def rows(self, viewer: Viewer, scope):
        waiting = Feedback.objects.filter(status=FeedbackStatus.NEW).filter(
            for_named_or_admins(
                viewer, "collaboration__civic_organisation", "collaboration", MODERATORS
            )
        )
        return counted(waiting, "collaboration", scope, "created_at")

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            ngettext(
                "%(count)d feedback from beneficiaries is waiting for moderation",
                "%(count)d feedbacks from beneficiaries are waiting for moderation",
                row["n"],
            )
            % {"count": row["n"]},
            tab_url(collaboration, "feedback", "waiting-heading"),
            _("Publish or reject it"),
        )


@register
class FeedbackToAnswer(Source):
    kind = "feedback_to_answer"
    label = gettext_lazy("Feedback waiting for your answer")
    urgency = ROOM_ITEM

    def rows(self, viewer: Viewer, scope):
        unanswered = Feedback.objects.filter(
            status=FeedbackStatus.PUBLISHED, answered_at__isnull=True
        ).filter(
            for_named_or_admins(viewer, "collaboration__institution", "collaboration", ANSWERERS)
        )
        return counted(unanswered, "collaboration", scope, "moderated_at")

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            ngettext(
                "%(count)d published feedback is waiting for your answer",
                "%(count)d published feedbacks are waiting for your answer",
                row["n"],
            )
            % {"count": row["n"]},
            tab_url(collaboration, "feedback", "shown-heading"),
            _("Answer it"),
        )
