"""The engagement plan after the event (E1): which projects are worth continuing, who in
the institution owns each, its capacity to absorb it, and the officials' commitments.

The organisers and the institution decide together: members of either side record the
decision and the commitments; an official of the project's institution may also record
their own commitment. The event cannot close until the plan is complete (`plan_gaps`,
read by the check `events.engagement_plan`).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.services import (
    actor_name,
    is_current_member,
    record_activity,
    require_side,
)
from civicbridge.core import audit, formats
from civicbridge.core.permissions import require
from civicbridge.core.services import create_record, update_record
from civicbridge.partners.models import Person

from ..models import Commitment, EngagementPlan, Project
from ..permissions import can_add_commitment, can_decide_plan, project_institution_ids

PLAN_CHECK = "events.engagement_plan"


def _institution_side(project: Project) -> int:
    return project.event.collaboration.institution_id


def _require_official(project: Project, person: Person | None, field: str) -> None:
    """`person` works for the institution that would take the project on."""
    if person is not None and not is_current_member(person, project_institution_ids(project)):
        raise ValidationError(
            {
                field: _(
                    "%(person)s is not a current member of the institution that would take "
                    "the project on."
                )
                % {"person": person}
            }
        )


@transaction.atomic
def decide(
    actor,
    project: Project,
    *,
    worth_continuing: bool,
    owner: Person | None = None,
    capacity: str = "",
) -> EngagementPlan:
    """Record whether the project is worth continuing, who in the institution will own it
    and the capacity the institution puts behind it."""
    collaboration = project.event.collaboration
    require(can_decide_plan(actor, collaboration))
    side = require_side(actor, collaboration)
    _require_official(project, owner, "owner")
    fields = {"worth_continuing": worth_continuing, "owner": owner, "capacity": capacity.strip()}
    plan = EngagementPlan.objects.filter(project=project).first()
    if plan is None:
        plan = create_record(actor, EngagementPlan, project=project, **fields)
    else:
        plan.project = project
        update_record(actor, plan, **fields)
    record_activity(
        actor,
        collaboration,
        (
            _("%(name)s decided that “%(project)s” is worth continuing.")
            if worth_continuing
            else _("%(name)s decided that “%(project)s” stops with the event.")
        )
        % {"name": actor_name(actor), "project": project.title},
        side=side,
    )
    return plan


@transaction.atomic
def add_commitment(
    actor, plan: EngagementPlan, *, official: Person, next_step: str, due_on: date
) -> Commitment:
    """Record an official's promise to take the project's next step by a date."""
    project = plan.project
    require(can_add_commitment(actor, project, official))
    if not plan.worth_continuing:
        raise ValidationError(
            _("The project was judged not worth continuing: decide otherwise first.")
        )
    _require_official(project, official, "official")
    if not next_step.strip():
        raise ValidationError({"next_step": _("Say what the next step is.")})
    commitment = create_record(
        actor, Commitment, plan=plan, official=official, next_step=next_step.strip(), due_on=due_on
    )
    record_activity(
        actor,
        project.event.collaboration,
        _("%(official)s committed to “%(step)s” for “%(project)s” by %(date)s.")
        % {
            "official": official,
            "step": commitment.next_step,
            "project": project.title,
            "date": formats.day(due_on),
        },
        side=_institution_side(project),
    )
    return commitment


@transaction.atomic
def set_commitment_done(actor, commitment: Commitment, *, done: bool) -> Commitment:
    """Tick a commitment off, or open it again; the first date it was done stays."""
    project = commitment.plan.project
    require(can_add_commitment(actor, project, commitment.official))
    if (commitment.done_on is not None) == done:
        return commitment
    update_record(actor, commitment, done_on=timezone.localdate() if done else None)
    record_activity(
        actor,
        project.event.collaboration,
        (
            _("%(official)s took the step “%(step)s” for “%(project)s”.")
            if done
            else _("The step “%(step)s” for “%(project)s” is open again.")
        )
        % {"official": commitment.official, "step": commitment.next_step, "project": project.title},
        side=_institution_side(project),
    )
    return commitment


@transaction.atomic
def remove_commitment(actor, commitment: Commitment) -> None:
    project = commitment.plan.project
    collaboration = project.event.collaboration
    require(can_decide_plan(actor, collaboration))
    side = require_side(actor, collaboration)
    pk = commitment.pk
    commitment.delete()
    audit.log_deleted(actor, commitment, pk)
    record_activity(
        actor,
        collaboration,
        _("%(name)s removed the commitment “%(step)s” for “%(project)s”.")
        % {"name": actor_name(actor), "step": commitment.next_step, "project": project.title},
        side=side,
    )


# What the plan still lacks, project by project: the tab shows it, the gate reads it.


@dataclass(frozen=True)
class PlanStatus:
    project: Project
    plan: EngagementPlan | None
    gaps: list[str]

    @property
    def complete(self) -> bool:
        return not self.gaps


def plans_of(event) -> list[PlanStatus]:
    """Every project of the event with its plan, its commitments, and what is missing."""
    projects = (
        Project.objects.filter(event=event)
        .select_related("team", "challenge__institution", "engagement_plan__owner")
        .prefetch_related(
            Prefetch(
                "engagement_plan__commitments",
                queryset=Commitment.objects.select_related("official"),
            )
        )
    )
    return [_status(project) for project in projects]


def _status(project: Project) -> PlanStatus:
    # A missing reverse one-to-one raises an AttributeError: getattr reads it as None.
    plan = getattr(project, "engagement_plan", None)
    gaps = []
    if plan is None:
        gaps.append(_("no decision whether it is worth continuing"))
    elif plan.worth_continuing:
        if not plan.commitments.all():
            gaps.append(_("no official's commitment (next step and date)"))
        if plan.owner_id is None:
            gaps.append(_("nobody in the institution named to own it"))
        if not plan.capacity.strip():
            gaps.append(_("the institution's capacity to absorb it is not stated"))
    return PlanStatus(project, plan, gaps)
