"""What needs people in a fellowship: each side's statement of willingness before the
agreement (the fellow's own item, and the supervisor's), and the preparation brief the
host owes the fellow before the first day."""

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicbridge.collaborations.attention import (
    ROOM_ITEM,
    Line,
    Source,
    Viewer,
    counted,
    for_owner_or_admins,
    register,
    within,
)
from civicbridge.collaborations.choices import Model, Stage
from civicbridge.collaborations.models import Collaboration
from civicbridge.core import formats

from .choices import Signatory
from .models import Placement
from .services import brief_days_before_start

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BEFORE_AGREEMENT = (Stage.PROPOSED, Stage.PREPARING)  # the statements gate the agreement


class _Statement(Source):
    urgency = ROOM_ITEM
    who = ""
    side = ""
    text: "StrOrPromise" = ""

    def rows(self, viewer: Viewer, scope):
        placements = Placement.objects.filter(
            collaboration__stage__in=BEFORE_AGREEMENT, **{f"{self.who}_statement": ""}
        ).filter(for_owner_or_admins(viewer, f"collaboration__{self.side}", self.who))
        return (
            within(placements, "collaboration", scope)
            .values("collaboration_id", since=F("created_at"))
            .order_by("since", "collaboration_id")
        )

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            str(self.text),
            reverse("fellowships:statement", args=[collaboration.pk, self.who]),
            _("Write the statement"),
        )


@register
class FellowStatement(_Statement):
    """The fellow's own statement: theirs when they have an account, else the civic side's
    admins'."""

    kind = "fellow_statement"
    label = gettext_lazy("The fellow's statement")
    who = Signatory.FELLOW
    side = "civic_organisation"
    text = gettext_lazy("Your statement as the fellow is missing: the agreement waits for it")


@register
class SupervisorStatement(_Statement):
    kind = "supervisor_statement"
    label = gettext_lazy("The supervisor's statement")
    who = Signatory.SUPERVISOR
    side = "institution"
    text = gettext_lazy("The supervisor's statement is missing: the agreement waits for it")


@register
class BriefLate(Source):
    """A brief not sent to the fellow by the playbook's lead time before the first day:
    the supervisor's to send, else the host's admins'."""

    kind = "brief_late"
    label = gettext_lazy("Preparation brief late")
    urgency = ROOM_ITEM

    def rows(self, viewer: Viewer, scope):
        days = brief_days_before_start(Collaboration(model=Model.FELLOWSHIP))
        placements = (
            Placement.objects.filter(
                collaboration__model=Model.FELLOWSHIP,
                start_date__lt=viewer.today + timedelta(days=days),
                start_date__gte=viewer.today,
                brief__delivered_at__isnull=True,
            )
            .exclude(collaboration__stage=Stage.CLOSED)
            .filter(for_owner_or_admins(viewer, "collaboration__institution", "supervisor"))
        )
        return counted(placements, "collaboration", scope, "start_date")

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            _("The fellow starts on %(date)s and has no preparation brief yet")
            % {"date": formats.day(row["since"])},
            reverse("fellowships:brief", args=[collaboration.pk]),
            _("Write and send the brief"),
        )
