"""The fellowship's reminders: the preparation brief the host has not sent in time."""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicbridge.collaborations.choices import Model, Stage
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.reminders import (
    Deadline,
    Due,
    Recipients,
    deadlines,
    register,
    settled,
    settled_by_object,
)
from civicbridge.core import formats

from .models import Placement
from .services import brief_days_before_start

BRIEF_LATE = "brief_late"


@register(BRIEF_LATE, gettext_lazy("Preparation brief late"), order=50)
def brief_late(today: date, since: datetime | None = None) -> Iterator[Due]:
    """Fellowships whose brief the host has not sent by the playbook's deadline."""
    briefless = Placement.objects.filter(
        collaboration__model=Model.FELLOWSHIP,
        start_date__gte=today,
        brief__delivered_at__isnull=True,
    ).exclude(collaboration__stage=Stage.CLOSED)
    if since is not None:
        briefless = briefless.filter(
            Q(updated_at__gte=since) | Q(collaboration__updated_at__gte=since)
        )
    placements = list(briefless.select_related("collaboration").order_by("pk"))
    days_by_model: dict[str, int] = {}
    people = Recipients({p.collaboration.institution_id for p in placements})
    for placement in placements:
        collaboration = placement.collaboration
        if collaboration.model not in days_by_model:
            days_by_model[collaboration.model] = brief_days_before_start(collaboration)
        deadline = placement.start_date - timedelta(days=days_by_model[collaboration.model])
        if today <= deadline:
            continue
        context = {"title": collaboration.title, "date": formats.day(deadline)}
        for user_id in people.admins[collaboration.institution_id]:
            yield Due(
                BRIEF_LATE,
                f"{BRIEF_LATE}:{placement.pk}:{deadline}",
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


@deadlines
def brief_deadlines(collaborations: dict[int, Collaboration], today: date) -> Iterator[Deadline]:
    """The day each fellowship's preparation brief is due, by the playbook's lead time."""
    placements = Placement.objects.filter(
        collaboration__in=list(collaborations), collaboration__model=Model.FELLOWSHIP
    ).values_list("pk", "collaboration_id", "start_date")
    days_by_model: dict[str, int] = {}
    for pk, collaboration_id, start in placements:
        collaboration = collaborations[collaboration_id]
        if collaboration.model not in days_by_model:
            days_by_model[collaboration.model] = brief_days_before_start(collaboration)
        yield Deadline(
            f"brief-{pk}",
            start - timedelta(days=days_by_model[collaboration.model]),
            _("Preparation brief due: %(title)s") % {"title": collaboration.title},
            reverse("fellowships:brief", args=[collaboration_id]),
        )


@settled(BRIEF_LATE)
def brief_sent(reminders) -> Iterable[int]:
    """Settled once the brief reached the fellow."""
    return settled_by_object(
        reminders,
        lambda ids: Placement.objects.filter(
            pk__in=ids, brief__delivered_at__isnull=True
        ).values_list("pk", flat=True),
    )
