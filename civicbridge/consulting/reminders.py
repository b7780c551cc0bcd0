"""The consulting reminders: a deliverable falling due that the civic organisation has not
sent, a week before and again once it is late."""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicbridge.collaborations.choices import Stage
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

from .choices import OPEN_TO_VERSIONS
from .models import Deliverable

DELIVERABLE_DUE = "deliverable_due"
NOTICE = timedelta(days=7)


def _unsent():
    """Deliverables the civic organisation still owes a version of, in open engagements."""
    return Deliverable.objects.filter(status__in=OPEN_TO_VERSIONS).exclude(
        collaboration__stage=Stage.CLOSED
    )


@register(DELIVERABLE_DUE, gettext_lazy("Deliverable due"), order=55)
def deliverables_due(today: date, since: datetime | None = None) -> Iterator[Due]:
    """Deliverables due within a week and not sent, and again once they are late, to the
    civic organisation's admins."""
    owed = _unsent().filter(due_on__lte=today + NOTICE)
    if since is not None:
        owed = owed.filter(updated_at__gte=since)
    deliverables = list(owed.select_related("collaboration").order_by("pk"))
    people = Recipients({d.collaboration.civic_organisation_id for d in deliverables})
    for deliverable in deliverables:
        collaboration = deliverable.collaboration
        phase = "late" if deliverable.due_on < today else "soon"
        context = {
            "title": collaboration.title,
            "deliverable": deliverable.title,
            "date": formats.day(deliverable.due_on),
        }
        subject = (
            _("Deliverable late since %(date)s: %(deliverable)s")
            if phase == "late"
            else _("Deliverable due %(date)s: %(deliverable)s")
        ) % context
        for user_id in people.admins[collaboration.civic_organisation_id]:
            yield Due(
                DELIVERABLE_DUE,
                f"{DELIVERABLE_DUE}:{deliverable.pk}:{deliverable.due_on}-{phase}",
                user_id,
                collaboration.pk,
                subject,
                _(
                    "“%(deliverable)s” of “%(title)s” is due on %(date)s and no version waits "
                    "for the institution. Send it from the deliverable's page."
                )
                % context,
                reverse("consulting:deliverable", args=[collaboration.pk, deliverable.pk]),
                deliverable.due_on,
            )


@deadlines
def deliverable_deadlines(
    collaborations: dict[int, Collaboration], today: date
) -> Iterator[Deadline]:
    """The day each deliverable not yet sent is due."""
    rows = (
        _unsent()
        .filter(collaboration__in=list(collaborations))
        .values_list("pk", "collaboration_id", "due_on", "title")
    )
    for pk, collaboration_id, due_on, title in rows:
        yield Deadline(
            f"deliverable-{pk}",
            due_on,
            _("Deliverable due: %(deliverable)s (%(title)s)")
            % {"deliverable": title, "title": collaborations[collaboration_id].title},
            reverse("consulting:deliverable", args=[collaboration_id, pk]),
        )


@settled(DELIVERABLE_DUE)
def deliverable_sent(reminders) -> Iterable[int]:
    """Settled once a version went to the institution."""
    return settled_by_object(
        reminders,
        lambda ids: _unsent().filter(pk__in=ids).values_list("pk", flat=True),
    )
