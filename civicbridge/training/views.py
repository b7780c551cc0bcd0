"""The training room's pages: the curriculum, sessions, participants and capacity tabs, the
attendance sheet, the certificates, the participant's own page and the self-assessment
link (T1)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.pages import page
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core.forms import save_form
from civicbridge.core.pages import delete_page, edit_page
from civicbridge.core.permissions import require

from . import queries
from .forms import (
    AttendanceForm,
    ChampionForm,
    InviteForm,
    ModuleForm,
    ObjectiveForm,
    ParticipantForm,
    RegisterForm,
    SelfAssessmentForm,
    SessionForm,
)
from .permissions import (
    can_register,
    can_run,
    can_see_certificate,
    certificate_run_of,
    get_training_for,
    module_of,
    objective_of,
    own_participant_for,
    participant_of,
    session_of,
)
from .services import capacity, certificates, curriculum, participants, sessions


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _runner(request: HttpRequest, pk: int) -> Collaboration:
    collaboration = get_training_for(request.user, pk)
    require(can_run(request.user, collaboration))
    return collaboration


def _registrar(request: HttpRequest, pk: int) -> Collaboration:
    collaboration = get_training_for(request.user, pk)
    require(can_register(request.user, collaboration))
    return collaboration


# Curriculum --------------------------------------------------------------------------------


@login_required
@require_GET
def curriculum_tab(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_training_for(request.user, pk)
    return page(
        request,
        collaboration,
        "curriculum",
        "training/curriculum.html",
        {
            "modules": queries.curriculum(collaboration),
            "runs": can_run(request.user, collaboration)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def module_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = _runner(request, pk)
    form = ModuleForm(request.POST or None)
    return edit_page(
        request,
        form,
        lambda data: curriculum.add_module(request.user, collaboration, **data),
        title=_("Add a module"),
        intro=_(
            "A module is a part of the curriculum with its own learning objectives. A "
            "participant earns the certificate by attending sessions that cover every "
            "required module."
        ),
        back=tab_url(collaboration, "curriculum"),
        saved=_("The module was added. Next: its learning objectives."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def module_edit(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    collaboration = _runner(request, pk)
    module = module_of(collaboration, module_pk)
    form = ModuleForm(request.POST or None, instance=module)
    return edit_page(
        request,
        form,
        lambda data: curriculum.update_module(request.user, module, **data),
        title=_("Change the module “%(title)s”") % {"title": module.title},
        back=tab_url(collaboration, "curriculum"),
        saved=_("The module was saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def module_delete(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    collaboration = _runner(request, pk)
    module = module_of(collaboration, module_pk)
    back = tab_url(collaboration, "curriculum")
    try:
        return delete_page(
            request,
            lambda: curriculum.remove_module(request.user, module),
            title=_("Remove the module “%(title)s”?") % {"title": module.title},
            description=_("Its learning objectives are removed with it."),
            back=back,
            removed=_("The module was removed."),
        )
    except ValidationError as error:
        _refused(request, error)
        return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    collaboration = _runner(request, pk)
    module = module_of(collaboration, module_pk)
    form = ObjectiveForm(request.POST or None)
    return edit_page(
        request,
        form,
        lambda data: curriculum.add_objective(request.user, module, **data),
        title=_("Add a learning objective to “%(title)s”") % {"title": module.title},
        back=tab_url(collaboration, "curriculum"),
        saved=_("The learning objective was added."),
    )


@login_required
@require_POST
def objective_delete(request: HttpRequest, pk: int, objective_pk: int) -> HttpResponse:
    collaboration = _runner(request, pk)
    objective = objective_of(collaboration, objective_pk)
    try:
        curriculum.remove_objective(request.user, objective)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The learning objective was removed."))
    return redirect(tab_url(collaboration, "curriculum"))


# Sessions ----------------------------------------------------------------------------------


@login_required
@require_GET
def sessions_tab(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_training_for(request.user, pk)
    return page(
        request,
        collaboration,
        "sessions",
        "training/sessions.html",
        {
            "sessions": queries.sessions(collaboration),
            "runs": can_run(request.user, collaboration)[0],
            "has_modules": collaboration.training_modules.exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = _runner(request, pk)
    form = SessionForm(request.POST or None, collaboration=collaboration)
    return edit_page(
        request,
        form,
        lambda data: sessions.add_session(request.user, collaboration, **data),
        title=_("Plan a session"),
        intro=_("When and where, who trains, how many seats, and which modules it covers."),
        back=tab_url(collaboration, "sessions"),
        saved=_("The session was planned. Next: invite officials to it."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    collaboration = _runner(request, pk)
    session = session_of(collaboration, session_pk)
    form = SessionForm(request.POST or None, instance=session, collaboration=collaboration)
    return edit_page(
        request,
        form,
        lambda data: sessions.update_session(request.user, session, **data),
        title=_("Change the session “%(title)s”") % {"title": session.title},
        back=reverse("training:session", args=[pk, session.pk]),
        saved=_("The session was saved."),
    )


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    collaboration = get_training_for(request.user, pk)
    session = queries.sessions(collaboration).get(pk=session_of(collaboration, session_pk).pk)
    runs = can_run(request.user, collaboration)[0]
    registers = can_register(request.user, collaboration)[0]
    return page(
        request,
        collaboration,
        "sessions",
        "training/session.html",
        {
            "session": session,
            "seats": queries.seats_of(session),
            "runs": runs,
            "invite_form": InviteForm(session=session) if runs else None,
            "register_form": RegisterForm(session=session) if registers else None,
        },
    )


@login_required
@require_POST
def session_invite(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    collaboration = _runner(request, pk)
    session = session_of(collaboration, session_pk)
    form = InviteForm(request.POST, session=session)
    if form.is_valid():
        count = sessions.invite(request.user, session, form.cleaned_data["participants"])
        messages.success(request, _("%(count)d officials were invited.") % {"count": count})
    else:
        messages.error(request, _("Choose the officials to invite."))
    return redirect("training:session", pk, session.pk)


@login_required
@require_POST
def session_register(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """Register an official (runners, the institution's admins) or oneself (a participant)."""
    own = None
    try:
        collaboration = get_training_for(request.user, pk)
    except Http404:
        own = own_participant_for(request.user, pk)
        collaboration = own.collaboration
    session = session_of(collaboration, session_pk)
    if own is None and "participant" not in request.POST:
        own = own_participant_for(request.user, pk)
    if own is not None:
        participant = own
    else:
        form = RegisterForm(request.POST, session=session)
        if not form.is_valid():
            messages.error(request, _("Choose the official to register."))
            return redirect("training:session", pk, session.pk)
        participant = form.cleaned_data["participant"]
    participant.collaboration = collaboration
    try:
        sessions.register(request.user, session, participant)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("%(person)s is registered for “%(title)s”.")
            % {"person": participant.person, "title": session.title},
        )
    if own is not None and not can_register(request.user, collaboration)[0]:
        return redirect("training:own", pk)
    return redirect("training:session", pk, session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """The attendance sheet for the day: one big tick per seat, one button, no script."""
    collaboration = _runner(request, pk)
    session = session_of(collaboration, session_pk)
    seats = list(queries.seats_of(session))
    initial = {"attended": [s.participant_id for s in seats if s.status == "attended"]}
    form = AttendanceForm(request.POST or None, seats=seats, initial=initial)
    if request.method == "POST":
        counts = save_form(
            form,
            lambda data: sessions.take_attendance(request.user, session, data["attended"]),
        )
        if counts is not None:
            messages.success(
                request,
                _("Attendance saved: %(attended)d came, %(absent)d did not.") % counts,
            )
            return redirect("training:session", pk, session.pk)
    return page(
        request,
        collaboration,
        "sessions",
        "training/attendance.html",
        {"session": session, "form": form, "seats": seats},
    )


# Participants ------------------------------------------------------------------------------


@login_required
@require_GET
def participants_tab(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_training_for(request.user, pk)
    rows: list[Any] = list(queries.participants(collaboration))  # with their progress
    latest_run = queries.certificate_runs(collaboration).first()
    return page(
        request,
        collaboration,
        "participants",
        "training/participants.html",
        {
            "participants": rows,
            "departments": queries.departments_count(collaboration),
            "required": queries.required_module_count(collaboration),
            "runs": can_run(request.user, collaboration)[0],
            "registers": can_register(request.user, collaboration)[0],
            "waiting": sum(1 for p in rows if p.earned and not p.has_certificate),
            "latest_run": latest_run,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = _registrar(request, pk)
    form = ParticipantForm(request.POST or None, collaboration=collaboration)
    return edit_page(
        request,
        form,
        lambda data: participants.add_participant(request.user, collaboration, **data),
        title=_("Add a participant"),
        intro=_(
            "An official of %(institution)s. They will be asked to rate their capacity on "
            "each learning objective before the first session and after the last."
        )
        % {"institution": collaboration.institution.name},
        back=tab_url(collaboration, "participants"),
        saved=_("The participant was added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_delete(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    collaboration = _registrar(request, pk)
    participant = participant_of(collaboration, participant_pk)
    back = tab_url(collaboration, "participants")
    try:
        return delete_page(
            request,
            lambda: participants.remove_participant(request.user, participant),
            title=_("Take %(person)s off the programme?") % {"person": participant.person},
            description=_("Their seats and unanswered self-assessments go with them."),
            back=back,
            removed=_("The participant was taken off the programme."),
        )
    except ValidationError as error:
        _refused(request, error)
        return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def champion(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """Name a participant a champion of a reform in the ledger (G5)."""
    collaboration = _registrar(request, pk)
    participant = participant_of(collaboration, participant_pk)
    form = ChampionForm(
        request.POST or None, reforms=queries.reforms_to_champion(request.user, collaboration)
    )
    return edit_page(
        request,
        form,
        lambda data: participants.name_champion(request.user, participant, data["reform"]),
        title=_("Name %(person)s a champion of a reform") % {"person": participant.person},
        intro=_(
            "Reformers are the officials who lead change inside the institution. The reform "
            "lists them in the ledger, and this programme lists what its alumni changed."
        ),
        back=tab_url(collaboration, "capacity"),
        saved=_("%(person)s champions the reform.") % {"person": participant.person},
    )


@login_required
@require_POST
def certificates_request(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = _runner(request, pk)
    try:
        run = certificates.request_certificates(request.user, collaboration)
    except ValidationError as error:
        _refused(request, error)
        return redirect(tab_url(collaboration, "participants"))
    return redirect("training:certificate_run", pk, run.pk)


@login_required
@require_GET
def certificate_run(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    collaboration = _runner(request, pk)
    run = certificate_run_of(collaboration, run_pk)
    template = (
        "training/_certificate_progress.html"
        if request.headers.get("HX-Request")
        else "training/certificate_run.html"
    )
    return render(request, template, {"run": run, "collaboration": collaboration})


@login_required
@require_GET
def certificate_download(request: HttpRequest, pk: int, participant_pk: int):
    """A participant's certificate: theirs, the runners' and the institution's admins'."""
    try:
        collaboration = get_training_for(request.user, pk)
        participant = participant_of(collaboration, participant_pk)
    except Http404:
        participant = own_participant_for(request.user, pk)
        if participant.pk != participant_pk:
            raise
    require(can_see_certificate(request.user, participant))
    certificate = queries.certificate_of(participant)
    if certificate is None:
        messages.info(request, _("This certificate is not made yet."))
        return redirect("training:participants", pk)
    response = FileResponse(
        certificate.file.open("rb"),
        filename=f"certificate-{participant.pk}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Capacity ----------------------------------------------------------------------------------


@login_required
@require_GET
def capacity_tab(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_training_for(request.user, pk)
    change = queries.capacity_change(collaboration)
    return page(
        request,
        collaboration,
        "capacity",
        "training/capacity.html",
        {
            **change,
            "reforms": queries.alumni_reforms(request.user, collaboration),
            "runs": can_run(request.user, collaboration)[0],
            "follow_ups": queries.follow_up_counts(collaboration),
        },
    )


@login_required
@require_POST
def follow_ups_plan(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = _runner(request, pk)
    try:
        count = capacity.plan_follow_ups(request.user, collaboration)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(count)d follow-ups were planned.") % {"count": count})
    return redirect(tab_url(collaboration, "capacity"))


# The participant's own page, and the link ---------------------------------------------------


@login_required
@require_GET
def own(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant's own seats, self-assessments and certificate."""
    participant = own_participant_for(request.user, pk)
    collaboration = participant.collaboration
    now = timezone.now()
    assessments = [
        {
            "assessment": assessment,
            "open": assessment.answered_at is None and capacity.is_open(assessment, now),
            "link": capacity.answer_path(assessment),
        }
        for assessment in queries.own_assessments(participant)
    ]
    seated = {seat.session_id for seat in queries.own_seats(participant)}
    listed: list[Any] = list(queries.sessions(collaboration))  # with their seats taken
    return render(
        request,
        "training/own.html",
        {
            "participant": participant,
            "collaboration": collaboration,
            "seats": queries.own_seats(participant),
            "open_sessions": [
                s for s in listed if s.pk not in seated and s.ends_at > now and s.taken < s.capacity
            ],
            "assessments": assessments,
            "certificate": queries.certificate_of(participant),
        },
    )


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """A participant rates their capacity through the signed link, without an account."""
    try:
        assessment = capacity.assessment_for_link(pk, token)
    except capacity.LinkRefused as refused:
        return render(
            request, "training/answer_refused.html", {"reason": str(refused)}, status=refused.status
        )
    collaboration = assessment.participant.collaboration
    objectives = list(capacity.objectives_of(collaboration).select_related("module"))
    form = SelfAssessmentForm(request.POST or None, objectives=objectives)
    if request.method == "POST" and form.is_valid():
        try:
            saved = capacity.answer_self_assessment(assessment, form.scores())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if saved is None:
                reason = _("This self-assessment was answered already: your answer was not saved.")
                return render(
                    request, "training/answer_refused.html", {"reason": reason}, status=409
                )
            return render(request, "training/answer_thanks.html", {"collaboration": collaboration})
    return render(
        request,
        "training/answer.html",
        {"assessment": assessment, "collaboration": collaboration, "form": form},
    )
