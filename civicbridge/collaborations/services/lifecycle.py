"""Starting a collaboration, changing its details and moving it through its stages."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from civicbridge.core import audit, formats
from civicbridge.core.dates import add_months
from civicbridge.core.permissions import require
from civicbridge.core.services import update_record
from civicbridge.core.states import lock_in_state
from civicbridge.partners.choices import OrganisationKind
from civicbridge.playbook import checks
from civicbridge.playbook.models import PlaybookVersion
from civicbridge.readiness.models import Assessment

from .. import lifecycle, permissions
from ..choices import Stage
from ..models import Collaboration, FollowUp, Risk, Transition
from ..models.health import health_changed
from . import actor_name, parameter, playbook_model, record_activity, require_side, starting
from .checkins import refresh_owed_checkins

# Once proposed, a collaboration keeps its model, its two parties and the assessment it
# started from (its answers are the starting conditions).
FIXED_FIELDS = ("model", "civic_organisation", "institution", "assessment")
PARTIES_ARE_FIXED = _lazy(
    "The model, the parties and the assessment it started from are fixed once the "
    "collaboration is proposed. If a party must change (a merger, a successor organisation), "
    "propose the change: both sides' admins approve it."
)


# The move at which the work is agreed: what its checks say completes the starting conditions.
STARTS_AT = "agreed"


class EarlyMove(ValidationError):
    """The move would start closing before the planned end date: confirm it first."""

    def __init__(self, collaboration: Collaboration, stage: str) -> None:
        assert collaboration.end_date is not None
        self.stage = stage
        super().__init__(
            {
                "early": _(
                    "“%(title)s” is planned to run until %(end)s. Moving it to “%(stage)s” "
                    "now starts closing it early: confirm that this is what both sides want."
                )
                % {
                    "title": collaboration.title,
                    "end": formats.day(collaboration.end_date),
                    "stage": Stage(stage).label,
                }
            }
        )


class GateRefused(Exception):
    """A blocking gate failed: the transition did not happen. `results` says why."""

    def __init__(self, stage: str, results: list[lifecycle.GateResult]) -> None:
        self.stage = stage
        self.results = results
        self.refusals = lifecycle.refusals(results)
        super().__init__("; ".join(result.reason for result in self.refusals))


def _validate_parties(collaboration: Collaboration, departments) -> None:
    """The institution is a government body, the civic organisation is not, and every
    department is the institution's."""
    errors = {}
    if collaboration.institution.kind != OrganisationKind.GOVERNMENT:
        errors["institution"] = _("The institution must be a government body.")
    if collaboration.civic_organisation.kind == OrganisationKind.GOVERNMENT:
        errors["civic_organisation"] = _(
            "The civic organisation cannot be a government body: choose it as the institution."
        )
    strays = [d.name for d in departments if d.organisation_id != collaboration.institution_id]
    if strays:
        errors["departments"] = _("%(names)s is not a department of %(institution)s.") % {
            "names": ", ".join(strays),
            "institution": collaboration.institution.name,
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_collaboration(
    actor, *, departments=(), assessment: Assessment | None = None, **fields: Any
) -> Collaboration:
    """Start a collaboration in the `proposed` stage; the actor must act for a party.

    Started from an `assessment` (one the actor may see, finished, about the same
    institution, not excluding the model), it keeps the link and the assessment's reading
    of the model's conditions as its starting conditions.
    """
    require(permissions.can_create_collaboration(actor))
    collaboration = Collaboration(
        created_by=actor, stage=lifecycle.STAGES[0], assessment=assessment, **fields
    )
    if "checkin_every_days" not in fields:
        collaboration.checkin_every_days = parameter(
            playbook_model(collaboration), "checkin_every_days", 14
        )
    _validate_parties(collaboration, departments)
    collaboration.full_clean()
    side = require_side(actor, collaboration)
    if assessment is not None:
        starting.check_assessment(actor, collaboration, assessment)
    collaboration.save()
    collaboration.departments.set(departments)
    refresh_owed_checkins(collaboration)
    audit.log_created(actor, collaboration)
    if assessment is not None:
        starting.record_from_assessment(actor, collaboration, assessment)
    record_activity(
        actor,
        collaboration,
        _("%(name)s proposed the collaboration.") % {"name": actor_name(actor)},
        side=side,
    )
    return collaboration


def _refuse_fixed_changes(collaboration: Collaboration) -> None:
    """Refuse a change of the model or a party, however it reached the object."""
    columns = {name: "model" if name == "model" else f"{name}_id" for name in FIXED_FIELDS}
    stored = Collaboration.objects.values(*columns.values()).get(pk=collaboration.pk)
    changed = [
        name for name, column in columns.items() if getattr(collaboration, column) != stored[column]
    ]
    if changed:
        raise ValidationError(dict.fromkeys(changed, PARTIES_ARE_FIXED))


@transaction.atomic
def update_collaboration(actor, collaboration: Collaboration, *, departments=None, **fields):
    """Change the details: never the stage (it moves through `advance`), the model or the
    parties (a party changes only through a proposal both sides approve)."""
    fields.pop("stage", None)
    side = require_side(actor, collaboration)
    for name, value in fields.items():
        setattr(collaboration, name, value)
    _refuse_fixed_changes(collaboration)
    _validate_parties(
        collaboration,
        departments if departments is not None else collaboration.departments.all(),
    )
    update_record(actor, collaboration)
    refresh_owed_checkins(collaboration)  # the dates or the cadence may have changed
    if departments is not None:
        collaboration.departments.set(departments)
    record_activity(
        actor,
        collaboration,
        _("%(name)s changed the collaboration's details.") % {"name": actor_name(actor)},
        side=side,
    )
    return collaboration


def gate_results(collaboration: Collaboration) -> tuple[str | None, list[lifecycle.GateResult]]:
    """The next stage and what its gates say now."""
    stage = lifecycle.next_stage(collaboration.stage)
    model = playbook_model(collaboration)
    if stage is None or model is None:
        return stage, []
    return stage, lifecycle.evaluate(model, stage, collaboration, checks.run)


# What a room does when a collaboration of its model closes: model -> callbacks.
_on_close: dict[str, list[Callable[[Any, Collaboration], None]]] = {}


def on_close(model: str, callback: Callable[[Any, Collaboration], None]) -> None:
    """Call `callback(actor, collaboration)` as a collaboration of `model` closes, inside
    the same transaction: a room's own closing work succeeds or fails with the move."""
    if callback not in _on_close.setdefault(model, []):
        _on_close[model].append(callback)


def _stage_of(collaboration: Collaboration) -> tuple[str, str]:
    return collaboration.stage, collaboration.get_stage_display()


@transaction.atomic
def advance(
    actor, collaboration: Collaboration, *, from_stage: str | None = None, early: bool = False
) -> Transition:
    """Move from `from_stage` to the next stage if no blocking gate fails; record failed
    others as risks.

    `from_stage` is the stage the mover saw (by default the one `collaboration` was read
    in). Raises StaleState when the collaboration is no longer there, EarlyMove when the
    move would start closing before the planned end date and `early` does not confirm it,
    and GateRefused when a blocking gate fails; each time nothing changes.
    """
    side = require_side(actor, collaboration)
    seen = collaboration.stage if from_stage is None else from_stage
    # The row lock makes concurrent moves wait; the one that waited finds the stage moved.
    locked = lock_in_state(collaboration, seen, _stage_of)
    collaboration.stage = locked.stage
    stage, results = gate_results(collaboration)
    if stage is None:
        raise ValidationError(_("A closed collaboration has no further stage."))
    if not early and collaboration.winds_down_early(stage, timezone.localdate()):
        raise EarlyMove(collaboration, stage)
    if lifecycle.refusals(results):
        raise GateRefused(stage, results)

    previous = collaboration.stage
    before = audit.snapshot(collaboration)
    collaboration.stage = stage
    update_fields = ["stage", "updated_at"]
    if stage == "closed":
        collaboration.closed_on = timezone.localdate()
        update_fields.append("closed_on")
        _schedule_follow_ups(actor, collaboration)
    collaboration.save(update_fields=update_fields)
    refresh_owed_checkins(collaboration)
    audit.log_updated(actor, collaboration, before)
    transition = Transition.objects.create(
        collaboration=collaboration,
        from_stage=previous,
        to_stage=stage,
        actor=actor,
        gate_results=[result.as_record() for result in results],
        playbook_version=PlaybookVersion.objects.current_number(),
    )
    _record_risks(actor, collaboration, stage, results)
    if stage == STARTS_AT and transition.playbook_version is not None:
        starting.record_from_gates(actor, collaboration, results, transition.playbook_version)
    if stage == "closed":
        for callback in _on_close.get(collaboration.model, []):
            callback(actor, collaboration)
    record_activity(
        actor,
        collaboration,
        _("%(name)s moved the collaboration to “%(stage)s”.")
        % {
            "name": actor_name(actor),
            "stage": collaboration.get_stage_display(),
        },
        side=side,
    )
    return transition


def _record_risks(actor, collaboration: Collaboration, stage: str, results) -> None:
    """Open a risk for each failed non-blocking gate; resolve those that now hold."""
    today = timezone.localdate()
    for result in results:
        open_risk = collaboration.risks.filter(condition=result.condition, resolved_on=None)
        if result.is_risk:
            if not open_risk.exists():
                risk = Risk.objects.create(
                    collaboration=collaboration,
                    condition=result.condition,
                    statement=next(iter(result.statement.values()), result.condition),
                    reason=result.reason,
                    stage=stage,
                )
                audit.log_created(actor, risk)
        elif result.passed and open_risk.update(resolved_on=today):
            health_changed([collaboration.pk])


def _schedule_follow_ups(actor, collaboration: Collaboration) -> None:
    """Plan the follow-ups the playbook asks for, counted in months from the closing day."""
    closed = collaboration.closed_on
    assert closed is not None
    for months in parameter(playbook_model(collaboration), "follow_up_months", []):
        follow_up, created = FollowUp.objects.get_or_create(
            collaboration=collaboration,
            months_after=months,
            defaults={"due_on": add_months(closed, months)},
        )
        if created:
            audit.log_created(actor, follow_up)
