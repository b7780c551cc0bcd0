"""Projects, judging and the engagement plan through the API: the same permission helpers,
forms and services as the Projects, Judging and Engagement plan tabs.

An event is named by its collaboration's id, as on the pages. Results are answered only to
the organisers and the judges until the organisers publish them.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Status, UploadedFile

from civicbridge.core.api.forms import changed, validated
from civicbridge.core.api.schemas import (
    ERROR_CODES,
    ApiRequest,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
)
from civicbridge.core.permissions import require

from .. import judging as rules
from ..choices import ArtefactKind
from ..forms.engagement import CommitmentForm, PlanForm
from ..forms.judging import CriterionForm, JudgeForm, RecusalForm
from ..forms.projects import ArtefactForm, ProjectForm
from ..models import Artefact, Commitment, EngagementPlan, Judge, Score
from ..permissions import (
    can_see_results,
    get_artefact_for,
    get_commitment_for,
    get_criterion_for,
    get_event_for,
    get_event_for_projects,
    get_judge_for,
    get_project_for,
    get_team_for,
    judge_of,
    project_of,
    projects_shown,
)
from ..services import engagement as engagement_services
from ..services import judging as judging_services
from ..services import projects as project_services
from .schemas import (
    ArtefactOut,
    CommitmentIn,
    CommitmentOut,
    CriterionChange,
    CriterionIn,
    CriterionOut,
    DoneIn,
    JudgeIn,
    JudgeOut,
    PlanIn,
    PlanOut,
    ProjectChange,
    ProjectIn,
    ProjectOut,
    RecusalIn,
    ResultsOut,
    SheetIn,
    SheetOut,
    TeamLinkOut,
    WinnerIn,
)

router = Router(tags=["events"])


# Projects


@router.get(
    "/events/{event_id}/projects",
    response={200: Page[ProjectOut], ERROR_CODES: ErrorOut},
    url_name="event_projects",
)
def list_projects(request: ApiRequest, event_id: Id, params: Query[PageParams]):
    """The teams' projects: both sides of the event and its judges read them."""
    event, _sees = get_event_for_projects(request.auth, event_id)
    return page(projects_shown(event), params)


@router.post(
    "/events/{event_id}/projects",
    response={201: ProjectOut, ERROR_CODES: ErrorOut},
    url_name="event_project_create",
)
def create_project(request: ApiRequest, event_id: Id, payload: ProjectIn):
    """Enter a team's project: the organisers do, answering a published challenge."""
    event = get_event_for(request.auth, event_id, organise=True)
    data = validated(ProjectForm(payload.dict(), event=event))
    return Status(201, project_services.create_project(request.auth, event, **data))


@router.get(
    "/events/{event_id}/projects/{project_id}",
    response={200: ProjectOut, ERROR_CODES: ErrorOut},
    url_name="event_project",
)
def get_project(request: ApiRequest, event_id: Id, project_id: Id):
    return get_project_for(request.auth, event_id, project_id)


@router.patch(
    "/events/{event_id}/projects/{project_id}",
    response={200: ProjectOut, ERROR_CODES: ErrorOut},
    url_name="event_project_edit",
)
def change_project(request: ApiRequest, event_id: Id, project_id: Id, payload: ProjectChange):
    """Change a project; the organisers may, even after the results, to correct it."""
    project = get_project_for(request.auth, event_id, project_id, organise=True)
    form = changed(ProjectForm, payload, instance=project, event=project.event)
    data = validated(form)
    return project_services.update_project(request.auth, project, **data)


@router.get(
    "/events/{event_id}/projects/{project_id}/artefacts",
    response={200: Page[ArtefactOut], ERROR_CODES: ErrorOut},
    url_name="event_artefacts",
)
def list_artefacts(request: ApiRequest, event_id: Id, project_id: Id, params: Query[PageParams]):
    """The project's design artefacts; download each from the project's page."""
    project = get_project_for(request.auth, event_id, project_id)
    return page(Artefact.objects.filter(project=project), params)


@router.post(
    "/events/{event_id}/projects/{project_id}/artefacts",
    response={201: ArtefactOut, ERROR_CODES: ErrorOut},
    url_name="event_artefact_create",
)
def add_artefact(
    request: ApiRequest,
    event_id: Id,
    project_id: Id,
    kind: Form[ArtefactKind],
    file: File[UploadedFile],
):
    """Upload a design artefact (multipart): a PDF, PNG or JPEG file, checked by its content."""
    project = get_project_for(request.auth, event_id, project_id, organise=True)
    data = validated(ArtefactForm({"kind": kind}, {"file": file}))
    return Status(201, project_services.add_artefact(request.auth, project, **data))


@router.delete(
    "/events/{event_id}/projects/{project_id}/artefacts/{artefact_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="event_artefact_delete",
)
def remove_artefact(request: ApiRequest, event_id: Id, project_id: Id, artefact_id: Id):
    """Remove a design artefact and its file (the organisers)."""
    artefact = get_artefact_for(request.auth, event_id, project_id, artefact_id, organise=True)
    project_services.remove_artefact(request.auth, artefact)
    return Status(204, None)


@router.post(
    "/events/{event_id}/teams/{team_id}/project-link",
    response={200: TeamLinkOut, ERROR_CODES: ErrorOut},
    url_name="event_team_link_send",
)
def send_team_link(request: ApiRequest, event_id: Id, team_id: Id):
    """E-mail the team's contact the link to enter and change the team's project; refused
    without a contact's address, or once the results are published."""
    event = get_event_for(request.auth, event_id, organise=True)
    team = get_team_for(request.auth, event, team_id)
    return {"team_id": team.pk, "sent_to": project_services.send_team_link(request.auth, team)}


# Judging


@router.get(
    "/events/{event_id}/criteria",
    response={200: Page[CriterionOut], ERROR_CODES: ErrorOut},
    url_name="event_criteria",
)
def list_criteria(request: ApiRequest, event_id: Id, params: Query[PageParams]):
    """The weighted rubric the judges score against."""
    event, _sees = get_event_for_projects(request.auth, event_id)
    return page(event.criteria.all(), params)


@router.post(
    "/events/{event_id}/criteria",
    response={201: CriterionOut, ERROR_CODES: ErrorOut},
    url_name="event_criterion_create",
)
def add_criterion(request: ApiRequest, event_id: Id, payload: CriterionIn):
    """Add a line to the rubric; refused once judges have started scoring."""
    event = get_event_for(request.auth, event_id, organise=True)
    data = validated(CriterionForm(payload.dict()))
    return Status(201, judging_services.add_criterion(request.auth, event, **data))


@router.patch(
    "/events/{event_id}/criteria/{criterion_id}",
    response={200: CriterionOut, ERROR_CODES: ErrorOut},
    url_name="event_criterion_edit",
)
def change_criterion(request: ApiRequest, event_id: Id, criterion_id: Id, payload: CriterionChange):
    """Change a line of the rubric; refused once judges have started scoring."""
    criterion = get_criterion_for(request.auth, event_id, criterion_id)
    data = validated(changed(CriterionForm, payload, instance=criterion))
    return judging_services.change_criterion(request.auth, criterion, **data)


@router.delete(
    "/events/{event_id}/criteria/{criterion_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="event_criterion_delete",
)
def remove_criterion(request: ApiRequest, event_id: Id, criterion_id: Id):
    """Take a line off the rubric; refused once judges have started scoring."""
    criterion = get_criterion_for(request.auth, event_id, criterion_id)
    judging_services.remove_criterion(request.auth, criterion)
    return Status(204, None)


@router.get(
    "/events/{event_id}/judges",
    response={200: Page[JudgeOut], ERROR_CODES: ErrorOut},
    url_name="event_judges",
)
def list_judges(request: ApiRequest, event_id: Id, params: Query[PageParams]):
    event, _sees = get_event_for_projects(request.auth, event_id)
    judges = Judge.objects.filter(event=event).select_related("user__person")
    return page(judges.prefetch_related("recused_from"), params)


@router.post(
    "/events/{event_id}/judges",
    response={201: JudgeOut, ERROR_CODES: ErrorOut},
    url_name="event_judge_create",
)
def add_judge(request: ApiRequest, event_id: Id, payload: JudgeIn):
    """Ask the person with an account at `email` to judge."""
    event = get_event_for(request.auth, event_id, organise=True)
    data = validated(JudgeForm(payload.dict()))
    return Status(201, judging_services.add_judge(request.auth, event, **data))


@router.delete(
    "/events/{event_id}/judges/{judge_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="event_judge_delete",
)
def remove_judge(request: ApiRequest, event_id: Id, judge_id: Id):
    """Take a judge off the jury, with their scores, until the results are published."""
    judge = get_judge_for(request.auth, event_id, judge_id)
    judging_services.remove_judge(request.auth, judge)
    return Status(204, None)


@router.post(
    "/events/{event_id}/judges/{judge_id}/recusals",
    response={200: JudgeOut, ERROR_CODES: ErrorOut},
    url_name="event_recusal_create",
)
def recuse(request: ApiRequest, event_id: Id, judge_id: Id, payload: RecusalIn):
    """Record the judge's stake in a team: their scores of its project are withdrawn."""
    judge = get_judge_for(request.auth, event_id, judge_id)
    if not judging_services.can_record_recusal(request.auth, judge):
        raise PermissionDenied
    data = validated(RecusalForm(payload.dict(), event=judge.event))
    return judging_services.recuse(request.auth, judge, **data)


@router.get(
    "/events/{event_id}/projects/{project_id}/scores",
    response={200: SheetOut, ERROR_CODES: ErrorOut},
    url_name="event_project_scores",
)
def my_scores(request: ApiRequest, event_id: Id, project_id: Id):
    """Your own score sheet of the project, as a judge."""
    project = get_project_for(request.auth, event_id, project_id)
    judge = judge_of(request.auth, project.event)
    if judge is None:
        raise PermissionDenied
    rows = Score.objects.filter(judge=judge, project=project)
    return {"scores": dict(rows.values_list("criterion_id", "score"))}


@router.put(
    "/events/{event_id}/projects/{project_id}/scores",
    response={200: SheetOut, ERROR_CODES: ErrorOut},
    url_name="event_project_scores_edit",
)
def put_scores(request: ApiRequest, event_id: Id, project_id: Id, payload: SheetIn):
    """Score the project 1 to 5 on every criterion; refused if you recused from its team."""
    project = get_project_for(request.auth, event_id, project_id)
    saved = judging_services.score_project(request.auth, project, payload.scores)
    return {"scores": {score.criterion_id: score.score for score in saved}}


@router.get(
    "/events/{event_id}/results",
    response={200: ResultsOut, ERROR_CODES: ErrorOut},
    url_name="event_results",
)
def get_results(request: ApiRequest, event_id: Id):
    """The projects ranked; before publication, for the organisers and the judges only."""
    event, _sees = get_event_for_projects(request.auth, event_id)
    require(can_see_results(request.auth, event))
    return {
        "published_at": event.results_published_at,
        "tie_break": event.tie_break or rules.TIE_BREAK,
        "results": [
            {
                "project_id": r.project.pk,
                "title": r.project.title,
                "rank": r.rank,
                "total": None if r.total is None else round(float(r.total), 4),
                "judges": r.judges,
                "decided_by": r.decided_by,
                "winner": r.project.winner,
            }
            for r in judging_services.results(event)
        ],
    }


@router.post(
    "/events/{event_id}/results/publish",
    response={200: ResultsOut, ERROR_CODES: ErrorOut},
    url_name="event_results_publish",
)
def publish_results(request: ApiRequest, event_id: Id):
    """Publish the results; no score changes after this."""
    event = get_event_for(request.auth, event_id, organise=True)
    judging_services.publish_results(request.auth, event)
    return get_results(request, event_id)


@router.put(
    "/events/{event_id}/projects/{project_id}/winner",
    response={200: ProjectOut, ERROR_CODES: ErrorOut},
    url_name="event_project_winner",
)
def set_winner(request: ApiRequest, event_id: Id, project_id: Id, payload: WinnerIn):
    """Mark the project as a winner of the event (winner: true), or not (false)."""
    project = get_project_for(request.auth, event_id, project_id, organise=True)
    return judging_services.set_winner(request.auth, project, winner=payload.winner)


# The engagement plan


@router.get(
    "/events/{event_id}/projects/{project_id}/engagement-plan",
    response={200: PlanOut, ERROR_CODES: ErrorOut},
    url_name="event_engagement_plan",
)
def get_plan(request: ApiRequest, event_id: Id, project_id: Id):
    """Whether the project is worth continuing, who owns it and the capacity behind it."""
    return _plan(_party_project(request.auth, event_id, project_id))


def _party_project(user, event_id: int, project_id: int):
    """A project of the event for its two sides: the jury has no say in the plan."""
    return project_of(get_event_for(user, event_id), project_id)


def _plan(project) -> EngagementPlan:
    plan = get_object_or_404(EngagementPlan.objects.select_related("owner"), project=project)
    plan.project = project
    return plan


@router.put(
    "/events/{event_id}/projects/{project_id}/engagement-plan",
    response={200: PlanOut, ERROR_CODES: ErrorOut},
    url_name="event_engagement_plan_edit",
)
def put_plan(request: ApiRequest, event_id: Id, project_id: Id, payload: PlanIn):
    """Decide with the institution whether the project goes on after the event."""
    project = _party_project(request.auth, event_id, project_id)
    data = validated(PlanForm(payload.dict(), project=project))
    return engagement_services.decide(request.auth, project, **data)


@router.get(
    "/events/{event_id}/projects/{project_id}/commitments",
    response={200: Page[CommitmentOut], ERROR_CODES: ErrorOut},
    url_name="event_commitments",
)
def list_commitments(request: ApiRequest, event_id: Id, project_id: Id, params: Query[PageParams]):
    """The officials' commitments for the project: next step and date."""
    project = _party_project(request.auth, event_id, project_id)
    return page(Commitment.objects.filter(plan__project=project), params)


@router.post(
    "/events/{event_id}/projects/{project_id}/commitments",
    response={201: CommitmentOut, ERROR_CODES: ErrorOut},
    url_name="event_commitment_create",
)
def add_commitment(request: ApiRequest, event_id: Id, project_id: Id, payload: CommitmentIn):
    """Record an official's commitment; officials record their own."""
    plan = _plan(_party_project(request.auth, event_id, project_id))
    data = validated(CommitmentForm(payload.dict(), project=plan.project))
    return Status(201, engagement_services.add_commitment(request.auth, plan, **data))


@router.post(
    "/events/{event_id}/commitments/{commitment_id}/done",
    response={200: CommitmentOut, ERROR_CODES: ErrorOut},
    url_name="event_commitment_done",
)
def commitment_done(request: ApiRequest, event_id: Id, commitment_id: Id, payload: DoneIn):
    """Tick a commitment off (done: true) or open it again (done: false)."""
    commitment = get_commitment_for(request.auth, event_id, commitment_id)
    return engagement_services.set_commitment_done(request.auth, commitment, done=payload.done)


@router.delete(
    "/events/{event_id}/commitments/{commitment_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="event_commitment_delete",
)
def remove_commitment(request: ApiRequest, event_id: Id, commitment_id: Id):
    """Remove a commitment recorded by mistake (either side of the event)."""
    commitment = get_commitment_for(request.auth, event_id, commitment_id)
    engagement_services.remove_commitment(request.auth, commitment)
    return Status(204, None)
