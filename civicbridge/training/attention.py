"""What needs a participant of a training programme: their own self-assessment, once it
opens (T1). Only the participant rates themself, so the line is theirs alone."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicbridge.collaborations.attention import FOLLOW_UP, Line, Source, Viewer, counted, register
from civicbridge.collaborations.models import Collaboration

from .reminders import open_on


@register
class OwnSelfAssessment(Source):
    """The viewer's own self-assessments that are open and unanswered."""

    kind = "training_rating"
    label = gettext_lazy("Your self-assessment in a training programme")
    urgency = FOLLOW_UP

    def rows(self, viewer: Viewer, scope):
        mine = open_on(viewer.today, timezone.now()).filter(
            participant__person_id=viewer.person_id  # None: nobody, every participant is a person
        )
        return counted(mine, "participant__collaboration", scope, "created_at")

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        count = row.get("n", 1)
        return self.make(
            row,
            collaboration,
            ngettext(
                "Rate your capacity: a self-assessment is open",
                "Rate your capacity: %(count)d self-assessments are open",
                count,
            )
            % {"count": count},
            reverse("training:own", args=[collaboration.pk]),
            _("Answer it"),
        )
