"""The register of shortcomings and their solutions (T2): the tab both sides share, the
civic side's form to raise and change one, the institution's decisions, and the
published register on the public page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.collaborations.pages import page
from civicbridge.collaborations.permissions import get_collaboration_for
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core.forms import save_form
from civicbridge.core.pages import edit_page, form_page
from civicbridge.core.permissions import require

from ..choices import ShortcomingStatus
from ..forms import RegisterPublishForm, ShortcomingForm, ShortcomingMoveForm
from ..permissions import (
    can_change_shortcoming,
    can_decide,
    can_publish_register,
    can_raise,
    get_public_register,
    register_published,
    shortcoming_of,
)
from ..queries import register_counts, register_of
from ..services import shortcomings as services


@login_required
@require_GET
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """The shortcomings both sides see, each with its solution, owner, status and dates."""
    collaboration = get_collaboration_for(request.user, pk)
    user = request.user
    return page(
        request,
        collaboration,
        "shortcomings",
        "feedback/register.html",
        {
            "shortcomings": list(register_of(collaboration)),
            "counts": register_counts(collaboration),
            "statuses": ShortcomingStatus.choices,
            "published": register_published(collaboration),
            "can_raise": can_raise(user, collaboration)[0],
            "can_decide": can_decide(user, collaboration)[0],
            "can_publish": can_publish_register(user, collaboration)[0],
            "proposed": ShortcomingStatus.PROPOSED,
            "finished": (ShortcomingStatus.DONE, ShortcomingStatus.DECLINED),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_collaboration_for(request.user, pk)
    require(can_raise(request.user, collaboration))
    form = ShortcomingForm(request.POST or None, collaboration=collaboration)
    return edit_page(
        request,
        form,
        lambda data: services.raise_shortcoming(request.user, collaboration, **data),
        title=_("Raise a shortcoming"),
        intro=_(
            "Unearth and understand the shortcoming, then propose a constructive and "
            "practical solution: a shortcoming without a proposed solution is not taken."
        ),
        back=tab_url(collaboration, "shortcomings"),
        saved=_("The shortcoming is in the register, waiting for the institution's decision."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int, shortcoming_pk: int) -> HttpResponse:
    collaboration = get_collaboration_for(request.user, pk)
    shortcoming = shortcoming_of(collaboration, shortcoming_pk)
    require(can_change_shortcoming(request.user, shortcoming))
    initial = {
        "title": shortcoming.title,
        "evidence": shortcoming.evidence,
        "solution": shortcoming.solution,
        "owner": shortcoming.owner_id,
    }
    form = ShortcomingForm(request.POST or None, initial=initial, collaboration=collaboration)
    return edit_page(
        request,
        form,
        lambda data: services.change_shortcoming(request.user, shortcoming, **data),
        title=_("Change the shortcoming"),
        back=tab_url(collaboration, "shortcomings"),
        saved=_("The shortcoming was changed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int, shortcoming_pk: int) -> HttpResponse:
    """The institution accepts or declines a solution, or marks its progress."""
    collaboration = get_collaboration_for(request.user, pk)
    shortcoming = shortcoming_of(collaboration, shortcoming_pk)
    require(can_decide(request.user, collaboration))
    form = ShortcomingMoveForm(
        request.POST or None,
        initial={"seen": shortcoming.status, "owner": shortcoming.owner_id},
        collaboration=collaboration,
    )
    back = tab_url(collaboration, "shortcomings")
    if request.method == "POST" and save_form(
        form,
        lambda data: services.move_shortcoming(
            request.user,
            shortcoming,
            to=data["status"],
            seen=data["seen"],
            reason=data["reason"],
            owner=data["owner"],
        ),
    ):
        messages.success(request, _("The shortcoming's status was changed."))
        return redirect(back)
    return form_page(
        request,
        form,
        _("Decide on “%(title)s”") % {"title": shortcoming.title},
        intro=_("Proposed solution: %(solution)s") % {"solution": shortcoming.solution},
        back=back,
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_collaboration_for(request.user, pk)
    require(can_publish_register(request.user, collaboration))
    form = RegisterPublishForm(request.POST)
    if save_form(
        form,
        lambda data: services.publish_register(
            request.user, collaboration, published=data["published"]
        ),
    ):
        messages.success(
            request,
            _("The register is published.")
            if form.cleaned_data["published"]
            else _("The register is shared by the two sides only."),
        )
    return redirect(tab_url(collaboration, "shortcomings"))


@require_GET
def public_register(request: HttpRequest, pk: int) -> HttpResponse:
    """A published register of a public collaboration, for anyone."""
    collaboration = get_public_register(pk)
    return render(
        request,
        "feedback/public_register.html",
        {"collaboration": collaboration, "shortcomings": list(register_of(collaboration))},
    )
