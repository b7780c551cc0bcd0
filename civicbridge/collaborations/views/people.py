"""The people tab: the stakeholder map of both sides, by department and role (F7)."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.partners.models import Organisation

from .. import checks, permissions
from ..forms.people import StakeholderForm
from ..models import Collaboration, Stakeholder
from ..pages import page
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
        },
    )


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
]
