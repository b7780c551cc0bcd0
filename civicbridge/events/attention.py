"""What needs people in events: the officials' commitments past their date, and, for the
organisers, the results to publish once the event is over and judged."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Min, OuterRef, Q
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
    for_owner_or_admins,
    register,
    within,
)
from civicbridge.collaborations.choices import Stage
from civicbridge.collaborations.models import Collaboration
from civicbridge.core import formats

from .models import Commitment, Event, Score


@register
class CommitmentsOverdue(Source):
    """An official's promised next step for a project, past its date: the official's,
    else the institution's admins'."""

    kind = "commitments"
    label = gettext_lazy("Commitments overdue")
    urgency = OBLIGATION

    def rows(self, viewer: Viewer, scope):
        path = "plan__project__event__collaboration"
        commitments = Commitment.objects.filter(
            done_on__isnull=True, due_on__lt=viewer.today
        ).filter(for_owner_or_admins(viewer, f"{path}__institution", "official"))
        return counted(commitments, path, scope, "due_on")

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            ngettext(
                "%(count)d commitment to a project overdue since %(date)s",
                "%(count)d commitments to projects overdue since %(date)s",
                row["n"],
            )
            % {"count": row["n"], "date": formats.day(row["since"])},
            reverse("events:projects", args=[collaboration.pk]),
            _("See the projects"),
        )


@register
class ResultsToPublish(Source):
    """An event over and judged whose results nobody published: its organisers', else the
    civic organisation's admins'."""

    kind = "results"
    label = gettext_lazy("Results to publish")
    urgency = ROOM_ITEM

    def rows(self, viewer: Viewer, scope):
        organiser_with_account = Exists(
            get_user_model().objects.filter(person__events_organised=OuterRef("pk"), is_active=True)
        )
        side = "collaboration__civic_organisation"
        mine = Q(organisers=viewer.person_id) if viewer.person_id else Q(pk=None)
        events = (
            Event.objects.filter(
                results_published_at__isnull=True,
                collaboration__end_date__lt=viewer.today,
                collaboration__stage__in=[Stage.ACTIVE, Stage.CLOSING],
            )
            .filter(Exists(Score.objects.filter(project__event=OuterRef("pk"))))
            .filter(
                Q(**{f"{side}__in": viewer.members})
                & (mine | (Q(**{f"{side}__in": viewer.admins}) & ~Q(organiser_with_account)))
            )
        )
        return (
            within(events, "collaboration", scope)
            .values("collaboration_id")
            .annotate(n=Count("pk", distinct=True), since=Min("collaboration__end_date"))
            .order_by("since", "collaboration_id")
        )

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            _("The event ended on %(date)s: its results wait to be published")
            % {"date": formats.day(row["since"])},
            reverse("events:results", args=[collaboration.pk]),
            _("Publish the results"),
        )
