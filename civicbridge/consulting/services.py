"""Every write of the consulting room: the engagement, deliverables and their versions, the
institution's acceptance, recommendations and their adoption (C1, F8).

A deliverable moves planned → submitted → accepted, or → changes asked → resubmitted →
accepted after changes. Each move names the state its author saw; the row is locked and a
move from a state the deliverable has left changes nothing (`core.states`), so a second
press of "Accept" or a second upload of the same version is refused, not done twice.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.choices import Completion, Model, PracticeChange
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import (
    actor_name,
    is_current_member,
    record_activity,
    require_side,
)
from civicbridge.core import audit
from civicbridge.core.permissions import require
from civicbridge.core.states import StaleState, lock_in_state
from civicbridge.partners.models import Person

from .choices import OPEN_TO_VERSIONS, WAITING, Decision, DeliverableStatus
from .files import deliverable_type
from .models import (
    AdoptionUpdate,
    Deliverable,
    DeliverableVersion,
    Engagement,
    Recommendation,
    Review,
)
from .permissions import can_review, can_submit_version

MAX_QUESTIONS = 50


def _require_consulting(collaboration: Collaboration) -> None:
    if collaboration.model != Model.CONSULTING:
        raise ValidationError(_("Only a consulting collaboration has an engagement."))


def _status_of(deliverable: Deliverable) -> tuple[str, str]:
    return deliverable.status, deliverable.get_status_display()


def _deliverable_url(deliverable: Deliverable) -> str:
    return reverse("consulting:deliverable", args=[deliverable.collaboration_id, deliverable.pk])


def _recommendation_url(recommendation: Recommendation) -> str:
    return reverse(
        "consulting:recommendation",
        args=[recommendation.collaboration_id, recommendation.pk],
    )


# The engagement: scope and the institution's questions.


def clean_questions(questions: list[str]) -> list[str]:
    """The questions as asked, without blanks, each at most 500 characters."""
    cleaned = [question.strip() for question in questions if question.strip()]
    if len(cleaned) > MAX_QUESTIONS:
        raise ValidationError(
            {"questions": _("At most %(count)d questions.") % {"count": MAX_QUESTIONS}}
        )
    if any(len(question) > 500 for question in cleaned):
        raise ValidationError(
            {"questions": _("Keep each question under 500 characters, one per line.")}
        )
    return cleaned


@transaction.atomic
def save_engagement(
    actor, collaboration: Collaboration, *, scope: str, questions: list[str]
) -> Engagement:
    """Write or change the scope of the advice and the questions the institution asked."""
    side = require_side(actor, collaboration)
    _require_consulting(collaboration)
    questions = clean_questions(questions)
    engagement = Engagement.objects.select_for_update().filter(collaboration=collaboration).first()
    if engagement is None:
        engagement = Engagement(collaboration=collaboration, scope=scope, questions=questions)
        engagement.full_clean()
        engagement.save()
        audit.log_created(actor, engagement)
    elif engagement.scope == scope and engagement.questions == questions:
        return engagement  # nothing changed: nothing to record
    else:
        before = audit.snapshot(engagement)
        engagement.scope, engagement.questions = scope, questions
        engagement.full_clean()
        engagement.save()
        audit.log_updated(actor, engagement, before)
    engagement.collaboration = collaboration
    record_activity(
        actor,
        collaboration,
        _("%(name)s wrote down the scope of the engagement and the institution's questions.")
        % {"name": actor_name(actor)},
        side=side,
        url=reverse("consulting:engagement", args=[collaboration.pk]),
    )
    return engagement


# Deliverables.


def _check_title(collaboration: Collaboration, title: str, pk: int | None = None) -> None:
    others = collaboration.deliverables.filter(title=title)
    if pk is not None:
        others = others.exclude(pk=pk)
    if others.exists():
        raise ValidationError({"title": _("Another deliverable has this title: name it apart.")})


@transaction.atomic
def add_deliverable(
    actor,
    collaboration: Collaboration,
    *,
    title: str,
    kind: str,
    due_on: date,
    description: str = "",
) -> Deliverable:
    """Plan a deliverable: what the civic organisation will hand over, and by when."""
    side = require_side(actor, collaboration)
    _require_consulting(collaboration)
    _check_title(collaboration, title)
    deliverable = Deliverable(
        collaboration=collaboration,
        title=title,
        kind=kind,
        due_on=due_on,
        description=description,
    )
    deliverable.full_clean()
    deliverable.save()
    audit.log_created(actor, deliverable)
    record_activity(
        actor,
        collaboration,
        _("%(name)s planned the deliverable “%(title)s”.")
        % {"name": actor_name(actor), "title": title},
        side=side,
        url=_deliverable_url(deliverable),
    )
    return deliverable


@transaction.atomic
def change_deliverable(
    actor,
    deliverable: Deliverable,
    *,
    title: str,
    kind: str,
    due_on: date,
    description: str = "",
) -> Deliverable:
    """Change what a deliverable is or when it is due; its state and versions stay."""
    collaboration = deliverable.collaboration
    side = require_side(actor, collaboration)
    _check_title(collaboration, title, deliverable.pk)
    before = audit.snapshot(Deliverable.objects.get(pk=deliverable.pk))
    deliverable.title, deliverable.kind = title, kind
    deliverable.due_on, deliverable.description = due_on, description
    deliverable.full_clean()
    deliverable.save(update_fields=["title", "kind", "due_on", "description", "updated_at"])
    audit.log_updated(actor, deliverable, before)
    record_activity(
        actor,
        collaboration,
        _("%(name)s changed the deliverable “%(title)s”.")
        % {"name": actor_name(actor), "title": title},
        side=side,
        url=_deliverable_url(deliverable),
    )
    return deliverable


@transaction.atomic
def submit_version(
    actor,
    deliverable: Deliverable,
    *,
    from_status: str,
    file: UploadedFile,
    note: str = "",
) -> DeliverableVersion:
    """Send the institution a version of the deliverable, from the state the sender saw:
    the first (planned → submitted) or one after changes asked (→ resubmitted)."""
    collaboration = deliverable.collaboration
    require(can_submit_version(actor, collaboration))
    locked = lock_in_state(
        deliverable,
        from_status,
        _status_of,
        _("This deliverable is now “%(state)s”: nothing was sent. Look at it again first."),
    )
    if locked.status not in OPEN_TO_VERSIONS:
        raise StaleState(
            locked.status,
            locked.get_status_display(),
            from_status,
            _(
                "This deliverable is “%(state)s”: a new version goes only to a deliverable not "
                "submitted yet or one the institution asked to change."
            )
            % {"state": locked.get_status_display()},
        )
    content_type = deliverable_type(file)
    number = locked.versions.count() + 1
    version = DeliverableVersion(
        deliverable=deliverable,
        number=number,
        note=note,
        file=file,
        content_type=content_type,
        size=file.size or 0,
        submitted_by=actor,
    )
    version.full_clean()
    version.save()
    audit.log_created(actor, version)
    before = audit.snapshot(locked)
    deliverable.status = (
        DeliverableStatus.SUBMITTED
        if locked.status == DeliverableStatus.PLANNED
        else DeliverableStatus.RESUBMITTED
    )
    deliverable.submitted_at = timezone.now()
    deliverable.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.log_updated(actor, deliverable, before)
    record_activity(
        actor,
        collaboration,
        _("%(name)s sent version %(number)d of “%(title)s” to %(institution)s for acceptance.")
        % {
            "name": actor_name(actor),
            "number": number,
            "title": deliverable.title,
            "institution": collaboration.institution.name,
        },
        side=collaboration.civic_organisation_id,
        url=_deliverable_url(deliverable),
    )
    return version


def _decide(
    actor, deliverable: Deliverable, from_status: str, decision: str, comment: str
) -> Review:
    """Record the institution's decision on the latest version, from the state it saw."""
    collaboration = deliverable.collaboration
    require(can_review(actor, collaboration))
    locked = lock_in_state(
        deliverable,
        from_status,
        _status_of,
        _("This deliverable is now “%(state)s”: nothing was decided. Look at it again first."),
    )
    if locked.status not in WAITING:
        raise StaleState(
            locked.status,
            locked.get_status_display(),
            from_status,
            _(
                "This deliverable is “%(state)s”: only a version waiting for the institution "
                "is accepted or sent back."
            )
            % {"state": locked.get_status_display()},
        )
    version = locked.versions.order_by("-number").first()
    assert version is not None  # a deliverable waiting has a version
    review = Review(version=version, decision=decision, comment=comment, decided_by=actor)
    review.full_clean()
    review.save()
    audit.log_created(actor, review)
    before = audit.snapshot(locked)
    if decision == Decision.CHANGES_ASKED:
        deliverable.status = DeliverableStatus.CHANGES_ASKED
    elif locked.status == DeliverableStatus.SUBMITTED:
        deliverable.status = DeliverableStatus.ACCEPTED
    else:
        deliverable.status = DeliverableStatus.ACCEPTED_AFTER_CHANGES
    deliverable.save(update_fields=["status", "updated_at"])
    audit.log_updated(actor, deliverable, before)
    context = {
        "name": actor_name(actor),
        "number": version.number,
        "title": deliverable.title,
        "institution": collaboration.institution.name,
    }
    record_activity(
        actor,
        collaboration,
        (
            _("%(name)s accepted version %(number)d of “%(title)s” for %(institution)s.")
            if decision == Decision.ACCEPTED
            else _("%(name)s asked for changes to version %(number)d of “%(title)s”.")
        )
        % context,
        side=collaboration.institution_id,
        url=_deliverable_url(deliverable),
    )
    return review


@transaction.atomic
def accept_deliverable(actor, deliverable: Deliverable, *, from_status: str) -> Review:
    """The institution accepts the version waiting for it: the result is now theirs."""
    return _decide(actor, deliverable, from_status, Decision.ACCEPTED, "")


@transaction.atomic
def ask_changes(actor, deliverable: Deliverable, *, from_status: str, comment: str) -> Review:
    """The institution sends the version back, saying what to change."""
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change: the authors act on it.")})
    return _decide(actor, deliverable, from_status, Decision.CHANGES_ASKED, comment)


# Recommendations and their adoption.


def _check_recommendation(
    collaboration: Collaboration, deliverable: Deliverable, owner: Person | None
) -> None:
    """The deliverable is this engagement's; the owner is a current member of the
    institution (an owner from anywhere else is refused, whatever the request says)."""
    errors = {}
    if deliverable.collaboration_id != collaboration.pk:
        errors["deliverable"] = _("Choose a deliverable of this engagement.")
    if owner is not None and not is_current_member(owner, [collaboration.institution_id]):
        errors["owner"] = _(
            "%(person)s is not a current member of %(institution)s: the owner is someone "
            "of the institution, who carries the recommendation out."
        ) % {"person": owner, "institution": collaboration.institution.name}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_recommendation(
    actor,
    collaboration: Collaboration,
    *,
    deliverable: Deliverable,
    title: str,
    finding: str,
    priority: str,
    owner: Person | None = None,
) -> Recommendation:
    """Record a recommendation of a deliverable, the finding it rests on and its owner."""
    side = require_side(actor, collaboration)
    _require_consulting(collaboration)
    _check_recommendation(collaboration, deliverable, owner)
    recommendation = Recommendation(
        collaboration=collaboration,
        deliverable=deliverable,
        title=title,
        finding=finding,
        priority=priority,
        owner=owner,
        last_update_at=timezone.now(),
    )
    recommendation.full_clean()
    recommendation.save()
    audit.log_created(actor, recommendation)
    record_activity(
        actor,
        collaboration,
        _("%(name)s recorded the recommendation “%(title)s”.")
        % {"name": actor_name(actor), "title": title},
        side=side,
        url=_recommendation_url(recommendation),
    )
    return recommendation


@transaction.atomic
def change_recommendation(
    actor,
    recommendation: Recommendation,
    *,
    deliverable: Deliverable,
    title: str,
    finding: str,
    priority: str,
    owner: Person | None = None,
) -> Recommendation:
    """Change a recommendation's words, priority or owner; its adoption stays."""
    collaboration = recommendation.collaboration
    side = require_side(actor, collaboration)
    _check_recommendation(collaboration, deliverable, owner)
    # From the database: a form may have set the new values on `recommendation` already.
    stored = Recommendation.objects.get(pk=recommendation.pk)
    before = audit.snapshot(stored)
    named = owner is not None and owner.pk != stored.owner_id
    recommendation.deliverable, recommendation.title = deliverable, title
    recommendation.finding, recommendation.priority = finding, priority
    recommendation.owner = owner
    recommendation.full_clean()
    recommendation.save(
        update_fields=["deliverable", "title", "finding", "priority", "owner", "updated_at"]
    )
    audit.log_updated(actor, recommendation, before)
    record_activity(
        actor,
        collaboration,
        (
            _("%(name)s named %(owner)s the owner of the recommendation “%(title)s”.")
            if named
            else _("%(name)s changed the recommendation “%(title)s”.")
        )
        % {"name": actor_name(actor), "owner": owner, "title": title},
        side=side,
        url=_recommendation_url(recommendation),
    )
    return recommendation


@transaction.atomic
def record_adoption(
    actor,
    recommendation: Recommendation,
    *,
    completion: str,
    practice_change: str,
    evidence: str = "",
    evidence_url: str = "",
) -> AdoptionUpdate:
    """Record how far the institution adopted a recommendation, and whether it changed
    its practice, with the evidence: a dated row of its history, which both sides read."""
    collaboration = recommendation.collaboration
    side = require_side(actor, collaboration)
    evidence = evidence.strip()
    if not evidence and not evidence_url:
        raise ValidationError(
            {"evidence": _("Give the evidence: what was done, or a link to where it shows.")}
        )
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    update = AdoptionUpdate(
        recommendation=recommendation,
        completion=completion,
        practice_change=practice_change,
        evidence=evidence,
        evidence_url=evidence_url,
        recorded_by=actor,
        side_id=side,
    )
    update.full_clean()
    update.save()
    audit.log_created(actor, update)
    before = audit.snapshot(locked)
    recommendation.completion, recommendation.practice_change = completion, practice_change
    recommendation.last_update_at = update.created_at
    recommendation.save(
        update_fields=["completion", "practice_change", "last_update_at", "updated_at"]
    )
    audit.log_updated(actor, recommendation, before)
    record_activity(
        actor,
        collaboration,
        _("%(name)s recorded the adoption of “%(title)s”: %(completion)s; practice: %(change)s.")
        % {
            "name": actor_name(actor),
            "title": recommendation.title,
            "completion": Completion(completion).label,
            "change": PracticeChange(practice_change).label,
        },
        side=side,
        url=_recommendation_url(recommendation),
    )
    return update
