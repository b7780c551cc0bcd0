"""The people tab: the stakeholder map of both sides, by department and role (F7), who
acts for both sides, and a change of party that both sides approve."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.partners.models import Organisation

from .. import checks, permissions
from ..choices import PartyChangeStatus
from ..forms.people import PartyChangeForm, StakeholderForm
from ..models import Collaboration, PartyChange, Stakeholder
from ..pages import page
from ..queries import people_of_both_sides
from ..services import parties as party_services
from ..services import playbook_advice
from ..services.people import add_stakeholder, remove_stakeholder
from ..tabs import tab_url

SEVERAL_CONTACTS_CHECK = "collaborations.several_contacts"


@dataclass
class Side:
    """One party's column of the map: its stakeholders by department."""

    organisation: Organisation
    kind: str
    groups: list[tuple[Any, list[Stakeholder]]] = field(default_factory=list)
    count: int = 0


def _sides(collaboration: Collaboration) -> list[Side]:
    """Each party's stakeholders, grouped by department (people without one last)."""
    sides = {
        collaboration.civic_organisation_id: Side(
            collaboration.civic_organisation, _("civic organisation")
        ),
        collaboration.institution_id: Side(collaboration.institution, _("institution")),
    }
    stakeholders = collaboration.stakeholders.select_related("person", "department")
    by_side: dict[int, dict[Any, list[Stakeholder]]] = {party: {} for party in sides}
    for stakeholder in sorted(
        stakeholders,
        key=lambda s: (
            s.department is None,
            s.department.name if s.department else "",
            s.person.name,
            s.get_role_display(),
        ),
    ):
        if stakeholder.organisation_id in by_side:
            by_side[stakeholder.organisation_id].setdefault(stakeholder.department, []).append(
                stakeholder
            )
    for party, side in sides.items():
        side.groups = list(by_side[party].items())
        side.count = sum(len(rows) for _department, rows in side.groups)
    return list(sides.values())


@login_required
@require_GET
def people(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    warning = checks.institution_side_warning(collaboration)
    return page(
        request,
        collaboration,
        "people",
        "collaborations/people.html",
        {
            "sides": _sides(collaboration),
            "warning": warning,
            "mitigations": (
                playbook_advice(collaboration, SEVERAL_CONTACTS_CHECK)[1] if warning else []
            ),
            "both_sides": people_of_both_sides(collaboration),
            "open_party_change": PartyChange.objects.open()
            .filter(collaboration=collaboration)
            .select_related("replaced", "successor")
            .first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def party_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """The changes of party proposed so far, and the form to propose one (admins only)."""
    collaboration = permissions.get_collaboration_for(request.user, pk)
    may_propose = permissions.can_sign(request.user, collaboration)[0]
    form = PartyChangeForm(request.POST or None, collaboration=collaboration)
    if request.method == "POST":
        collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
        if save_form(
            form,
            lambda data: party_services.propose_party_change(request.user, collaboration, **data),
        ):
            messages.success(
                request, _("The change is proposed: an admin of the other side must approve it.")
            )
            return redirect("collaborations:party_changes", collaboration.pk)
    return page(
        request,
        collaboration,
        "people",
        "collaborations/party_changes.html",
        {
            "changes": collaboration.party_changes.select_related(
                "replaced",
                "successor",
                "proposed_by",
                "civic_approved_by",
                "institution_approved_by",
            ),
            "form": form if may_propose else None,
            "may_decide": may_propose,
        },
    )


_DONE = {
    PartyChangeStatus.OPEN: _lazy("Your side's approval is recorded."),
    PartyChangeStatus.APPROVED: _lazy(
        "%(successor)s is now a party. Every signature given before is void: both sides sign again."
    ),
    PartyChangeStatus.WITHDRAWN: _lazy(
        "The change of party is withdrawn: the parties stay as they are."
    ),
}


def _decide(request: HttpRequest, pk: int, change_pk: int, decide) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    change = permissions.party_change_of(collaboration, change_pk)
    try:
        decided = decide(request.user, change)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _DONE[decided.status] % {"successor": decided.successor.name})
        if (
            decided.status == PartyChangeStatus.APPROVED
            and not permissions.can_edit(
                request.user, Collaboration.objects.get(pk=collaboration.pk)
            )[0]
        ):
            # The approver's organisation was the party replaced: the page is not theirs now.
            return redirect("collaborations:list")
    return redirect("collaborations:party_changes", collaboration.pk)


@login_required
@require_POST
def party_change_approve(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    return _decide(request, pk, change_pk, party_services.approve_party_change)


@login_required
@require_POST
def party_change_withdraw(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    return _decide(request, pk, change_pk, party_services.withdraw_party_change)


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    form = StakeholderForm(request.POST or None, collaboration=collaboration)
    if request.method == "POST" and (
        stakeholder := save_form(
            form, lambda data: add_stakeholder(request.user, collaboration, **data)
        )
    ):
        messages.success(
            request,
            _("%(person)s is on the map as %(role)s.")
            % {"person": stakeholder.person.name, "role": stakeholder.get_role_display().lower()},
        )
        return redirect("collaborations:people", collaboration.pk)
    return form_page(
        request,
        form,
        _("Add a person to the map"),
        intro=_(
            "Name the people on both sides and their roles. A collaboration that hangs on "
            "one official or one department stalls when they move on."
        ),
        submit=_("Add the person"),
        back=tab_url(collaboration, "people"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_delete(request: HttpRequest, pk: int, stakeholder_pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    stakeholder = get_object_or_404(
        collaboration.stakeholders.select_related("person", "organisation"), pk=stakeholder_pk
    )
    if request.method == "POST":
        remove_stakeholder(request.user, stakeholder)
        messages.success(
            request,
            _("%(person)s is no longer on the map as %(role)s.")
            % {"person": stakeholder.person.name, "role": stakeholder.get_role_display().lower()},
        )
        return redirect("collaborations:people", collaboration.pk)
    return render(
        request,
        "collaborations/people_remove.html",
        {"collaboration": collaboration, "stakeholder": stakeholder},
    )


urlpatterns = [
    path("collaborations/<int:pk>/people/", people, name="people"),
    path("collaborations/<int:pk>/people/new/", stakeholder_create, name="stakeholder_create"),
    path(
        "collaborations/<int:pk>/people/<int:stakeholder_pk>/remove/",
        stakeholder_delete,
        name="stakeholder_delete",
    ),
    path("collaborations/<int:pk>/parties/", party_changes, name="party_changes"),
    path(
        "collaborations/<int:pk>/parties/<int:change_pk>/approve/",
        party_change_approve,
        name="party_change_approve",
    ),
    path(
        "collaborations/<int:pk>/parties/<int:change_pk>/withdraw/",
        party_change_withdraw,
        name="party_change_withdraw",
    ),
]
