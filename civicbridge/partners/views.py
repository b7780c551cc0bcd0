from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicbridge.core.forms import save_form
from civicbridge.core.models import AuditEntry
from civicbridge.core.pages import delete_page, form_page
from civicbridge.core.permissions import require

from . import extensions, permissions, services
from .choices import Access, ImportKind
from .forms import (
    DepartmentForm,
    DirectoryFilterForm,
    ImportForm,
    MembershipForm,
    NewMembershipForm,
    NoteForm,
    OrganisationForm,
    PersonForm,
)
from .models import Department, ImportRun, Membership, Organisation
from .popolo import export_popolo

PAGE_SIZE = 25


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    countries = list(
        Organisation.objects.exclude(country="")
        .order_by("country")
        .values_list("country", flat=True)
        .distinct()
    )
    form = DirectoryFilterForm(request.GET or None, countries=countries)
    # A subquery per row, so that only the page's organisations have their people counted.
    people = (
        Membership.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(count=Count("person", distinct=True))  # one person may hold two posts
        .values("count")
    )
    organisations = Organisation.objects.annotate(people=Coalesce(Subquery(people), 0)).order_by(
        "name", "id"
    )
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = organisations.search(filters.get("q", "")).of_kind(filters.get("kind"))
    if country := filters.get("country"):
        organisations = organisations.filter(country=country)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/directory.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(request.GET.get(k) for k in ("q", "kind", "country")),
            "can_create": permissions.can_create_organisation(request.user)[0],
        },
    )


def _department_tree(departments: list[Department]) -> list[tuple[Department, int]]:
    """Return departments depth first, each with its depth, from one list."""
    children: dict[int | None, list[Department]] = defaultdict(list)
    for department in departments:
        children[department.parent_id].append(department)
    ordered: list[tuple[Department, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for department in children[parent]:
            ordered.append((department, depth))
            walk(department.pk, depth + 1)

    walk(None, 0)
    return ordered


@login_required
@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's overview: what it is, notices about it, and notes on it."""
    organisation = permissions.get_organisation_for(request.user, pk)
    return render(
        request,
        "partners/organisation_detail.html",
        {
            "organisation": organisation,
            "notes": permissions.visible_notes(request.user, organisation),
            "can_edit": permissions.can_edit_organisation(request.user, organisation)[0],
            "can_read_audit": permissions.can_read_audit(request.user, organisation)[0],
            "can_write_note": permissions.can_write_note(request.user, organisation)[0],
            "acting_ids": permissions.acting_organisation_ids(request.user, Access.MEMBER),
            "notices": [
                render_to_string(template, context, request)
                for template, context in extensions.notices(request.user, organisation)
            ],
        },
    )


@login_required
@require_GET
def organisation_people(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's departments, as a tree, and the people in it."""
    organisation = permissions.get_organisation_for(request.user, pk)
    memberships = organisation.memberships.select_related("person", "department").order_by(
        "department__name", "person__name", "id"
    )
    return render(
        request,
        "partners/organisation_people.html",
        {
            "organisation": organisation,
            "departments": _department_tree(list(organisation.departments.all())),
            "memberships": memberships,
            "can_edit": permissions.can_edit_organisation(request.user, organisation)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_create_organisation(request.user))
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and (
        created := save_form(form, lambda data: services.create_organisation(request.user, **data))
    ):
        messages.success(request, _("%(name)s was added.") % {"name": created.name})
        return redirect(created)
    return form_page(request, form, _("Add an organisation"))


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = permissions.get_organisation_for(request.user, pk, edit=True)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and save_form(
        form, lambda data: services.update_organisation(request.user, organisation, **data)
    ):
        messages.success(request, _("Your changes were saved."))
        return redirect(organisation)
    return form_page(
        request,
        form,
        _("Change %(name)s") % {"name": organisation.name},
        back=organisation.get_absolute_url(),
    )


@login_required
@require_GET
def organisation_audit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = permissions.get_organisation_for(request.user, pk)
    require(permissions.can_read_audit(request.user, organisation))
    entries = AuditEntry.objects.filter(permissions.audit_scope(organisation)).select_related(
        "actor", "content_type"
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "partners/audit.html", {"organisation": organisation, "page": page})


def _json_download(data: dict, filename: str) -> HttpResponse:
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def organisation_export(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = permissions.get_organisation_for(request.user, pk)
    return _json_download(
        export_popolo(organisation, emails=permissions.is_platform_admin(request.user)),
        f"popolo-organisation-{organisation.pk}.json",
    )


@login_required
@require_GET
def export_all(request: HttpRequest) -> HttpResponse:
    require(permissions.can_view_directory(request.user))
    emails = permissions.is_platform_admin(request.user)
    return _json_download(export_popolo(emails=emails), "popolo-civic-bridge.json")


@login_required
@require_http_methods(["GET", "POST"])
def department_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = permissions.get_organisation_for(request.user, pk, edit=True)
    form = DepartmentForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and save_form(
        form, lambda data: services.create_department(request.user, organisation, **data)
    ):
        messages.success(request, _("The department was added."))
        return redirect(organisation)
    title = _("Add a department to %(name)s") % {"name": organisation.name}
    return form_page(request, form, title, back=organisation.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = permissions.get_department_for(request.user, pk, edit=True)
    form = DepartmentForm(
        request.POST or None, instance=department, organisation=department.organisation
    )
    if request.method == "POST" and save_form(
        form, lambda data: services.update_department(request.user, department, **data)
    ):
        messages.success(request, _("Your changes were saved."))
        return redirect(department.organisation)
    title = _("Change %(name)s") % {"name": department.name}
    return form_page(request, form, title, back=department.organisation.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = permissions.get_organisation_for(request.user, pk, edit=True)
    person_form = PersonForm(request.POST or None, prefix="person")
    membership_form = MembershipForm(
        request.POST or None, prefix="membership", organisation=organisation
    )
    if (
        request.method == "POST"
        and person_form.is_valid()
        and (
            created := save_form(
                membership_form,
                lambda data: services.create_person(
                    request.user, organisation, person_form.cleaned_data, **data
                ),
            )
        )
    ):
        messages.success(request, _("%(name)s was added.") % {"name": created.name})
        return redirect(created)
    return render(
        request,
        "partners/person_form.html",
        {"forms": [person_form, membership_form], "organisation": organisation},
    )


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = permissions.get_person_for(request.user, pk)
    memberships = person.memberships.select_related("organisation", "department")
    editable = permissions.acting_organisation_ids(request.user, Access.MEMBER)
    can_edit = permissions.can_edit_person(request.user, person)[0]
    is_admin = permissions.is_platform_admin(request.user)
    return render(
        request,
        "partners/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "can_edit": can_edit,
            "editable_ids": editable,
            "is_platform_admin": is_admin,
            # Adding a membership changes the person: only those who may change them see it.
            "can_add_membership": can_edit and (bool(editable) or is_admin),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = permissions.get_person_for(request.user, pk, edit=True)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and save_form(
        form, lambda data: services.update_person(request.user, person, **data)
    ):
        messages.success(request, _("Your changes were saved."))
        return redirect(person)
    title = _("Change %(name)s") % {"name": person.name}
    return form_page(request, form, title, back=person.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def membership_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = permissions.get_person_for(request.user, pk, edit=True)
    organisations = Organisation.objects.all()
    if not permissions.is_platform_admin(request.user):
        organisations = organisations.filter(
            pk__in=permissions.acting_organisation_ids(request.user, Access.MEMBER)
        )
    require(
        (
            organisations.exists(),
            _("Only members of an organisation on Civic Bridge can add memberships."),
        )
    )
    form = NewMembershipForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.create_membership(
            request.user, data.pop("organisation"), person=person, **data
        ),
    ):
        messages.success(request, _("The membership was added."))
        return redirect(person)
    title = _("Add a membership for %(name)s") % {"name": person.name}
    return form_page(request, form, title, back=person.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = permissions.get_membership_for(request.user, pk, edit=True)
    form = MembershipForm(
        request.POST or None, instance=membership, organisation=membership.organisation
    )
    if request.method == "POST" and save_form(
        form, lambda data: services.update_membership(request.user, membership, **data)
    ):
        messages.success(request, _("Your changes were saved."))
        return redirect(membership.person)
    title = _("Change the membership of %(person)s in %(organisation)s") % {
        "person": membership.person.name,
        "organisation": membership.organisation.name,
    }
    return form_page(request, form, title, back=membership.person.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def membership_delete(request: HttpRequest, pk: int) -> HttpResponse:
    membership = permissions.get_membership_for(request.user, pk, edit=True)
    return delete_page(
        request,
        lambda: services.delete_membership(request.user, membership),
        title=_("Remove this membership?"),
        description=str(membership),
        back=membership.person.get_absolute_url(),
        removed=_("The membership was removed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = permissions.get_organisation_for(request.user, pk)
    require(permissions.can_write_note(request.user, organisation))
    own = Organisation.objects.filter(
        pk__in=permissions.acting_organisation_ids(request.user, Access.MEMBER)
    )
    form = NoteForm(request.POST or None, organisations=own)
    if request.method == "POST" and save_form(
        form,
        lambda data: services.add_note(
            request.user, organisation, data.pop("owner_organisation"), **data
        ),
    ):
        messages.success(request, _("Your note was saved."))
        return redirect(organisation)
    title = _("Add a note about %(name)s") % {"name": organisation.name}
    return form_page(request, form, title, back=organisation.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note = permissions.get_note_for(request.user, pk, edit=True)
    return delete_page(
        request,
        lambda: services.delete_note(request.user, note),
        title=_("Delete this note?"),
        description=note.body,
        back=note.subject.get_absolute_url(),
        removed=_("The note was deleted."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    require(permissions.can_import(request.user))
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"kind": ImportKind.POPOLO}
    )
    if request.method == "POST" and form.is_valid():
        run = services.start_import(request.user, **form.cleaned_data)
        return redirect(run)
    runs = ImportRun.objects.select_related("created_by")[:10]
    return render(request, "partners/import_upload.html", {"form": form, "runs": runs})


@login_required
@require_GET
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = permissions.get_import_run_for(request.user, pk)
    template = (
        "partners/_import_progress.html"
        if request.headers.get("HX-Request")
        else "partners/import_run.html"
    )
    return render(request, template, {"run": run})
