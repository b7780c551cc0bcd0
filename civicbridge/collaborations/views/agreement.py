"""The agreement tab (F6): the MOU's terms, obligations, versions, signatures and PDF."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.core import documents
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.core.permissions import require
from civicbridge.partners.choices import Access

from .. import permissions, signing
from ..choices import ObligationStatus, Stage
from ..forms.agreement import AgreementForm, ObligationForm, SignForm, StatusForm
from ..models import Agreement, Collaboration, Signature
from ..pages import page
from ..queries import agreement_of
from ..services import agreement as services
from ..services import party_name, playbook_advice
from ..tabs import tab_url


def _by_party(collaboration: Collaboration, obligations, today: date) -> list[dict]:
    """Each side's obligations, the civic organisation's first, soonest due first."""
    groups = []
    for party in (collaboration.civic_organisation, collaboration.institution):
        rows = sorted(
            (o for o in obligations if o.party_id == party.pk),
            key=lambda o: (o.due_date or date.max, o.pk),
        )
        for obligation in rows:
            obligation.overdue = obligation.is_overdue(today)
        groups.append({"party": party, "obligations": rows})
    return groups


def _obligation_rows(collaboration: Collaboration, content: dict) -> list[dict]:
    """A frozen version's obligations, grouped by side as the tab groups them."""
    return [
        {
            "party": party,
            "obligations": [o for o in content.get("obligations", []) if o["party"] == party.pk],
        }
        for party in (collaboration.civic_organisation, collaboration.institution)
    ]


def _signatures(agreement: Agreement) -> list[Signature]:
    """Every signature of the agreement, voided ones too, fetched once for the page."""
    prefetch_related_objects(
        [agreement], Prefetch("signatures", queryset=Signature.objects.select_related("party"))
    )
    return list(agreement.signatures.all())


def _signature_state(agreement: Agreement) -> dict:
    """Each side's signature on the current version, and the sides still to sign."""
    missing = agreement.unsigned_sides()
    return {
        "current_signatures": agreement.current_signatures(),
        "missing_sides": missing,
        "fully_signed": not missing,
    }


@login_required
@require_GET
def tab(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    agreement = agreement_of(collaboration)
    context: dict = {"agreement": agreement, "statuses": ObligationStatus.choices}
    if collaboration.stage == Stage.CLOSED:
        context.update(can_edit=False, signing_side=None)  # kept as it was when closing
    if agreement is None or agreement.version == 0:
        context["agreement"] = None
        _conditions, context["mitigations"] = playbook_advice(
            collaboration, "collaborations.agreement_signed"
        )
    else:
        today = timezone.localdate()
        obligations = list(agreement.obligations.select_related("party", "owner"))
        signatures = _signatures(agreement)
        context.update(
            groups=_by_party(collaboration, obligations, today),
            obligation_count=len(obligations),
            overdue_count=sum(o.is_overdue(today) for o in obligations),
            done_count=sum(o.status == ObligationStatus.DONE for o in obligations),
            signatures=signatures,
            versions=agreement.versions.select_related("made_by__person").defer("content"),
            signing_side=context.get(
                "signing_side", permissions.side_of(request.user, collaboration, Access.ADMIN)
            ),
            **_signature_state(agreement),
        )
    return page(request, collaboration, "agreement", "collaborations/agreement.html", context)


def _change_intro(collaboration: Collaboration) -> str:
    """Say, before anyone saves, what a change of terms costs."""
    agreement = agreement_of(collaboration)
    if agreement is not None and agreement.signatures.valid().exists():
        intro = _(
            "The MOU is signed. Saving a change makes version %(next)d and voids every "
            "signature on version %(version)d: both sides are told and must sign again."
        ) % {"next": agreement.version + 1, "version": agreement.version}
        if collaboration.stage not in (Stage.PROPOSED, Stage.PREPARING):
            intro += " " + _(
                "The collaboration is already “%(stage)s”: an amendment is allowed, but "
                "until both sides sign again it runs without a signed MOU."
            ) % {"stage": collaboration.get_stage_display()}
        return intro
    return _(
        "Every change to the terms makes a new version of the MOU. Both sides sign the "
        "version that holds when the work starts."
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    agreement = agreement_of(collaboration)
    initial = {"purpose": agreement.purpose, "terms": agreement.terms} if agreement else {}
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and save_form(
        form, lambda data: services.update_terms(request.user, collaboration, **data)
    ):
        messages.success(request, _("The MOU's purpose and terms are saved."))
        return redirect(tab_url(collaboration, "agreement"))
    return form_page(
        request,
        form,
        _("The purpose and terms of the MOU"),
        intro=_change_intro(collaboration),
        back=tab_url(collaboration, "agreement"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def obligation_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    form = ObligationForm(
        request.POST or None,
        collaboration=collaboration,
        initial={"party": permissions.side_of(request.user, collaboration)},
    )
    if request.method == "POST" and save_form(
        form, lambda data: services.add_obligation(request.user, collaboration, **data)
    ):
        messages.success(request, _("The obligation is added to the MOU."))
        return redirect(tab_url(collaboration, "agreement", "obligations"))
    return form_page(
        request,
        form,
        _("Add an obligation"),
        intro=_change_intro(collaboration),
        submit=_("Add the obligation"),
        back=tab_url(collaboration, "agreement", "obligations"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def obligation_edit(request: HttpRequest, pk: int, obligation_pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    obligation = permissions.obligation_of(collaboration, obligation_pk)
    form = ObligationForm(
        request.POST or None,
        collaboration=collaboration,
        initial={
            "party": obligation.party_id,
            "description": obligation.description,
            "owner": obligation.owner_id,
            "due_date": obligation.due_date,
        },
    )
    if request.method == "POST" and save_form(
        form, lambda data: services.change_obligation(request.user, obligation, **data)
    ):
        messages.success(request, _("The obligation is saved."))
        return redirect(tab_url(collaboration, "agreement", "obligations"))
    return form_page(
        request,
        form,
        _("Change an obligation"),
        intro=_change_intro(collaboration),
        back=tab_url(collaboration, "agreement", "obligations"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def obligation_delete(request: HttpRequest, pk: int, obligation_pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    obligation = permissions.obligation_of(collaboration, obligation_pk)
    if request.method == "POST":
        services.remove_obligation(request.user, obligation)
        messages.success(request, _("The obligation is removed from the MOU."))
        return redirect(tab_url(collaboration, "agreement", "obligations"))
    return render(
        request,
        "collaborations/agreement_confirm.html",
        {
            "collaboration": collaboration,
            "obligation": obligation,
            "intro": _change_intro(collaboration),
            "back": tab_url(collaboration, "agreement", "obligations"),
        },
    )


@login_required
@require_POST
def obligation_status(request: HttpRequest, pk: int, obligation_pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    obligation = permissions.obligation_of(collaboration, obligation_pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            changed = services.set_obligation_status(
                request.user, obligation, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(obligation)s” is now “%(status)s”.")
                % {"obligation": changed, "status": changed.get_status_display()},
            )
    else:
        messages.error(request, _("Choose a status for the obligation."))
    return redirect(tab_url(collaboration, "agreement", "obligations"))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    require(permissions.can_sign(request.user, collaboration))
    side = permissions.side_of(request.user, collaboration, Access.ADMIN)
    assert side is not None  # can_sign made sure
    side_name = party_name(collaboration, side)
    agreement = agreement_of(collaboration)
    form = SignForm(
        request.POST or None, initial={"version": agreement.version if agreement else 0}
    )

    def sign(data):
        data["password"] = signing.confirm_signers_password(request, request.user, data["password"])
        return services.sign_agreement(request.user, collaboration, **data)

    if request.method == "POST" and save_form(form, sign):
        messages.success(
            request,
            _("You signed version %(version)d of the MOU for %(side)s.")
            % {"version": form.cleaned_data["version"], "side": side_name},
        )
        return redirect(tab_url(collaboration, "agreement"))
    context: dict = {
        "collaboration": collaboration,
        "agreement": agreement,
        "form": form,
        "side_name": side_name,
        "back": tab_url(collaboration, "agreement"),
    }
    if agreement is not None:
        obligations = list(agreement.obligations.select_related("party", "owner"))
        context["groups"] = _by_party(collaboration, obligations, timezone.localdate())
        context["obligation_count"] = len(obligations)
        context["signed"] = (
            agreement.signatures.valid().filter(party_id=side).select_related("party").first()
        )
    return render(request, "collaborations/agreement_sign.html", context)


@login_required
@require_GET
def agreement_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    agreement = agreement_of(collaboration)
    if agreement is None:
        raise Http404
    version = get_object_or_404(agreement.versions.select_related("made_by__person"), number=number)
    signatures = agreement.signatures.filter(version=number).select_related("party")
    return page(
        request,
        collaboration,
        "agreement",
        "collaborations/agreement_version.html",
        {
            "agreement": agreement,
            "version": version,
            "groups": _obligation_rows(collaboration, version.content),
            "signatures": signatures,
        },
    )


@login_required
@require_GET
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    agreement = agreement_of(collaboration)
    if agreement is None or agreement.version == 0:
        raise Http404
    today = timezone.localdate()
    obligations = list(agreement.obligations.select_related("party", "owner"))
    signatures = _signatures(agreement)
    return documents.pdf_download(
        request,
        "collaborations/agreement_print.html",
        {
            "collaboration": collaboration,
            "agreement": agreement,
            "groups": _by_party(collaboration, obligations, today),
            "signatures": signatures,
            "today": today,
            **_signature_state(agreement),
        },
        f"mou-{collaboration.pk}-v{agreement.version}.pdf",
    )


OBLIGATION = "collaborations/<int:pk>/agreement/obligations/<int:obligation_pk>"

urlpatterns = [
    path("collaborations/<int:pk>/agreement/", tab, name="agreement"),
    path("collaborations/<int:pk>/agreement/edit/", agreement_edit, name="agreement_edit"),
    path(
        "collaborations/<int:pk>/agreement/obligations/new/",
        obligation_create,
        name="obligation_create",
    ),
    path(f"{OBLIGATION}/edit/", obligation_edit, name="obligation_edit"),
    path(f"{OBLIGATION}/delete/", obligation_delete, name="obligation_delete"),
    path(f"{OBLIGATION}/status/", obligation_status, name="obligation_status"),
    path("collaborations/<int:pk>/agreement/sign/", agreement_sign, name="agreement_sign"),
    path(
        "collaborations/<int:pk>/agreement/versions/<int:number>/",
        agreement_version,
        name="agreement_version",
    ),
    path("collaborations/<int:pk>/agreement/mou.pdf", agreement_pdf, name="agreement_pdf"),
]
