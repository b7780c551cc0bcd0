"""The Judging tab (E3): the weighted rubric, the jury and recusals, each judge's score
sheets, and the results with their tie-break, published when the organisers say so."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.core.permissions import require

from .. import judging as rules
from ..forms.judging import CriterionForm, JudgeForm, RecusalForm, ScoreForm, field_name
from ..models import Event, Judge, Score
from ..permissions import (
    can_organise,
    can_see_results,
    get_criterion_for,
    get_event_for,
    get_event_for_projects,
    get_judge_for,
    get_project_for,
    get_published_results,
    judge_of,
    projects_shown,
)
from ..services import judging as services
from .projects import event_page


def _judging_url(pk: int) -> str:
    return reverse("events:judging", args=[pk])


def _done(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    """Run a one-button action, say how it went, and go back to the tab."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("events:judging", pk)


@login_required
@require_GET
def judging(request: HttpRequest, pk: int) -> HttpResponse:
    event, sees = get_event_for_projects(request.user, pk)
    judge = judge_of(request.user, event)
    criteria = list(event.criteria.all())
    judges = list(
        Judge.objects.filter(event=event)
        .select_related("user__person")
        .prefetch_related("recused_from")
        .order_by("user__email")
    )
    sheets = []
    if judge is not None:
        scored = set(
            Score.objects.filter(judge=judge).values_list("project_id", flat=True).distinct()
        )
        sheets = [
            {
                "project": project,
                "scored": project.pk in scored,
                "recused": services.is_recused(judge, project),
            }
            for project in projects_shown(event)
        ]
    return event_page(
        request,
        event,
        sees,
        "judging",
        "events/judging/judging.html",
        {
            "criteria": criteria,
            "total_weight": sum(c.weight for c in criteria),
            "judges": judges,
            "judge": judge,
            "sheets": sheets,
            "can_organise": can_organise(request.user, event.collaboration)[0],
            "rubric_fixed": services.scoring_started(event),
            "sees_results": can_see_results(request.user, event)[0],
            "tie_break": rules.TIE_BREAK,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk, organise=True)
    form = CriterionForm(
        request.POST or None, initial={"weight": 1, "order": len(event.criteria.all()) + 1}
    )
    if request.method == "POST" and save_form(
        form, lambda data: services.add_criterion(request.user, event, **data)
    ):
        messages.success(request, _("The criterion was added to the rubric."))
        return redirect("events:judging", pk)
    return form_page(
        request,
        form,
        _("Add a criterion to the rubric"),
        intro=_(
            "Judge the design rather than the amount of code: the problem understood, the "
            "users involved, the concept, the prototype."
        ),
        submit=_("Add the criterion"),
        back=_judging_url(pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    criterion = get_criterion_for(request.user, pk, criterion_pk)
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and save_form(
        form, lambda data: services.change_criterion(request.user, criterion, **data)
    ):
        messages.success(request, _("The criterion was saved."))
        return redirect("events:judging", pk)
    return form_page(
        request,
        form,
        _("Change the criterion “%(criterion)s”") % {"criterion": criterion.name},
        back=_judging_url(pk),
    )


@login_required
@require_POST
def criterion_remove(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    criterion = get_criterion_for(request.user, pk, criterion_pk)
    return _done(
        request,
        pk,
        lambda: services.remove_criterion(request.user, criterion),
        _("“%(criterion)s” was removed from the rubric.") % {"criterion": criterion.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def judge_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk, organise=True)
    form = JudgeForm(request.POST or None)
    if request.method == "POST" and save_form(
        form, lambda data: services.add_judge(request.user, event, **data)
    ):
        messages.success(request, _("The judge was added. They see the projects and score."))
        return redirect("events:judging", pk)
    return form_page(
        request,
        form,
        _("Add a judge"),
        intro=_(
            "A judge signs in with their own account, sees the projects and scores each on "
            "every criterion. A judge with a stake in a team recuses from it."
        ),
        submit=_("Add the judge"),
        back=_judging_url(pk),
    )


@login_required
@require_POST
def judge_remove(request: HttpRequest, pk: int, judge_pk: int) -> HttpResponse:
    judge = get_judge_for(request.user, pk, judge_pk)
    return _done(
        request,
        pk,
        lambda: services.remove_judge(request.user, judge),
        _("%(judge)s is no longer a judge.") % {"judge": judge.user.display_name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def recusal_create(request: HttpRequest, pk: int, judge_pk: int) -> HttpResponse:
    judge = get_judge_for(request.user, pk, judge_pk)
    event = judge.event
    if not services.can_record_recusal(request.user, judge):
        raise PermissionDenied(_("Only the judge themself or the organisers record a recusal."))
    form = RecusalForm(request.POST or None, event=event)
    if request.method == "POST" and save_form(
        form, lambda data: services.recuse(request.user, judge, **data)
    ):
        messages.success(request, _("The recusal was recorded."))
        return redirect("events:judging", pk)
    return form_page(
        request,
        form,
        _("Record a recusal of %(judge)s") % {"judge": judge.user.display_name},
        intro=_(
            "A judge with a stake in a team does not score its project. Any score they gave "
            "it is withdrawn, and the results count only the other judges."
        ),
        submit=_("Record the recusal"),
        back=_judging_url(pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    project = get_project_for(request.user, pk, project_pk)
    event = project.event
    judge = judge_of(request.user, event)
    if judge is None:
        raise PermissionDenied(_("Only the event's judges score its projects."))
    criteria = list(event.criteria.all())
    current = {
        field_name(s.criterion): s.score
        for s in Score.objects.filter(judge=judge, project=project).select_related("criterion")
    }
    form = ScoreForm(request.POST or None, initial=current, criteria=criteria)
    if request.method == "POST" and save_form(
        form, lambda data: services.score_project(request.user, project, form.scores())
    ):
        messages.success(
            request, _("Your scores of “%(project)s” were saved.") % {"project": project.title}
        )
        return redirect("events:judging", pk)
    return render(
        request,
        "events/judging/score.html",
        {
            "form": form,
            "project": project,
            "event": event,
            "collaboration": event.collaboration,
            "recused": services.is_recused(judge, project),
            "back": _judging_url(pk),
        },
    )


def _results_context(event: Event) -> dict:
    results = services.results(event)
    criteria = list(event.criteria.all())
    return {
        "results": results,
        "criteria": criteria,
        "rows": [
            {"result": r, "scores": [r.per_criterion.get(c.pk) for c in criteria]} for r in results
        ],
        "tie_break": event.tie_break or rules.TIE_BREAK,
    }


@login_required
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    event, sees = get_event_for_projects(request.user, pk)
    require(can_see_results(request.user, event))
    return event_page(
        request,
        event,
        sees,
        "judging",
        "events/judging/results.html",
        {
            **_results_context(event),
            "can_organise": can_organise(request.user, event.collaboration)[0],
            "published": event.results_published_at,
        },
    )


@login_required
@require_POST
def results_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk, organise=True)
    try:
        services.publish_results(request.user, event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The results are published on the event's pages."))
    return redirect("events:results", pk)


@login_required
@require_POST
def winner(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    project = get_project_for(request.user, pk, project_pk, organise=True)
    chosen = request.POST.get("winner") == "yes"
    services.set_winner(request.user, project, winner=chosen)
    messages.success(
        request,
        (
            _("“%(project)s” is marked as a winner.")
            if chosen
            else _("“%(project)s” is no longer marked as a winner.")
        )
        % {"project": project.title},
    )
    return redirect("events:results", pk)


@require_GET
def public_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The published results of a public event, for anyone."""
    event = get_published_results(pk)
    return render(
        request,
        "events/judging/public_results.html",
        {"event": event, "collaboration": event.collaboration, **_results_context(event)},
    )
