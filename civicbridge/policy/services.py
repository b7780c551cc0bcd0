"""Every write of the policy room: policy changes and their stages, consultation responses,
commitments, their milestones and their assessments (C1)."""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.choices import Completion, Model
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import actor_name, record_activity, require_side
from civicbridge.core import audit, formats, uploads
from civicbridge.core.permissions import require
from civicbridge.core.services import Stale, create_record, update_record
from civicbridge.partners.models import Organisation

from .choices import InstitutionRole, PolicyStage, next_stages
from .models import (
    Commitment,
    CommitmentAssessment,
    CommitmentInstitution,
    CommitmentMilestone,
    ConsultationResponse,
    PolicyChange,
    StageEntry,
)
from .permissions import can_submit_response

# A response is read by people, not parsed: the kinds of document a consultation takes.
RESPONSE_KINDS = (uploads.PDF, uploads.DOCX, uploads.ODT)


def _policy(collaboration: Collaboration) -> None:
    if collaboration.model != Model.POLICY:
        raise ValidationError(_("Only a policy development collaboration records this."))


def _not_future(on: date, field: str = "on") -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("This date is in the future: record what happened.")})


def _source(source_url: str, source_text: str) -> None:
    if not source_url.strip() and not source_text.strip():
        raise ValidationError(
            {"source_url": _("Give the source: a link to it, or the words it says.")}
        )


# Policy changes and their stages


@transaction.atomic
def add_policy_change(
    actor,
    collaboration: Collaboration,
    *,
    title: str,
    instrument: str,
    proposed_change: str,
    deciding_body: str,
    on: date,
    source_url: str = "",
    source_text: str = "",
    current_text: str = "",
) -> PolicyChange:
    """Record a change the collaboration seeks, as a draft on `on`, with its source."""
    side = require_side(actor, collaboration)
    _policy(collaboration)
    _not_future(on)
    _source(source_url, source_text)
    change = create_record(
        actor,
        PolicyChange,
        collaboration=collaboration,
        title=title,
        instrument=instrument,
        current_text=current_text,
        proposed_change=proposed_change,
        deciding_body=deciding_body,
        stage=PolicyStage.DRAFT,
        created_by=actor,
    )
    create_record(
        actor,
        StageEntry,
        policy_change=change,
        from_stage="",
        stage=PolicyStage.DRAFT,
        on=on,
        source_url=source_url,
        source_text=source_text,
        recorded_by=actor,
    )
    record_activity(
        actor,
        collaboration,
        _("%(name)s recorded the policy change “%(title)s” as a draft.")
        % {"name": actor_name(actor), "title": title},
        side=side,
    )
    return change


@transaction.atomic
def update_policy_change(actor, change: PolicyChange, **fields) -> PolicyChange:
    """Change what a policy change says; its stage moves only by `move_policy_change`."""
    require_side(actor, change.collaboration)
    fields.pop("stage", None)
    return update_record(actor, change, **fields)


@transaction.atomic
def move_policy_change(
    actor,
    change: PolicyChange,
    *,
    from_stage: str,
    stage: str,
    on: date,
    source_url: str = "",
    source_text: str = "",
) -> StageEntry:
    """Move a policy change from `from_stage` to `stage` on `on`, with its source.

    The move names the stage it starts from: a second submit of the same move, or one made
    on a stale page, finds the change elsewhere and changes nothing.
    """
    collaboration = change.collaboration
    side = require_side(actor, collaboration)
    if stage not in next_stages(from_stage):
        raise ValidationError(
            {
                "stage": _("A change in %(from)s cannot move to %(to)s.")
                % {
                    "from": PolicyStage(from_stage).label,
                    "to": PolicyStage(stage).label if stage in PolicyStage.values else stage,
                }
            }
        )
    _not_future(on)
    _source(source_url, source_text)
    last = change.stages.order_by("-on", "-id").first()
    if last is not None and on < last.on:
        raise ValidationError(
            {
                "on": _("The last stage is dated %(date)s: this one cannot come before it.")
                % {"date": formats.day(last.on)}
            }
        )
    before = audit.snapshot(change)
    moved = PolicyChange.objects.filter(pk=change.pk, stage=from_stage).update(
        stage=stage, updated_at=timezone.now()
    )
    if not moved:
        current = PolicyChange.objects.get(pk=change.pk)
        raise Stale(
            _("This change is %(stage)s now, not %(from)s: nothing was recorded.")
            % {"stage": current.get_stage_display(), "from": PolicyStage(from_stage).label}
        )
    change.stage = stage
    audit.log_updated(actor, change, before)
    entry = create_record(
        actor,
        StageEntry,
        policy_change=change,
        from_stage=from_stage,
        stage=stage,
        on=on,
        source_url=source_url,
        source_text=source_text,
        recorded_by=actor,
    )
    record_activity(
        actor,
        collaboration,
        _("%(name)s recorded that “%(title)s” moved from %(from)s to %(to)s on %(date)s.")
        % {
            "name": actor_name(actor),
            "title": change.title,
            "from": PolicyStage(from_stage).label,
            "to": PolicyStage(stage).label,
            "date": formats.day(on),
        },
        side=side,
    )
    return entry


# Consultation responses


def response_type(upload: File) -> str:
    """The content type of an uploaded response, judged by its first bytes and its name;
    a file of another kind or past the size limit is refused."""
    return uploads.content_type_of(
        upload,
        RESPONSE_KINDS,
        settings.FILE_UPLOAD_MAX_SIZE,
        _("Upload a PDF, Word (.docx) or OpenDocument (.odt) file."),
    )


@transaction.atomic
def add_response(
    actor,
    change: PolicyChange,
    *,
    title: str,
    submitted_on: date,
    summary: str = "",
    file: File | None = None,
) -> ConsultationResponse:
    """Keep what the civic side submitted to the consultation on `change`."""
    collaboration = change.collaboration
    require(can_submit_response(actor, collaboration))
    _not_future(submitted_on, "submitted_on")
    if file is None and not summary.strip():
        raise ValidationError(
            {"summary": _("Attach the response, or say what it said: one of them, at least.")}
        )
    response = ConsultationResponse(
        policy_change=change,
        title=title,
        submitted_on=submitted_on,
        summary=summary,
        submitted_by=actor,
    )
    if file is not None:
        response.content_type = response_type(file)
        response.file = file
        response.size = file.size or 0
    response.full_clean()
    response.save()
    audit.log_created(actor, response)
    record_activity(
        actor,
        collaboration,
        _("%(name)s added the consultation response “%(title)s” on “%(change)s”.")
        % {"name": actor_name(actor), "title": title, "change": change.title},
        side=collaboration.civic_organisation_id,
    )
    return response


# Commitments


def set_institutions(
    commitment: Commitment, institutions: Iterable[tuple[str, str, Organisation | None]]
) -> bool:
    """Make the commitment's lead and supporting institutions (role, name, organisation)
    these, in this order; say whether anything changed."""
    wanted = [(role, name, org.pk if org else None) for role, name, org in institutions]
    current = list(commitment.institutions.values_list("role", "name", "organisation_id"))
    current.sort(key=lambda row: row[0] != InstitutionRole.LEAD)
    if current == wanted:
        return False
    commitment.institutions.all().delete()
    CommitmentInstitution.objects.bulk_create(
        CommitmentInstitution(
            commitment=commitment, role=role, name=name[:300], organisation_id=org, order=order
        )
        for order, (role, name, org) in enumerate(wanted)
    )
    return True


def institutions_of(
    lead: Organisation | None, supporting: Iterable[Organisation]
) -> list[tuple[str, str, Organisation | None]]:
    """The institutions a form names: the lead first, then the supporting ones."""
    named: list[tuple[str, str, Organisation | None]] = []
    if lead is not None:
        named.append((InstitutionRole.LEAD, lead.name, lead))
    return named + [(InstitutionRole.SUPPORTING, org.name, org) for org in supporting]


@transaction.atomic
def save_commitment(
    actor,
    collaboration: Collaboration,
    commitment: Commitment | None = None,
    *,
    lead_institution: Organisation | None = None,
    supporting_institutions: Iterable[Organisation] = (),
    **fields,
) -> Commitment:
    """Add a commitment to the collaboration's action plan, or change `commitment`.

    Its completion and whether it opened government change only by an assessment, dated
    and with its evidence (`assess_commitment`)."""
    side = require_side(actor, collaboration)
    _policy(collaboration)
    for name in ("completion", "practice_change"):
        fields.pop(name, None)
    named = institutions_of(lead_institution, supporting_institutions)
    if commitment is None:
        commitment = create_record(
            actor, Commitment, collaboration=collaboration, created_by=actor, **fields
        )
        message = _("%(name)s added the commitment “%(title)s” to the action plan.")
    else:
        # The institutions an imported plan names by name alone, with no organisation in
        # the directory, are not in the form's lists: they stay as they are.
        named += [
            (row.role, row.name, None)
            for row in commitment.institutions.filter(organisation=None).order_by("order", "id")
        ]
        commitment = update_record(actor, commitment, **fields)
        message = _("%(name)s changed the commitment “%(title)s”.")
    set_institutions(commitment, sorted(named, key=lambda row: row[0] != InstitutionRole.LEAD))
    record_activity(
        actor, collaboration, message % {"name": actor_name(actor), "title": commitment}, side=side
    )
    return commitment


@transaction.atomic
def add_milestone(
    actor, commitment: Commitment, *, title: str, due_on: date | None = None
) -> CommitmentMilestone:
    """Add a step to the commitment, due on `due_on`."""
    require_side(actor, commitment.collaboration)
    return create_record(
        actor, CommitmentMilestone, commitment=commitment, title=title, due_on=due_on
    )


@transaction.atomic
def set_milestone_done(
    actor, milestone: CommitmentMilestone, *, done_on: date | None
) -> CommitmentMilestone:
    """Record the day a milestone was done, or open it again with None."""
    collaboration = milestone.commitment.collaboration
    side = require_side(actor, collaboration)
    if done_on is not None:
        _not_future(done_on, "done_on")
    if milestone.done_on == done_on:
        return milestone
    milestone = update_record(actor, milestone, done_on=done_on)
    record_activity(
        actor,
        collaboration,
        (
            _("%(name)s recorded “%(milestone)s” as done on %(date)s.")
            if done_on
            else _("%(name)s reopened “%(milestone)s”.")
        )
        % {
            "name": actor_name(actor),
            "milestone": milestone.title,
            "date": formats.day(done_on) if done_on else "",
        },
        side=side,
    )
    return milestone


@transaction.atomic
def assess_commitment(
    actor,
    commitment: Commitment,
    *,
    from_completion: str,
    completion: str,
    practice_change: str = "",
    on: date,
    evidence: str,
    evidence_url: str = "",
) -> CommitmentAssessment:
    """Record how far the commitment got, and whether it opened government, on `on` with
    its evidence. The assessment names the completion it starts from: one made on a stale
    page changes nothing."""
    collaboration = commitment.collaboration
    side = require_side(actor, collaboration)
    _not_future(on)
    if not evidence.strip():
        raise ValidationError({"evidence": _("Say what shows it: the evidence is required.")})
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if locked.completion != from_completion:
        raise Stale(
            _("This commitment is %(now)s now, not %(from)s: nothing was recorded.")
            % {"now": locked.get_completion_display(), "from": Completion(from_completion).label}
        )
    if locked.completion == completion and locked.practice_change == practice_change:
        raise ValidationError(
            {"completion": _("Nothing changes: choose a new completion or a new answer.")}
        )
    assessment = create_record(
        actor,
        CommitmentAssessment,
        commitment=locked,
        on=on,
        from_completion=locked.completion,
        completion=completion,
        from_practice_change=locked.practice_change,
        practice_change=practice_change,
        evidence=evidence,
        evidence_url=evidence_url,
        recorded_by=actor,
    )
    locked.collaboration = collaboration
    update_record(actor, locked, completion=completion, practice_change=practice_change)
    commitment.completion, commitment.practice_change = completion, practice_change
    record_activity(
        actor,
        collaboration,
        _("%(name)s assessed “%(title)s”: %(completion)s.")
        % {
            "name": actor_name(actor),
            "title": commitment,
            "completion": Completion(completion).label,
        },
        side=side,
    )
    return assessment
