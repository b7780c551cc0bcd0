"""Beneficiaries' feedback (T3): the public form and page, the tab where the civic side
moderates and the institution answers, the CSV, and the overview across collaborations."""

import csv
from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.collaborations.pages import page
from civicbridge.collaborations.permissions import (
    get_collaboration_for,
    get_public_collaboration,
    visible_collaborations,
)
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.core.permissions import require
from civicbridge.core.public_forms import within_allowance

from ..choices import FeedbackStatus
from ..forms import AnswerForm, FeedbackForm, ModerationForm, ServiceForm
from ..models import Feedback, Service
from ..permissions import (
    can_answer,
    can_moderate,
    feedback_for,
    feedback_of,
    is_civic_member,
    is_institution_member,
    service_of,
)
from ..queries import health_of, overview
from ..services import feedback as services

CSV_HEADER = (
    "id",
    "received",
    "service",
    "rating",
    "what worked",
    "what did not work",
    "status",
    "answer",
    "answered",
)


@login_required
@require_GET
def feedback_tab(request: HttpRequest, pk: int) -> HttpResponse:
    """What beneficiaries said: all of it with the addresses for the civic side, which
    moderates; the published, to answer, for the institution."""
    collaboration = get_collaboration_for(request.user, pk)
    moderator = is_civic_member(request.user, collaboration)
    rows = list(feedback_for(request.user, collaboration).select_related("answered_by__person"))
    return page(
        request,
        collaboration,
        "feedback",
        "feedback/tab.html",
        {
            "health": health_of(collaboration),
            "waiting": [f for f in rows if f.status == FeedbackStatus.NEW] if moderator else [],
            "shown": [f for f in rows if f.status != FeedbackStatus.NEW],
            "moderator": moderator,
            "answerer": is_institution_member(request.user, collaboration),
            "services": list(Service.objects.filter(collaboration=collaboration)),
            "service_form": ServiceForm(),
        },
    )


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int, feedback_pk: int) -> HttpResponse:
    collaboration = get_collaboration_for(request.user, pk)
    require(can_moderate(request.user, collaboration))
    feedback = feedback_of(request.user, collaboration, feedback_pk)
    form = ModerationForm(request.POST)
    published = save_form(
        form,
        lambda data: services.moderate_feedback(
            request.user, feedback, publish=data["decision"] == "publish"
        ),
    )
    if published:
        messages.success(
            request,
            _("The feedback is published: the institution can answer it now.")
            if published.status == FeedbackStatus.PUBLISHED
            else _("The feedback is rejected: nobody else sees it."),
        )
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(str(message) for message in error))
    return redirect(tab_url(collaboration, "feedback"))


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int, feedback_pk: int) -> HttpResponse:
    collaboration = get_collaboration_for(request.user, pk)
    feedback = feedback_of(request.user, collaboration, feedback_pk)
    require(can_answer(request.user, feedback))
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and save_form(
        form, lambda data: services.answer_feedback(request.user, feedback, answer=data["answer"])
    ):
        messages.success(request, _("Your answer is published with the feedback."))
        return redirect(tab_url(collaboration, "feedback"))
    return render(
        request,
        "feedback/answer.html",
        {
            "form": form,
            "feedback": feedback,
            "collaboration": collaboration,
            "back": tab_url(collaboration, "feedback"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_collaboration_for(request.user, pk)
    require(can_moderate(request.user, collaboration))
    form = ServiceForm(request.POST or None)
    back = tab_url(collaboration, "feedback", "services-heading")
    if request.method == "POST" and save_form(
        form, lambda data: services.add_service(request.user, collaboration, name=data["name"])
    ):
        messages.success(request, _("People can choose the service on the feedback form now."))
        return redirect(back)
    return form_page(request, form, _("Add a service to the feedback form"), back=back)


@login_required
@require_POST
def service_delete(request: HttpRequest, pk: int, service_pk: int) -> HttpResponse:
    collaboration = get_collaboration_for(request.user, pk)
    require(can_moderate(request.user, collaboration))
    service = service_of(collaboration, service_pk)
    services.remove_service(request.user, service)
    messages.success(
        request,
        _("“%(name)s” is off the form; the feedback given on it stays.") % {"name": service.name},
    )
    return redirect(tab_url(collaboration, "feedback", "services-heading"))


class _Echo:
    """A file that hands back what is written to it, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: what starts like a formula gets a quote first."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_rows(rows) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for feedback in rows.iterator(chunk_size=500):
        yield writer.writerow(
            [
                feedback.pk,
                feedback.created_at.isoformat(),
                _cell(feedback.service.name) if feedback.service else "",
                feedback.rating,
                _cell(feedback.worked),
                _cell(feedback.did_not_work),
                feedback.status,
                _cell(feedback.answer),
                feedback.answered_at.isoformat() if feedback.answered_at else "",
            ]
        )


@login_required
@require_GET
def export(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The feedback the user reads, as CSV, streamed; without any e-mail address."""
    collaboration = get_collaboration_for(request.user, pk)
    rows = feedback_for(request.user, collaboration).defer("email").order_by("created_at", "pk")
    response = StreamingHttpResponse(_csv_rows(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="feedback-{collaboration.pk}.csv"'
    return response


@login_required
@require_GET
def overview_page(request: HttpRequest) -> HttpResponse:
    """Beneficiaries' feedback on every collaboration the user sees, busiest first."""
    rows = list(overview(visible_collaborations(request.user)))
    return render(request, "feedback/overview.html", {"rows": rows})


# Public: no account needed.


@require_http_methods(["GET", "POST"])
def give(request: HttpRequest, pk: int) -> HttpResponse:
    """Give feedback on a public collaboration, without an account."""
    collaboration = get_public_collaboration(pk)
    form = FeedbackForm(request.POST or None, collaboration=collaboration)
    status = 200
    if request.method == "POST":
        if not within_allowance(request, "feedback", settings.FEEDBACK_PER_MINUTE):
            messages.error(
                request,
                _(
                    "Too much feedback came from your network this minute: wait a minute and "
                    "send the form again."
                ),
            )
            status = 429
        elif save_form(
            form,
            lambda data: services.give_feedback(
                collaboration,
                service=data.get("service"),
                worked=data["worked"],
                did_not_work=data["did_not_work"],
                rating=data["rating"],
                email=data["email"],
            ),
        ):
            messages.success(
                request,
                _(
                    "Thank you. The organisers read every feedback before it is published "
                    "here; the institution then answers it."
                ),
            )
            return redirect("feedback:public", pk)
    return render(
        request,
        "feedback/give.html",
        {"collaboration": collaboration, "form": form},
        status=status,
    )


@require_GET
def public_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The published feedback on a public collaboration, with the institution's answers."""
    collaboration = get_public_collaboration(pk)
    rows = list(
        Feedback.objects.filter(collaboration=collaboration)
        .published()
        .select_related("service")
        .defer("email")
    )
    return render(
        request,
        "feedback/public.html",
        {"collaboration": collaboration, "rows": rows, "health": health_of(collaboration)},
    )
