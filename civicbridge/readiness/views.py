import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.core import documents
from civicbridge.core.documents import download
from civicbridge.core.permissions import require
from civicbridge.partners.choices import Access
from civicbridge.partners.models import Organisation
from civicbridge.partners.permissions import acting_organisation_ids, get_organisation_for
from civicbridge.playbook.document import Playbook
from civicbridge.playbook.models import PlaybookVersion
from civicbridge.playbook.templatetags.playbook import tr

from . import permissions, queries, services
from .actions import model_actions
from .comparison import compare as comparison_of
from .forms import AnswersForm, CompareForm, ContextForm, TimelineCompareForm, field_name
from .models import Assessment

PAGE_SIZE = 25


def steps(document: dict) -> list[tuple[dict, list[dict]]]:
    """The questionnaire's steps: one per context factor, with its questions."""
    by_factor: dict[str, list[dict]] = {}
    for question in document["questions"]:
        by_factor.setdefault(question["factor"], []).append(question)
    return [(f, by_factor[f["id"]]) for f in document["factors"] if f["id"] in by_factor]


def _own_organisations(user) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=acting_organisation_ids(user, Access.MEMBER)))


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    assessments = permissions.visible_assessments(request.user).select_related(
        "owner_organisation", "institution", "civic_partner"
    )
    page = Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "readiness/list.html",
        {
            "assessments": page.object_list,
            "page": page,
            "can_start": permissions.can_start_assessment(request.user)[0],
            # Only finished assessments can be compared: offer no other.
            "compare_form": CompareForm(assessments=assessments.filter(completed_at__isnull=False)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest) -> HttpResponse:
    require(permissions.can_start_assessment(request.user))
    form = ContextForm(request.POST or None, own=_own_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            assessment = services.start_assessment(
                request.user, data.pop("owner_organisation"), **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("readiness:step", pk=assessment.pk, number=1)
    return render(request, "readiness/context.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def assessment_context(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.get_assessment_for(request.user, pk, edit=True)
    form = ContextForm(
        request.POST or None, instance=assessment, own=_own_organisations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_context(request.user, assessment, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(assessment)
    return render(request, "readiness/context.html", {"form": form, "assessment": assessment})


@login_required
@require_http_methods(["GET", "POST"])
def assessment_step(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    assessment = permissions.get_assessment_for(request.user, pk, edit=True)
    document = assessment.playbook_version.content
    all_steps = steps(document)
    if not 1 <= number <= len(all_steps):
        raise Http404(_("This questionnaire has no step %(number)d.") % {"number": number})
    factor, questions = all_steps[number - 1]
    initial = {field_name(q["id"]): assessment.answers.get(q["id"]) for q in questions}
    form = AnswersForm(
        request.POST or None, initial=initial, questions=questions, scales=document["scales"]
    )
    if request.method == "POST" and form.is_valid():
        services.save_answers(request.user, assessment, form.answers())
        if "save_and_exit" in request.POST:
            messages.success(request, _("Your answers are saved. Continue whenever you like."))
            return redirect(assessment)
        if number < len(all_steps):
            return redirect("readiness:step", pk=pk, number=number + 1)
        return redirect(assessment)
    return render(
        request,
        "readiness/step.html",
        {
            "assessment": assessment,
            "form": form,
            "factor": factor,
            "number": number,
            "steps": [f for f, _questions in all_steps],
            "last": number == len(all_steps),
        },
    )


def _report_context(assessment: Assessment) -> dict:
    document = assessment.playbook_version.content
    playbook = Playbook(document)
    result = assessment.result()
    parts = {
        kind: {item["id"]: item for model in document["models"] for item in model.get(kind, [])}
        for kind in ("conditions", "context", "mitigations")
    }
    first_steps: dict[str, list] = {}
    for risk in result.first_steps():
        first_steps.setdefault(risk.model_id, []).append(risk)
    return {
        "assessment": assessment,
        "result": result,
        "playbook": playbook,
        "models": playbook.models,
        "questions": playbook.questions,
        "conditions": parts["conditions"],
        "context_weights": parts["context"],
        "mitigations": parts["mitigations"],
        "answer_labels": {
            q["id"]: {o["value"]: tr(o["label"]) for o in document["scales"][q["scale"]]}
            for q in document["questions"]
        },
        "step_of": {
            question["id"]: number
            for number, (_factor, questions) in enumerate(steps(document), start=1)
            for question in questions
        },
        # What to do first, by leading model: an excluded model never leads.
        "first_steps": first_steps,
        "top_risks": result.risks[:5],
    }


@login_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.get_assessment_for(request.user, pk)
    document = assessment.playbook_version.content
    progress = [
        (number, factor, sum(1 for q in questions if q["id"] in assessment.answers), len(questions))
        for number, (factor, questions) in enumerate(steps(document), start=1)
    ]
    context = {
        "assessment": assessment,
        "progress": progress,
        "answered": len(assessment.answers),
        "total": len(document["questions"]),
        "can_change": permissions.can_change_assessment(request.user, assessment)[0],
    }
    # The result so far, also before every question is answered: the engine says when there
    # are not enough answers yet, and which questions would decide.
    context |= _report_context(assessment)
    if assessment.complete:
        context["model_actions"] = model_actions(request.user, assessment)
    return render(request, "readiness/detail.html", context)


@login_required
@require_POST
def assessment_complete(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.get_assessment_for(request.user, pk, edit=True)
    try:
        services.complete_assessment(request.user, assessment)
    except ValidationError as error:
        messages.error(
            request,
            _("Answer every question first. Still open: %(count)d.")
            % {"count": len(error.messages)},
        )
    return redirect(assessment)


@login_required
@require_POST
def assessment_repeat(request: HttpRequest, pk: int) -> HttpResponse:
    """Assess the same context again, starting from the earlier answers."""
    assessment = permissions.get_assessment_for(request.user, pk, edit=True)
    try:
        again = services.repeat_assessment(request.user, assessment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(assessment)
    messages.success(
        request,
        _("A new assessment of the same context, with the earlier answers: review each step."),
    )
    return redirect("readiness:step", pk=again.pk, number=1)


def _complete_or_404(assessment: Assessment) -> None:
    if not assessment.complete:
        raise Http404(_("The assessment is not finished yet."))


@login_required
@require_GET
def assessment_json(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.get_assessment_for(request.user, pk)
    _complete_or_404(assessment)
    data = {
        "title": assessment.title,
        "country": assessment.country,
        "institution": assessment.institution.name,
        "civic_partner": assessment.civic_partner.name if assessment.civic_partner else None,
        "assessed_on": assessment.assessed_on.isoformat(),
        "playbook_version": assessment.playbook_version.number,
        "answers": assessment.answers,
        **assessment.result().as_dict(),
    }
    return download(
        json.dumps(data, indent=2, ensure_ascii=False),
        "application/json",
        f"assessment-{assessment.pk}.json",
    )


CSV_COLUMNS = [
    "model",
    "rank",
    "tied",
    "status",
    "score",
    "answered_percent",
    "line",
    "kind",
    "question",
    "answer",
    "favourable",
    "met_at",
    "weight",
    "blocking",
    "applies",
    "satisfaction",
    "points",
    "met",
    "quote",
    "place",
]


def _cell(value) -> str:
    return "" if value is None else str(value)


def _quote_cells(quote) -> list[str]:
    if quote is None:
        return ["", ""]
    return [quote.text, str(quote.place) if quote.place else ""]


@login_required
@require_GET
def assessment_csv(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.get_assessment_for(request.user, pk)
    _complete_or_404(assessment)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for model in assessment.result().models:
        judged = [
            model.model_id,
            _cell(model.rank),
            model.tied,
            model.status,
            _cell(model.score),
            model.answered_percent,
        ]
        for c in model.conditions:
            writer.writerow(
                [
                    *judged,
                    c.condition_id,
                    c.kind,
                    c.question_id,
                    _cell(c.answer),
                    c.favourable,
                    _cell(c.met_at),
                    c.weight,
                    c.blocking,
                    _cell(c.applies),
                    f"{c.satisfaction:.3f}" if c.answered else "",
                    f"{c.points:.3f}" if c.answered else "",
                    _cell(c.met),
                    *_quote_cells(c.quote),
                ]
            )
        for gate in model.gates:
            writer.writerow(
                [
                    *judged,
                    gate.condition_id,
                    f"gate before {gate.stage}" if gate.stage else "gate",
                    *[""] * 4,
                    "",
                    gate.blocking,
                    *[""] * 4,
                    *_quote_cells(gate.quote),
                ]
            )
    return download(out.getvalue(), "text/csv; charset=utf-8", f"assessment-{assessment.pk}.csv")


@login_required
@require_GET
def assessment_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = permissions.get_assessment_for(request.user, pk)
    _complete_or_404(assessment)
    return documents.pdf_download(
        request,
        "readiness/report_print.html",
        _report_context(assessment),
        f"assessment-{assessment.pk}.pdf",
    )


@login_required
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    assessments = permissions.visible_assessments(request.user).filter(completed_at__isnull=False)
    form = CompareForm(request.GET or None, assessments=assessments)
    context: dict = {"form": form}
    if form.is_valid():
        first, second = form.cleaned_data["first"], form.cleaned_data["second"]
        comparison = comparison_of(first, second)
        context |= {
            "first": first,
            "second": second,
            "models": Playbook(second.playbook_version.content).models,
            "rows": [(fit.before, fit.after, fit.change) for fit in comparison.fits],
            "answers": [(a.question, a.before_label, a.after_label) for a in comparison.answers],
        }
    return render(request, "readiness/compare.html", context)


@login_required
@require_GET
def institution_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessments of one institution that the user may see, newest first, with each
    model's fit; and what changed between two of them (by default the latest two)."""
    institution = get_organisation_for(request.user, pk)
    assessments = queries.assessments_of(request.user, institution)
    page = Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("page"))
    timeline = queries.timeline(page.object_list)
    finished = assessments.filter(completed_at__isnull=False)
    data: Mapping[str, Any] | None = request.GET if {"first", "second"} & set(request.GET) else None
    if data is None:
        latest = list(finished[:2])
        if len(latest) == 2:
            data = {"first": latest[1].pk, "second": latest[0].pk}
    form = TimelineCompareForm(data, assessments=finished)
    playbook = PlaybookVersion.objects.current_playbook()
    return render(
        request,
        "readiness/timeline.html",
        {
            "institution": institution,
            "page": page,
            "timeline": timeline,
            "models": playbook.models if playbook else {},
            "form": form,
            "comparison": comparison_of(form.cleaned_data["first"], form.cleaned_data["second"])
            if data is not None and form.is_valid()
            else None,
        },
    )
