"""Pages of the conflict-of-interest register (S7): an organisation's roles and disclosures,
and the public register of every disclosure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.core.forms import save_form
from civicbridge.core.pages import delete_page, edit_page, form_page

from ..forms.conflicts import DisclosureForm, RecusalForm, RoleForm
from ..models import Disclosure, Recusal
from ..permissions import (
    can_write_register,
    get_disclosure_for,
    get_recusal_for,
    get_register_for,
    get_role_for,
)
from ..services import conflicts

PAGE_SIZE = 50


def disclosures_shown():
    """Disclosures with what the register shows of them, in a fixed number of queries."""
    return Disclosure.objects.select_related("organisation", "institution").prefetch_related(
        Prefetch("recusals", queryset=Recusal.objects.select_related("person"))
    )


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The public register: every disclosure, newest first, for anyone."""
    page = Paginator(disclosures_shown(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "procurement/conflicts/register.html", {"page": page})


@login_required
@require_GET
def organisation_register(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_register_for(request.user, pk)
    return render(
        request,
        "procurement/conflicts/organisation.html",
        {
            "organisation": organisation,
            "roles": organisation.roles_held.select_related("institution"),
            "disclosures": disclosures_shown().filter(organisation=organisation),
            "warnings": conflicts.conflict_warnings(organisation),
            "can_write": can_write_register(request.user, organisation)[0],
        },
    )


def _back(organisation) -> str:
    return reverse("procurement:conflicts", args=[organisation.pk])


@login_required
@require_http_methods(["GET", "POST"])
def role_form(request: HttpRequest, pk: int, role_pk: int | None = None) -> HttpResponse:
    """Record a role toward an institution, or change the role `role_pk`."""
    organisation = get_register_for(request.user, pk, edit=True)
    role = get_role_for(request.user, organisation, role_pk) if role_pk else None
    return edit_page(
        request,
        RoleForm(request.POST or None, instance=role, organisation=organisation),
        lambda data: (
            conflicts.update_role(request.user, role, **data)
            if role
            else conflicts.add_role(request.user, organisation, **data)
        ),
        title=_("Change the role") if role else _("Record a role toward an institution"),
        back=_back(organisation),
        saved=_("The role was saved."),
        intro=_(
            "Each way your organisation stands toward an institution: as its watchdog, "
            "advocate, opponent in court, researcher, or as its vendor or grantee. When it both "
            "watches an institution and is paid by it, you record a disclosure."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_delete(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    organisation = get_register_for(request.user, pk, edit=True)
    role = get_role_for(request.user, organisation, role_pk)
    return delete_page(
        request,
        lambda: conflicts.remove_role(request.user, role),
        title=_("Remove this role?"),
        description=_(
            "Remove it only if it was recorded by mistake. A role that ended keeps its "
            "place in the register with its end date: %(role)s"
        )
        % {"role": role},
        back=_back(organisation),
        removed=_("The role was removed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_form(
    request: HttpRequest, pk: int, disclosure_pk: int | None = None
) -> HttpResponse:
    """Record a disclosure, or change the disclosure `disclosure_pk`."""
    organisation = get_register_for(request.user, pk, edit=True)
    disclosure = (
        get_disclosure_for(request.user, organisation, disclosure_pk) if disclosure_pk else None
    )
    form = DisclosureForm(request.POST or None, instance=disclosure, organisation=organisation)
    if request.method == "POST" and (
        saved := save_form(
            form,
            lambda data: (
                conflicts.update_disclosure(request.user, disclosure, **data)
                if disclosure
                else conflicts.add_disclosure(request.user, organisation, **data)
            ),
        )
    ):
        messages.success(
            request,
            _("The disclosure is in the public register. Name who stands aside, and from what."),
        )
        return redirect("procurement:recusal_create", organisation.pk, saved.pk)
    return form_page(
        request,
        form,
        _("Change the disclosure") if disclosure else _("Record a disclosure"),
        back=_back(organisation),
        intro=_(
            "Discuss in depth, inside your organisation, its mission and the conflict of "
            "interest, then record here what you discussed and what you decided. The "
            "disclosure is public."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def recusal_create(request: HttpRequest, pk: int, disclosure_pk: int) -> HttpResponse:
    organisation = get_register_for(request.user, pk, edit=True)
    disclosure = get_disclosure_for(request.user, organisation, disclosure_pk)
    return edit_page(
        request,
        RecusalForm(request.POST or None, organisation=organisation),
        lambda data: conflicts.add_recusal(request.user, disclosure, **data),
        title=_("Who stands aside? %(disclosure)s") % {"disclosure": disclosure},
        back=_back(organisation),
        saved=_("The recusal was added to the disclosure."),
        intro=_(
            "Name a person of your organisation who stands aside from one of its roles because "
            "of the conflict, for example from the watchdog's reports on this institution."
        ),
    )


@login_required
@require_POST
def recusal_delete(
    request: HttpRequest, pk: int, disclosure_pk: int, recusal_pk: int
) -> HttpResponse:
    organisation = get_register_for(request.user, pk, edit=True)
    disclosure = get_disclosure_for(request.user, organisation, disclosure_pk)
    recusal = get_recusal_for(request.user, disclosure, recusal_pk)
    conflicts.remove_recusal(request.user, recusal)
    messages.success(request, _("The recusal was removed."))
    return redirect(_back(organisation))
