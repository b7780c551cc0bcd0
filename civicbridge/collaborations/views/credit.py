"""The credit and reforms tab: credit statements both sides approve (F8), the reforms ledger (G5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.core.choices import Visibility
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.partners.choices import Access

from .. import permissions
from ..forms.core import name_both_sides
from ..forms.credit import CreditForm, ReformEditForm, ReformForm
from ..models import Reform
from ..pages import page
from ..services import credit as services
from ..services import party_name
from ..tabs import tab_url


@login_required
@require_GET
def credit(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    admin_side = permissions.side_of(request.user, collaboration, Access.ADMIN)
    credits = list(
        collaboration.credit_statements.select_related(
            "drafted_by", "civic_approved_by__person", "institution_approved_by__person"
        )
    )
    approved_by_my_side = set()
    if admin_side is not None:
        _by, at = services.approval_fields(collaboration, admin_side)
        approved_by_my_side = {statement.pk for statement in credits if getattr(statement, at)}
    reforms = (
        permissions.visible_records(
            request.user, Reform.objects.filter(collaboration=collaboration)
        )
        .select_related("owner_organisation")
        .prefetch_related("champions")
    )
    return page(
        request,
        collaboration,
        "credit",
        "collaborations/credit.html",
        {
            "credits": credits,
            "reforms": reforms,
            "admin_side": admin_side,
            "approved_by_my_side": approved_by_my_side,
            "admin_side_name": party_name(collaboration, admin_side) if admin_side else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def credit_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    form = CreditForm(request.POST or None)
    if request.method == "POST" and save_form(
        form, lambda data: services.draft_credit(request.user, collaboration, **data)
    ):
        messages.success(
            request,
            _("The credit statement was drafted. An admin of each side approves it to publish it."),
        )
        return redirect(tab_url(collaboration, "credit"))
    return form_page(
        request,
        form,
        _("Draft a credit statement"),
        intro=_(
            "Give the institution public credit for the work and say what it contributed. "
            "The statement is public only when an admin of each side approves it."
        ),
        submit=_("Save the draft"),
        back=tab_url(collaboration, "credit"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def credit_edit(request: HttpRequest, pk: int, credit_pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    statement = permissions.credit_statement_of(collaboration, credit_pk)
    approved = bool(statement.civic_approved_at or statement.institution_approved_at)
    form = CreditForm(request.POST or None, instance=statement)
    if request.method == "POST" and save_form(
        form, lambda data: services.edit_credit(request.user, statement, **data)
    ):
        messages.success(request, _("The credit statement was saved."))
        return redirect(tab_url(collaboration, "credit"))
    return form_page(
        request,
        form,
        _("Change the credit statement"),
        intro=(
            _("A change withdraws the approvals given: both sides must approve it again.")
            if approved
            else ""
        ),
        back=tab_url(collaboration, "credit"),
    )


@login_required
@require_POST
def credit_approve(request: HttpRequest, pk: int, credit_pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=False)
    statement = permissions.credit_statement_of(collaboration, credit_pk)
    try:
        services.approve_credit(request.user, statement, seen=request.POST.get("seen", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(tab_url(collaboration, "credit"))
    messages.success(
        request,
        _("Approved for your side. The statement is now public.")
        if statement.published
        else _("Approved for your side. It waits for the other side's approval."),
    )
    return redirect(tab_url(collaboration, "credit"))


@login_required
@require_POST
def credit_withdraw(request: HttpRequest, pk: int, credit_pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=False)
    statement = permissions.credit_statement_of(collaboration, credit_pk)
    services.withdraw_credit_approval(request.user, statement)
    messages.success(request, _("Your side's approval was withdrawn."))
    return redirect(tab_url(collaboration, "credit"))


@login_required
@require_http_methods(["GET", "POST"])
def reform_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    form = ReformForm(
        request.POST or None,
        collaboration=collaboration,
        initial={"visibility": Visibility.BOTH_SIDES},
    )
    name_both_sides(form, collaboration, request.user)
    if request.method == "POST" and save_form(
        form, lambda data: services.ask_reform(request.user, collaboration, **data)
    ):
        messages.success(request, _("The reform was added to the ledger as asked for."))
        return redirect(tab_url(collaboration, "credit"))
    return form_page(
        request,
        form,
        _("Record a reform asked for"),
        intro=_(
            "Say openly which reforms you hope for in return, and recognise the officials "
            "who champion them. A reform moves from asked to agreed to achieved."
        ),
        submit=_("Add to the ledger"),
        back=tab_url(collaboration, "credit"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reform_edit(request: HttpRequest, pk: int, reform_pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    reform = permissions.get_record_for(
        request.user, collaboration, Reform.objects.all(), reform_pk, edit=True
    )
    reform.collaboration = collaboration
    form = ReformEditForm(request.POST or None, instance=reform, collaboration=collaboration)
    name_both_sides(form, collaboration, request.user)
    if request.method == "POST" and save_form(
        form, lambda data: services.update_reform(request.user, reform, **data)
    ):
        messages.success(request, _("The reform was saved."))
        return redirect(tab_url(collaboration, "credit"))
    return form_page(
        request,
        form,
        _("Reform: %(title)s") % {"title": reform.title},
        intro=_(
            "A reform only moves forward: asked, agreed, achieved — or dropped before it is "
            "achieved. Reaching a stage dates it today."
        ),
        back=tab_url(collaboration, "credit"),
    )


urlpatterns = [
    path("collaborations/<int:pk>/credit/", credit, name="credit"),
    path("collaborations/<int:pk>/credit/new/", credit_create, name="credit_create"),
    path("collaborations/<int:pk>/credit/<int:credit_pk>/", credit_edit, name="credit_edit"),
    path(
        "collaborations/<int:pk>/credit/<int:credit_pk>/approve/",
        credit_approve,
        name="credit_approve",
    ),
    path(
        "collaborations/<int:pk>/credit/<int:credit_pk>/withdraw/",
        credit_withdraw,
        name="credit_withdraw",
    ),
    path("collaborations/<int:pk>/reforms/new/", reform_create, name="reform_create"),
    path("collaborations/<int:pk>/reforms/<int:reform_pk>/", reform_edit, name="reform_edit"),
]
