"""Institutions pose challenges, organisers review them (E2).

An official writes a challenge for their institution, as a draft or straight for review;
the organisers publish it or decline it with a note. The institution may change its
challenge at any time: a declined one becomes a draft again, and a published one goes
back to review (and off the public page), so the organisers publish only what they read.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.services import actor_name, is_current_member, record_activity
from civicbridge.core import audit
from civicbridge.core.permissions import require
from civicbridge.core.states import StaleState, lock_in_state
from civicbridge.partners.choices import Access
from civicbridge.partners.models import Membership, Organisation

from ..choices import ChallengeStatus
from ..models import Challenge, Event
from ..permissions import can_change_challenge, can_organise, can_submit_challenge

FIELDS = (
    "title",
    "problem",
    "affected_users",
    "data_available",
    "constraints",
    "success_criteria",
    "owner",
    "owner_attends",
    "receiving_capacity",
)


def _validate(challenge: Challenge) -> None:
    """The owner is a current official of the institution that poses the challenge."""
    owner = challenge.owner
    if owner is not None and not is_current_member(owner, [challenge.institution_id]):
        raise ValidationError(
            {
                "owner": _("%(person)s is not a current member of %(institution)s.")
                % {"person": owner, "institution": challenge.institution.name}
            }
        )


def organiser_emails(event: Event) -> list[str]:
    """The named organisers with an account, else the civic organisation's admins."""
    users = get_user_model().objects.filter(is_active=True)
    named = users.filter(person__in=event.organisers.all())
    if not named.exists():
        admins = Membership.objects.current().filter(
            organisation_id=event.collaboration.civic_organisation_id, access=Access.ADMIN
        )
        named = users.filter(person__in=admins.values("person_id"))
    return sorted(set(named.values_list("email", flat=True)))


def _mail(recipients: list[str], subject: str, template: str, context: dict[str, Any]) -> None:
    if not recipients:
        return
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL.rstrip("/")})
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


def _review_url(challenge: Challenge) -> str:
    return reverse("events:challenge", args=[challenge.event.collaboration_id, challenge.pk])


@transaction.atomic
def create_challenge(
    actor, event: Event, *, institution: Organisation, submit: bool = False, **fields: Any
) -> Challenge:
    """Write a challenge for one of the event's institutions the actor acts for."""
    require(can_submit_challenge(actor, event, institution))
    challenge = Challenge(
        event=event, institution=institution, submitted_by=actor, status=ChallengeStatus.DRAFT
    )
    for name in FIELDS:
        if name in fields:
            setattr(challenge, name, fields[name])
    _validate(challenge)
    challenge.full_clean()
    challenge.save()
    audit.log_created(actor, challenge)
    if submit:
        submit_challenge(actor, challenge)
    return challenge


@transaction.atomic
def update_challenge(actor, challenge: Challenge, **fields: Any) -> Challenge:
    """Change a challenge; a published one goes back to review, a declined one to draft."""
    require(can_change_challenge(actor, challenge))
    before = audit.snapshot(Challenge.objects.get(pk=challenge.pk))
    for name in FIELDS:
        if name in fields:
            setattr(challenge, name, fields[name])
    was_published = challenge.status == ChallengeStatus.PUBLISHED
    if was_published:
        challenge.status = ChallengeStatus.SUBMITTED
        challenge.published_at = None
        challenge.reviewed_by = None
    elif challenge.status == ChallengeStatus.DECLINED:
        challenge.status = ChallengeStatus.DRAFT
    if challenge.status == ChallengeStatus.SUBMITTED:
        _require_submittable(challenge)
    _validate(challenge)
    challenge.full_clean()
    challenge.save()
    audit.log_updated(actor, challenge, before)
    if was_published:
        _tell_organisers(actor, challenge, again=True)
    return challenge


def _require_submittable(challenge: Challenge) -> None:
    problems = []
    if challenge.owner_id is None:
        problems.append(_("name the official who owns the challenge"))
    if not challenge.owner_attends:
        problems.append(_("the owner commits to attend the event"))
    if problems:
        raise ValidationError(
            _("Before the organisers can review it: %(problems)s.")
            % {"problems": _("; and ").join(problems)}
        )


def _tell_organisers(actor, challenge: Challenge, *, again: bool = False) -> None:
    event = challenge.event
    collaboration = event.collaboration
    record_activity(
        actor,
        collaboration,
        (
            _("%(name)s changed the published challenge “%(title)s”: it waits for review again.")
            if again
            else _("%(name)s submitted the challenge “%(title)s” for review.")
        )
        % {"name": actor_name(actor), "title": challenge.title},
        side=collaboration.civic_organisation_id,
    )
    _mail(
        organiser_emails(event),
        _("A challenge to review: %(title)s") % {"title": challenge.title},
        "events/challenges/email_submitted.txt",
        {
            "challenge": challenge,
            "event": event,
            "collaboration": collaboration,
            "again": again,
            "actor": actor_name(actor),
            "review_url": _review_url(challenge),
        },
    )


@transaction.atomic
def submit_challenge(actor, challenge: Challenge) -> Challenge:
    """Send a draft to the organisers for review, with its owner who attends."""
    require(can_change_challenge(actor, challenge))
    # Submitting moves a draft (or a declined challenge) on; a second press finds it moved.
    locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if locked.status not in (ChallengeStatus.DRAFT, ChallengeStatus.DECLINED):
        raise StaleState(
            locked.status,
            locked.get_status_display(),
            message=_("This challenge is “%(status)s”: only a draft is submitted.")
            % {"status": locked.get_status_display()},
        )
    _require_submittable(challenge)
    before = audit.snapshot(challenge)
    challenge.status = ChallengeStatus.SUBMITTED
    challenge.submitted_by = actor
    challenge.save(update_fields=["status", "submitted_by", "updated_at"])
    audit.log_updated(actor, challenge, before)
    _tell_organisers(actor, challenge)
    return challenge


def _status_of(challenge: Challenge) -> tuple[str, str]:
    return challenge.status, challenge.get_status_display()


def _decide(actor, challenge: Challenge, status: str, note: str) -> Challenge:
    event = challenge.event
    collaboration = event.collaboration
    require(can_organise(actor, collaboration))
    # A review moves the challenge from "submitted": of two reviewers, the second is refused.
    locked = lock_in_state(
        challenge,
        ChallengeStatus.SUBMITTED,
        _status_of,
        _("Only a challenge waiting for review is published or declined; this one is “%(state)s”."),
    )
    before = audit.snapshot(locked)
    challenge.status = status
    challenge.reviewed_by = actor
    challenge.review_note = note
    challenge.published_at = timezone.now() if status == ChallengeStatus.PUBLISHED else None
    challenge.save(
        update_fields=["status", "reviewed_by", "review_note", "published_at", "updated_at"]
    )
    audit.log_updated(actor, challenge, before)
    published = status == ChallengeStatus.PUBLISHED
    record_activity(
        actor,
        collaboration,
        (
            _("%(name)s published the challenge “%(title)s” of %(institution)s.")
            if published
            else _("%(name)s declined the challenge “%(title)s” of %(institution)s.")
        )
        % {
            "name": actor_name(actor),
            "title": challenge.title,
            "institution": challenge.institution.name,
        },
        side=collaboration.civic_organisation_id,
    )
    submitter = challenge.submitted_by
    _mail(
        [submitter.email] if submitter is not None and submitter.is_active else [],
        (
            _("Your challenge is published: %(title)s")
            if published
            else _("Your challenge was declined: %(title)s")
        )
        % {"title": challenge.title},
        "events/challenges/email_decision.txt",
        {
            "challenge": challenge,
            "event": event,
            "collaboration": collaboration,
            "published": published,
            "reviewer": actor_name(actor),
            "challenge_url": _review_url(challenge),
        },
    )
    return challenge


@transaction.atomic
def publish_challenge(actor, challenge: Challenge, *, note: str = "") -> Challenge:
    """Publish a submitted challenge: participants see it on the public page."""
    _require_submittable(challenge)
    return _decide(actor, challenge, ChallengeStatus.PUBLISHED, note.strip())


@transaction.atomic
def decline_challenge(actor, challenge: Challenge, *, note: str) -> Challenge:
    """Decline a submitted challenge, saying why, so the institution can improve it."""
    if not note.strip():
        raise ValidationError({"note": _("Say why, so the institution can improve it.")})
    return _decide(actor, challenge, ChallengeStatus.DECLINED, note.strip())


def published(event: Event):
    """The event's published challenges, with who poses and owns each."""
    return Challenge.objects.filter(event=event, status=ChallengeStatus.PUBLISHED).select_related(
        "institution", "owner"
    )
