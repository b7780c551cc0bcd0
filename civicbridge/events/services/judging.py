"""Judging: the weighted rubric, the jury, recusals, scores, and publishing the results (E3).

The rubric is fixed once the first score is in, so that every judge scores against the
same one. A judge with a stake in a team recuses: their scores of its project go, and they
cannot score it. The results are computed by `civicbridge.events.judging` and reach the
participants and the public only when the organisers publish them; after that no score
changes.
"""

from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.services import actor_name, record_activity
from civicbridge.core import audit
from civicbridge.core.permissions import require
from civicbridge.core.services import create_record, update_record

from .. import judging
from ..models import Criterion, Event, Judge, Project, Score, Team
from ..permissions import can_organise, judge_of, projects_shown


def _activity(actor, event: Event, message: str) -> None:
    record_activity(
        actor, event.collaboration, message, side=event.collaboration.civic_organisation_id
    )


def scoring_started(event: Event) -> bool:
    return Score.objects.filter(project__event=event).exists()


def _require_open_rubric(event: Event) -> None:
    if scoring_started(event):
        raise ValidationError(
            _(
                "Judges have started scoring: the rubric is fixed, so that every judge scores "
                "against the same one."
            )
        )


def _state_tie_break(event: Event) -> None:
    """Store the tie-break the results apply, in the words they are stated in."""
    if event.tie_break != judging.TIE_BREAK:
        Event.objects.filter(pk=event.pk).update(tie_break=judging.TIE_BREAK)
        event.tie_break = judging.TIE_BREAK


@transaction.atomic
def add_criterion(
    actor, event: Event, *, name: str, description: str = "", weight: int, order: int = 0
) -> Criterion:
    """Add a line to the rubric, with its weight from 1 to 10."""
    require(can_organise(actor, event.collaboration))
    _require_open_rubric(event)
    criterion = create_record(
        actor,
        Criterion,
        event=event,
        name=name,
        description=description,
        weight=weight,
        order=order,
    )
    _state_tie_break(event)
    _activity(
        actor,
        event,
        _("%(name)s added “%(criterion)s” (weight %(weight)d) to the judging rubric.")
        % {"name": actor_name(actor), "criterion": name, "weight": weight},
    )
    return criterion


@transaction.atomic
def change_criterion(actor, criterion: Criterion, **fields) -> Criterion:
    event = criterion.event
    require(can_organise(actor, event.collaboration))
    _require_open_rubric(event)
    update_record(actor, criterion, **fields)
    _activity(
        actor,
        event,
        _("%(name)s changed “%(criterion)s” in the judging rubric.")
        % {"name": actor_name(actor), "criterion": criterion.name},
    )
    return criterion


@transaction.atomic
def remove_criterion(actor, criterion: Criterion) -> None:
    event = criterion.event
    require(can_organise(actor, event.collaboration))
    _require_open_rubric(event)
    pk = criterion.pk
    criterion.delete()
    audit.log_deleted(actor, criterion, pk)
    _activity(
        actor,
        event,
        _("%(name)s removed “%(criterion)s” from the judging rubric.")
        % {"name": actor_name(actor), "criterion": criterion.name},
    )


@transaction.atomic
def add_judge(actor, event: Event, *, email: str) -> Judge:
    """Ask the person with the account `email` to judge; they see the projects and score."""
    require(can_organise(actor, event.collaboration))
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "Nobody has an account with this e-mail address: judges sign in to score, "
                    "so ask them to get an account first."
                )
            }
        )
    if Judge.objects.filter(event=event, user=user).exists():
        raise ValidationError({"email": _("%(name)s is a judge already.") % {"name": user}})
    judge = create_record(actor, Judge, event=event, user=user)
    _activity(
        actor,
        event,
        _("%(name)s asked %(judge)s to judge.")
        % {"name": actor_name(actor), "judge": user.display_name},
    )
    return judge


@transaction.atomic
def remove_judge(actor, judge: Judge) -> None:
    """Take a judge off the jury, with their scores, until the results are published."""
    event = judge.event
    require(can_organise(actor, event.collaboration))
    if event.results_published_at is not None:
        raise ValidationError(
            _("The results are published: the judges who made them stay on record.")
        )
    pk, name = judge.pk, judge.user.display_name
    judge.delete()
    audit.log_deleted(actor, judge, pk)
    _activity(
        actor,
        event,
        _("%(name)s took %(judge)s off the jury.") % {"name": actor_name(actor), "judge": name},
    )


def can_record_recusal(actor, judge: Judge) -> bool:
    return actor.pk == judge.user_id or can_organise(actor, judge.event.collaboration)[0]


@transaction.atomic
def recuse(actor, judge: Judge, team: Team) -> Judge:
    """Record that the judge has a stake in `team`: their scores of its project go, and
    they will not score it. The judge themself or the organisers record it."""
    event = judge.event
    if not can_record_recusal(actor, judge):
        raise PermissionDenied(_("Only the judge themself or the organisers record a recusal."))
    if team.event_id != event.pk:
        raise ValidationError({"team": _("Choose one of this event's teams.")})
    if event.results_published_at is not None:
        raise ValidationError(_("The results are published: the jury cannot change any more."))
    if judge.recused_from.filter(pk=team.pk).exists():
        raise ValidationError({"team": _("This recusal is recorded already.")})
    judge.recused_from.add(team)
    withdrawn = list(Score.objects.filter(judge=judge, project__team=team))
    for score in withdrawn:
        pk = score.pk
        score.delete()
        audit.log_deleted(actor, score, pk)
    _activity(
        actor,
        event,
        _("%(judge)s recused from judging %(team)s, in which they have a stake.")
        % {"judge": judge.user.display_name, "team": team.name},
    )
    return judge


def is_recused(judge: Judge, project: Project) -> bool:
    """Whether the judge recused from the project's team (reads the prefetched teams)."""
    return project.team_id is not None and any(
        team.pk == project.team_id for team in judge.recused_from.all()
    )


@transaction.atomic
def score_project(actor, project: Project, scores: Mapping[int, int]) -> list[Score]:
    """Record one judge's scores of a project, 1 to 5 on every criterion of the rubric."""
    event = project.event
    judge = judge_of(actor, event)
    if judge is None:
        raise PermissionDenied(_("Only the event's judges score its projects."))
    if is_recused(judge, project):
        raise PermissionDenied(
            _("You recused from %(team)s: you cannot score its project.") % {"team": project.team}
        )
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.results_published_at is not None:
        raise ValidationError(_("The results are published: scores cannot change any more."))
    criteria = list(event.criteria.all())
    if not criteria:
        raise ValidationError(_("The rubric has no criteria yet: the organisers add them first."))
    errors = {
        f"criterion_{c.pk}": _("Score “%(criterion)s” from 1 to 5.") % {"criterion": c.name}
        for c in criteria
        if scores.get(c.pk) not in range(1, 6)
    }
    if errors:
        raise ValidationError(errors)
    existing = {s.criterion_id: s for s in Score.objects.filter(judge=judge, project=project)}
    saved = []
    for criterion in criteria:
        value = scores[criterion.pk]
        score = existing.get(criterion.pk)
        if score is None:
            score = create_record(
                actor, Score, judge=judge, project=project, criterion=criterion, score=value
            )
        elif score.score != value:
            update_record(actor, score, score=value)
        saved.append(score)
    _activity(
        actor,
        event,
        _("%(name)s scored “%(project)s”.") % {"name": actor_name(actor), "project": project.title},
    )
    return saved


def results(event: Event) -> list[judging.Result]:
    """Every project of the event, best first, as the rubric and the scores rank them."""
    criteria = [judging.Criterion(c.pk, c.weight, c.order) for c in event.criteria.all()]
    projects = list(projects_shown(event))
    sheets: dict[int, dict[int, dict[int, int]]] = {p.pk: {} for p in projects}
    rows = Score.objects.filter(project__event=event).values_list(
        "project_id", "judge_id", "criterion_id", "score"
    )
    for project_id, judge_id, criterion_id, score in rows:
        sheets[project_id].setdefault(judge_id, {})[criterion_id] = score
    entries = [judging.Entry(p, p.created_at, sheets[p.pk]) for p in projects]
    return judging.rank(criteria, entries)


@transaction.atomic
def publish_results(actor, event: Event) -> Event:
    """Show the results, with the tie-break they apply, to everyone who sees the event."""
    require(can_organise(actor, event.collaboration))
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.results_published_at is not None:
        raise ValidationError(_("The results are published already."))
    if not any(result.rank for result in results(event)):
        raise ValidationError(_("No project is scored yet: there are no results to publish."))
    before = audit.snapshot(locked)
    event.results_published_at = timezone.now()
    event.tie_break = judging.TIE_BREAK
    event.save(update_fields=["results_published_at", "tie_break", "updated_at"])
    audit.log_updated(actor, event, before)
    _activity(actor, event, _("%(name)s published the results.") % {"name": actor_name(actor)})
    return event


@transaction.atomic
def set_winner(actor, project: Project, *, winner: bool) -> Project:
    """Mark a project as a winner of the event, or not."""
    event = project.event
    require(can_organise(actor, event.collaboration))
    if project.winner == winner:
        return project
    update_record(actor, project, winner=winner)
    _activity(
        actor,
        event,
        (
            _("%(name)s marked “%(project)s” as a winner.")
            if winner
            else _("%(name)s marked “%(project)s” as not a winner.")
        )
        % {"name": actor_name(actor), "project": project.title},
    )
    return project
