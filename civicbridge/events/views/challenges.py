"""The challenges institutions pose (E2): the tab, writing one, and the organisers' review.

Officials of a partner institution are no party to the collaboration: they see these
pages on their own, without the collaboration's tabs.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.collaborations.pages import page
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.core.permissions import require

from ..choices import ChallengeStatus
from ..forms.challenges import ChallengeForm, ReviewForm
from ..models import Event
from ..permissions import (
    can_change_challenge,
    can_organise,
    can_submit_challenge,
    challenge_institutions,
    get_challenge_for,
    get_event_for,
    visible_challenges,
)
from ..services import challenges as services

SUBMIT = "submit"


def _tab(request: HttpRequest, event: Event, template: str, context: dict) -> HttpResponse:
    """The collaboration's Challenges tab: its parties and partner institutions see it."""
    context = {"event": event, "layout": "collaborations/_layout.html", **context}
    return page(request, event.collaboration, "challenges", template, context)


@login_required
@require_GET
def challenges(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk)
    rows = visible_challenges(request.user, event).select_related("institution", "owner")
    return _tab(
        request,
        event,
        "events/challenges/list.html",
        {
            "challenges": rows,
            "can_submit": can_submit_challenge(request.user, event)[0],
            "can_review": can_organise(request.user, event.collaboration)[0],
        },
    )


def _back(event: Event) -> str:
    return reverse("events:challenges", args=[event.collaboration_id])


@login_required
@require_http_methods(["GET", "POST"])
def challenge_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk)
    require(can_submit_challenge(request.user, event))
    form = ChallengeForm(
        request.POST or None, institutions=challenge_institutions(request.user, event)
    )
    submit = request.POST.get("action") == SUBMIT
    if request.method == "POST" and (
        challenge := save_form(
            form,
            lambda data: services.create_challenge(request.user, event, submit=submit, **data),
        )
    ):
        messages.success(
            request,
            _("The challenge was submitted: the organisers review it and you hear from them.")
            if submit
            else _("The challenge is saved as a draft: only your institution sees it."),
        )
        return redirect("events:challenge", pk, challenge.pk)
    return _challenge_form(request, form, _("Pose a challenge"), event)


def _challenge_form(request: HttpRequest, form, title: str, event: Event) -> HttpResponse:
    return render(
        request,
        "events/challenges/form.html",
        {"form": form, "title": title, "event": event, "back": _back(event)},
    )


@login_required
@require_GET
def challenge_detail(request: HttpRequest, pk: int, challenge_pk: int) -> HttpResponse:
    event, challenge = get_challenge_for(request.user, pk, challenge_pk)
    can_review = (
        can_organise(request.user, event.collaboration)[0]
        and challenge.status == ChallengeStatus.SUBMITTED
    )
    return _tab(
        request,
        event,
        "events/challenges/detail.html",
        {
            "challenge": challenge,
            "can_change": can_change_challenge(request.user, challenge)[0],
            "can_review": can_review,
            "review_form": ReviewForm() if can_review else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge_edit(request: HttpRequest, pk: int, challenge_pk: int) -> HttpResponse:
    event, challenge = get_challenge_for(request.user, pk, challenge_pk, edit=True)
    form = ChallengeForm(request.POST or None, instance=challenge, institutions=None)
    if request.method == "POST" and save_form(
        form, lambda data: services.update_challenge(request.user, challenge, **data)
    ):
        messages.success(
            request,
            _("The challenge was changed: it waits for the organisers' review again.")
            if challenge.status == ChallengeStatus.SUBMITTED
            else _("The challenge was changed."),
        )
        return redirect("events:challenge", pk, challenge.pk)
    return _challenge_form(request, form, _("Change the challenge"), event)


@login_required
@require_POST
def challenge_submit(request: HttpRequest, pk: int, challenge_pk: int) -> HttpResponse:
    _event, challenge = get_challenge_for(request.user, pk, challenge_pk, edit=True)
    try:
        services.submit_challenge(request.user, challenge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The challenge was submitted: the organisers review it and you hear from them."),
        )
    return redirect("events:challenge", pk, challenge.pk)


@login_required
@require_http_methods(["GET", "POST"])
def challenge_review(request: HttpRequest, pk: int, challenge_pk: int) -> HttpResponse:
    event, challenge = get_challenge_for(request.user, pk, challenge_pk)
    require(can_organise(request.user, event.collaboration))
    form = ReviewForm(request.POST or None)

    def decide(data: dict):
        if data["decision"] == "publish":
            return services.publish_challenge(request.user, challenge, note=data["note"])
        return services.decline_challenge(request.user, challenge, note=data["note"])

    if request.method == "POST" and save_form(form, decide):
        messages.success(
            request,
            _("The challenge is published.")
            if challenge.status == ChallengeStatus.PUBLISHED
            else _("The challenge was declined; the institution hears why."),
        )
        return redirect("events:challenge", pk, challenge.pk)
    return form_page(
        request,
        form,
        _("Review “%(title)s”") % {"title": challenge.title},
        intro=_("Publish the challenge, or decline it with a note the institution can act on."),
        submit=_("Save the decision"),
        back=reverse("events:challenge", args=[pk, challenge.pk]),
    )
