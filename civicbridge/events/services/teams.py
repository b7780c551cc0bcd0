"""Teams the organisers form from the confirmed participants, and the team-mix check (E4)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.collaborations.services import actor_name, record_activity
from civicbridge.core import audit
from civicbridge.core.permissions import require

from ..choices import ParticipantStatus
from ..models import Event, Participant, Team
from ..permissions import can_organise
from ..teammix import MixReport, check_mix


def _validate(team: Team, members: list[Participant], contact: Participant | None) -> None:
    """Members are confirmed participants of the event, in no other team; the contact is
    one of them."""
    errors: dict[str, str] = {}
    strays = [p.name for p in members if p.event_id != team.event_id]
    unconfirmed = [p.name for p in members if p.status != ParticipantStatus.CONFIRMED]
    elsewhere = [p for p in members if p.team_id is not None and p.team_id != team.pk]
    if strays:
        errors["members"] = _("%(names)s did not register for this event.") % {
            "names": ", ".join(strays)
        }
    elif unconfirmed:
        errors["members"] = _(
            "%(names)s has no confirmed place: only confirmed participants join a team."
        ) % {"names": ", ".join(unconfirmed)}
    elif elsewhere:
        errors["members"] = _(
            "%(names)s is in another team already: a participant is in one team only. "
            "Take them out of it first."
        ) % {"names": ", ".join(f"{p.name} ({p.team})" for p in elsewhere)}
    if contact is not None and contact not in members:
        errors["contact"] = _("The contact must be a member of the team.")
    if errors:
        raise ValidationError(errors)


def _save(actor, team: Team, members, contact) -> Team:
    members = list(members)
    require(can_organise(actor, team.event.collaboration))
    _validate(team, members, contact)
    created = team.pk is None
    before = None if created else audit.snapshot(Team.objects.get(pk=team.pk))
    team.contact = contact
    team.full_clean()
    team.save()
    Participant.objects.filter(team=team).exclude(pk__in=[p.pk for p in members]).update(team=None)
    Participant.objects.filter(pk__in=[p.pk for p in members]).update(team=team)
    if created:
        audit.log_created(actor, team)
    else:
        assert before is not None
        audit.log_updated(actor, team, before)
    return team


@transaction.atomic
def create_team(
    actor, event: Event, *, name: str, members, contact: Participant | None = None
) -> Team:
    """Form a team of confirmed participants, one of them its contact for the follow-ups."""
    team = _save(actor, Team(event=event, name=name), members, contact)
    collaboration = event.collaboration
    record_activity(
        actor,
        collaboration,
        _("%(name)s formed the team “%(team)s”.") % {"name": actor_name(actor), "team": name},
        side=collaboration.civic_organisation_id,
    )
    return team


@transaction.atomic
def update_team(
    actor, team: Team, *, name: str, members, contact: Participant | None = None
) -> Team:
    """Rename a team or change its members and contact."""
    team.name = name
    return _save(actor, team, members, contact)


@transaction.atomic
def delete_team(actor, team: Team) -> None:
    """Dissolve a team: its members are free to join another."""
    collaboration = team.event.collaboration
    require(can_organise(actor, collaboration))
    if hasattr(team, "project"):
        raise ValidationError(
            _("The team “%(team)s” has a project: it stays, so the project keeps its team.")
            % {"team": team.name}
        )
    pk = team.pk
    Participant.objects.filter(team=team).update(team=None)
    team.delete()
    audit.log_deleted(actor, team, pk)
    record_activity(
        actor,
        collaboration,
        _("%(name)s dissolved the team “%(team)s”.")
        % {"name": actor_name(actor), "team": team.name},
        side=collaboration.civic_organisation_id,
    )


def team_mix(event: Event) -> MixReport:
    """The team-mix check on the event's confirmed participants, in one query."""
    rows = list(
        Participant.objects.filter(event=event, status=ParticipantStatus.CONFIRMED).values_list(
            "disciplines", "team__name"
        )
    )
    teams: dict[str, list[list[str]]] = {}
    for disciplines, team in rows:
        if team is not None:
            teams.setdefault(team, []).append(disciplines)
    return check_mix([disciplines for disciplines, _team in rows], teams)
