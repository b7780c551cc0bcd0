"""The policy room's reminders: a commitment's milestone past its due day, and a policy
change whose stage has had no update for STALE_AFTER days (C1).

Both go to the admins of both sides: the action plan and the changes are both sides'.
"""

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from django.db.models import OuterRef, Subquery
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

from .choices import FINAL_STAGES
from .models import CommitmentMilestone, PolicyChange, StageEntry

MILESTONE_DUE = "policy_milestone_due"
STAGE_STALE = "policy_stage_stale"
# A draft or a consultation with no news for this long is asked about.
STALE_AFTER = timedelta(days=90)


def open_milestones():
    return CommitmentMilestone.objects.filter(
        done_on__isnull=True,
        due_on__isnull=False,
        commitment__collaboration__model=Model.POLICY,
    ).exclude(commitment__collaboration__stage=Stage.CLOSED)


def open_changes():
    return (
        PolicyChange.objects.filter(collaboration__model=Model.POLICY)
        .exclude(stage__in=FINAL_STAGES)
        .exclude(collaboration__stage=Stage.CLOSED)
        .annotate(
            stage_on=Subquery(
                StageEntry.objects.filter(policy_change=OuterRef("pk"))
                .order_by("-on")
                .values("on")[:1]
            )
        )
    )


def _both_sides(collaboration: Collaboration, people: Recipients) -> set[int]:
    return (
        people.admins[collaboration.civic_organisation_id]
        | people.admins[collaboration.institution_id]
    )


@register(MILESTONE_DUE, gettext_lazy("Commitment milestone due"), order=90)
def milestones_due(today: date) -> Iterator[Due]:
    """Each milestone not done by its due day."""
    milestones = list(
        open_milestones()
        .filter(due_on__lte=today)
        .select_related("commitment__collaboration")
        .order_by("pk")
    )
    collaborations = {m.commitment.collaboration for m in milestones}
    people = Recipients({pk for c in collaborations for pk in c.party_ids})
    for milestone in milestones:
        collaboration = milestone.commitment.collaboration
        context = {
            "milestone": milestone.title,
            "commitment": milestone.commitment,
            "date": formats.day(milestone.due_on),
        }
        url = reverse("policy:commitment", args=[collaboration.pk, milestone.commitment_id])
        for user_id in sorted(_both_sides(collaboration, people)):
            yield Due(
                MILESTONE_DUE,
                f"{MILESTONE_DUE}:{milestone.pk}:{milestone.due_on}",
                user_id,
                collaboration.pk,
                _("Milestone due: %(milestone)s") % context,
                _(
                    "“%(milestone)s” of the commitment “%(commitment)s” was due on %(date)s. "
                    "Record the day it was done, or say what holds it up."
                )
                % context,
                url,
                milestone.due_on,
            )


@settled(MILESTONE_DUE)
def milestone_done(reminders) -> Iterable[int]:
    """Settled once the milestone is done."""
    return settled_by_object(
        reminders,
        lambda ids: open_milestones().filter(pk__in=ids).values_list("pk", flat=True),
    )


@register(STAGE_STALE, gettext_lazy("Policy change without news"), order=91)
def stages_without_update(today: date) -> Iterator[Due]:
    """Each policy change still on its way whose stage is older than STALE_AFTER."""
    changes = list(
        open_changes()
        .filter(stage_on__lte=today - STALE_AFTER)
        .select_related("collaboration")
        .order_by("pk")
    )
    people = Recipients({pk for change in changes for pk in change.collaboration.party_ids})
    for change in changes:
        collaboration = change.collaboration
        context = {
            "title": change.title,
            "stage": change.get_stage_display(),
            "date": formats.day(change.stage_on),  # type: ignore[attr-defined]
        }
        for user_id in sorted(_both_sides(collaboration, people)):
            yield Due(
                STAGE_STALE,
                f"{STAGE_STALE}:{change.pk}:{change.stage_on}",  # type: ignore[attr-defined]
                user_id,
                collaboration.pk,
                _("No news of “%(title)s”") % context,
                _(
                    "“%(title)s” has been at the stage %(stage)s since %(date)s. If it moved "
                    "on, record its new stage with the source."
                )
                % context,
                reverse("policy:change", args=[collaboration.pk, change.pk]),
                change.stage_on + STALE_AFTER,  # type: ignore[attr-defined]
            )


@settled(STAGE_STALE)
def stage_moved(reminders) -> Iterable[int]:
    """Settled once the change moved on: the key names the stage's day, so a reminder
    about an older day is settled by any newer stage."""
    keys = dict(reminders.values_list("pk", "key"))
    dated = {pk: (int(key.split(":")[1]), key.split(":")[2]) for pk, key in keys.items()}
    current = dict(
        open_changes()
        .filter(pk__in={change for change, _ in dated.values()})
        .values_list("pk", "stage_on")
    )
    return [pk for pk, (change, on) in dated.items() if str(current.get(change)) != on]


@deadlines
def milestone_deadlines(
    collaborations: dict[int, Collaboration], today: date
) -> Iterator[Deadline]:
    """The day each open milestone of a policy collaboration is due."""
    milestones = open_milestones().filter(commitment__collaboration__in=list(collaborations))
    for pk, commitment_id, collaboration_id, title, due_on in milestones.values_list(
        "pk", "commitment_id", "commitment__collaboration_id", "title", "due_on"
    ):
        yield Deadline(
            f"policy-milestone-{pk}",
            due_on,
            _("Milestone due: %(milestone)s") % {"milestone": title},
            reverse("policy:commitment", args=[collaboration_id, commitment_id]),
        )
