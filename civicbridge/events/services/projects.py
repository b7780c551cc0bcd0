"""Projects: a team's answer to a challenge, design first (E3), and its design artefacts.

Teams are participants without accounts, so a project is entered by the organisers for
a team, or by the team itself through a secret link the organisers e-mail to the team's
contact. The link is signed for that team only and works until the results are published.

Artefacts are files anyone may upload through that link, so they are checked by their
content, not by their name: PDF, PNG and JPEG only, no larger than ARTEFACT_MAX_BYTES. SVG
is refused because an SVG image can carry script. Files are served only through the
project's pages, as attachments.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicbridge.collaborations.services import actor_name, record_activity
from civicbridge.core import audit, uploads
from civicbridge.core.permissions import require

from ..choices import ChallengeStatus
from ..models import Artefact, Challenge, Event, Project, Team
from ..permissions import can_organise

PROJECT_FIELDS = ("title", "problem", "users", "concept", "prototype_url", "repository_url")
# Design first: a project says what problem it tackles, for whom, and how.
REQUIRED_TEXT = {
    "problem": gettext_lazy("Say which problem the project tackles."),
    "users": gettext_lazy("Say who the project is for."),
    "concept": gettext_lazy("Describe the concept: how the project answers the problem."),
}
MAX_ARTEFACTS = 10
ARTEFACT_KINDS = (uploads.PDF, uploads.PNG, uploads.JPEG)
TEAM_LINK_SALT = "civicbridge.events.team.project"
TEAM_LINK_VALID = timedelta(days=30)


class TeamLinkRefused(Exception):
    """A team's project link that cannot be used; the message says why."""


def _validate(project: Project, event: Event) -> None:
    """The team and the challenge are this event's, the challenge is published, the team
    has no other project, and the design-first parts are written."""
    errors: dict[str, str] = {}
    team, challenge = project.team, project.challenge
    if team is None or team.event_id != event.pk:
        errors["team"] = _("Choose one of this event's teams.")
    elif Project.objects.filter(team=team).exclude(pk=project.pk).exists():
        errors["team"] = _("%(team)s has a project already: change that one instead.") % {
            "team": team.name
        }
    if challenge is None or challenge.event_id != event.pk:
        errors["challenge"] = _("Choose the challenge of this event that the project answers.")
    elif challenge.status != ChallengeStatus.PUBLISHED:
        errors["challenge"] = _("Only a published challenge can be answered.")
    duplicate = Project.objects.filter(event_id=event.pk, title__iexact=project.title.strip())
    if duplicate.exclude(pk=project.pk).exists():
        errors["title"] = _("Another project of this event has this title: choose another.")
    for name, message in REQUIRED_TEXT.items():
        if not getattr(project, name).strip():
            errors[name] = str(message)
    if errors:
        raise ValidationError(errors)


def _save(actor, project: Project, event: Event, fields: dict[str, Any]) -> Project:
    created = project.pk is None
    before = None if created else audit.snapshot(Project.objects.get(pk=project.pk))
    for name in PROJECT_FIELDS:
        if name in fields:
            setattr(project, name, fields[name])
    _validate(project, event)
    project.full_clean()
    project.save()
    if before is None:
        audit.log_created(actor, project)
    else:
        audit.log_updated(actor, project, before)
    return project


@transaction.atomic
def create_project(actor, event: Event, *, team: Team, challenge: Challenge, **fields) -> Project:
    """Enter a team's project for it; the organisers do."""
    require(can_organise(actor, event.collaboration))
    project = _save(actor, Project(event=event, team=team, challenge=challenge), event, fields)
    record_activity(
        actor,
        event.collaboration,
        _("%(name)s entered the project “%(project)s” of %(team)s.")
        % {"name": actor_name(actor), "project": project.title, "team": team.name},
        side=event.collaboration.civic_organisation_id,
    )
    return project


@transaction.atomic
def update_project(
    actor, project: Project, *, team: Team, challenge: Challenge, **fields
) -> Project:
    """Change a project; the organisers may, even after the results, to correct it."""
    event = project.event
    require(can_organise(actor, event.collaboration))
    project.team, project.challenge = team, challenge
    _save(actor, project, event, fields)
    record_activity(
        actor,
        event.collaboration,
        _("%(name)s changed the project “%(project)s”.")
        % {"name": actor_name(actor), "project": project.title},
        side=event.collaboration.civic_organisation_id,
    )
    return project


# The team's own link.


def team_link_token(team: Team) -> str:
    return signing.dumps({"t": team.pk, "e": team.event_id}, salt=TEAM_LINK_SALT)


def team_link_url(team: Team) -> str:
    path = reverse("events:team_project", args=[team_link_token(team)])
    return settings.SITE_URL.rstrip("/") + path


def team_for_link(token: str) -> Team:
    """The team a project link names, while the link may still be used.

    Raises TeamLinkRefused: forged, expired, or the results are published.
    """
    try:
        data = signing.loads(token, salt=TEAM_LINK_SALT, max_age=TEAM_LINK_VALID)
    except signing.SignatureExpired:
        raise TeamLinkRefused(
            _("This link has expired: ask the organisers to send the team a new one.")
        ) from None
    except signing.BadSignature:
        raise TeamLinkRefused(
            _("This link is not valid: open the link in the organisers' e-mail as it is.")
        ) from None
    team_pk = data.get("t") if isinstance(data, dict) else None
    team = (
        Team.objects.select_related(
            "contact",
            "event__collaboration__civic_organisation",
            "event__collaboration__institution",
        )
        .filter(pk=team_pk)
        .first()
        if isinstance(team_pk, int)
        else None
    )
    if team is None or team.event_id != data.get("e"):
        raise TeamLinkRefused(
            _("This link is not valid: open the link in the organisers' e-mail as it is.")
        )
    if team.event.results_published_at is not None:
        raise TeamLinkRefused(
            _("The results are published: the projects of this event cannot change any more.")
        )
    return team


@transaction.atomic
def send_team_link(actor, team: Team) -> str:
    """E-mail the team's contact the link to enter and change the team's project."""
    event = team.event
    require(can_organise(actor, event.collaboration))
    contact = team.contact
    if contact is None or not contact.email:
        raise ValidationError(
            _("%(team)s has no contact with an e-mail address: name one in the team first.")
            % {"team": team.name}
        )
    if event.results_published_at is not None:
        raise ValidationError(_("The results are published: the projects cannot change."))
    body = render_to_string(
        "events/projects/team_link_email.txt",
        {
            "team": team,
            "contact": contact,
            "collaboration": event.collaboration,
            "url": team_link_url(team),
            "days": TEAM_LINK_VALID.days,
        },
    )
    subject = _("Your team's project at %(event)s") % {"event": event.collaboration.title}
    recipient = contact.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))
    record_activity(
        actor,
        event.collaboration,
        _("%(name)s sent %(team)s the link to enter its project.")
        % {"name": actor_name(actor), "team": team.name},
        side=event.collaboration.civic_organisation_id,
    )
    return recipient


@transaction.atomic
def save_team_project(team: Team, *, challenge: Challenge, **fields) -> Project:
    """The team enters or changes its own project through its link: no account."""
    locked = Event.objects.select_for_update().get(pk=team.event_id)
    if locked.results_published_at is not None:
        raise ValidationError(_("The results are published: the project cannot change."))
    event = team.event
    project = Project.objects.filter(team=team).first() or Project(event=event, team=team)
    created = project.pk is None
    project.team, project.challenge = team, challenge
    _save(None, project, event, fields)
    record_activity(
        None,
        event.collaboration,
        (
            _("%(team)s entered its project “%(project)s”.")
            if created
            else _("%(team)s changed its project “%(project)s”.")
        )
        % {"team": team.name, "project": project.title},
        side=event.collaboration.civic_organisation_id,
    )
    return project


# Design artefacts.


def artefact_type(upload: UploadedFile) -> str:
    """The type of an upload, read from its first bytes; ValidationError if not allowed."""
    return uploads.content_type_of(
        upload,
        ARTEFACT_KINDS,
        settings.ARTEFACT_MAX_BYTES,
        _("Upload a PDF, PNG or JPEG file: other kinds of file are not accepted."),
    )


@transaction.atomic
def add_artefact(actor, project: Project, *, kind: str, file: UploadedFile) -> Artefact:
    """Keep a design artefact with the project: the organisers, or the team (`actor` None)."""
    if actor is not None:
        require(can_organise(actor, project.event.collaboration))
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.artefacts.count() >= MAX_ARTEFACTS:
        raise ValidationError(
            _("A project keeps at most %(count)d artefacts: remove one first.")
            % {"count": MAX_ARTEFACTS}
        )
    content_type = artefact_type(file)
    artefact = Artefact(
        project=project,
        kind=kind,
        file=file,
        content_type=content_type,
        size=file.size or 0,
        uploaded_by=actor,
    )
    artefact.full_clean(exclude=["uploaded_by"])  # none when the team uploads
    artefact.save()
    audit.log_created(actor, artefact)
    record_activity(
        actor,
        project.event.collaboration,
        _("%(name)s added a design artefact to “%(project)s”.")
        % {
            "name": actor_name(actor) if actor else project.team or _("The team"),
            "project": project.title,
        },
        side=project.event.collaboration.civic_organisation_id,
    )
    return artefact


@transaction.atomic
def remove_artefact(actor, artefact: Artefact) -> None:
    """Remove an artefact, and its file once the removal is committed."""
    project = artefact.project
    require(can_organise(actor, project.event.collaboration))
    pk, file_name, storage = artefact.pk, artefact.file.name or "", artefact.file.storage
    artefact.delete()
    audit.log_deleted(actor, artefact, pk)
    if file_name:
        transaction.on_commit(lambda: storage.delete(file_name))
    record_activity(
        actor,
        project.event.collaboration,
        _("%(name)s removed a design artefact from “%(project)s”.")
        % {"name": actor_name(actor), "project": project.title},
        side=project.event.collaboration.civic_organisation_id,
    )
