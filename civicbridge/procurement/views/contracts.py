"""The Contract tab (S4): the contract, its parties and signatures, milestones and their
acceptance, the outcome of the steps of the procurement, variations, and the supplier's
planned costs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicbridge.collaborations import signing
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.pages import page
from civicbridge.collaborations.services import playbook_advice
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core import formats
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.core.permissions import require

from .. import permissions
from ..choices import ContractStatus, MilestoneKind, MilestoneStatus
from ..forms.contracts import (
    AcceptanceForm,
    ContractForm,
    DeliveryForm,
    MilestoneForm,
    PlannedCostForm,
    SignContractForm,
    StepOutcomeForm,
    VariationForm,
)
from ..models import Contract
from ..queries import contracts_of
from ..services import contracts as services
from ..services.conflicts import undisclosed_conflict


def _back(collaboration: Collaboration, anchor: str = "") -> str:
    return tab_url(collaboration, "contract", anchor)


def _contract(request: HttpRequest, pk: int, contract_pk: int) -> tuple[Collaboration, Contract]:
    collaboration = permissions.get_service_delivery_for(request.user, pk)
    return collaboration, permissions.get_contract_for(
        request.user, contract_pk, collaboration=collaboration
    )


def _refused(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _signed_already(request: HttpRequest, collaboration, contract: Contract):
    """Send the user back to the tab when the draft is no longer a draft."""
    if contract.status == ContractStatus.PENDING:
        return None
    messages.info(
        request,
        _("Both sides have signed the contract: record a variation to change its value or end."),
    )
    return redirect(_back(collaboration))


@login_required
@require_GET
def tab(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_service_delivery_for(request.user, pk)
    user = request.user
    contracts = contracts_of(collaboration, with_costs=True)
    shown = []
    for contract in contracts:
        pending = contract.status == ContractStatus.PENDING
        side = permissions.signing_side(user, contract)
        signed_by_side = side in contract.standing_signatures()
        shown.append(
            {
                "contract": contract,
                "pending": pending,
                "active": contract.status == ContractStatus.ACTIVE,
                "can_write": permissions.can_write_contract(user, contract)[0],
                "can_sign": bool(pending and side and not signed_by_side),
                "supplier": permissions.can_act_for_supplier(user, contract)[0],
                "buyer": permissions.can_accept(user, contract)[0],
                "sees_costs": permissions.sees_planned_costs(user, contract),
                "conflict": undisclosed_conflict(contract.supplier, contract.buyer)
                if pending
                else None,
            }
        )
    _conditions, mitigations = playbook_advice(collaboration, "procurement.contract_signed")
    return page(
        request,
        collaboration,
        "contract",
        "procurement/contracts/tab.html",
        {"contracts": shown, "mitigations": mitigations},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_service_delivery_for(request.user, pk, edit=True)
    form = ContractForm(
        request.POST or None,
        initial={
            "title": collaboration.title,
            "start_date": collaboration.start_date,
            "end_date": collaboration.end_date,
        },
    )
    if request.method == "POST" and save_form(
        form, lambda data: services.create_contract(request.user, collaboration, **data)
    ):
        messages.success(
            request,
            _("The contract is drafted. Add its milestones, then both sides sign it."),
        )
        return redirect(_back(collaboration))
    return form_page(
        request,
        form,
        _("Draft the contract"),
        intro=_(
            "%(supplier)s supplies and %(buyer)s buys. Both sides can change the draft until "
            "both have signed it; after that, only a variation changes the value or the end."
        )
        % {
            "supplier": collaboration.civic_organisation.name,
            "buyer": collaboration.institution.name,
        },
        submit=_("Save the draft"),
        back=_back(collaboration),
    )


def _change_intro(contract: Contract) -> str:
    if contract.signatures.valid().exists():
        return _(
            "One side has signed already: saving a change voids that signature, and both "
            "sides are told to read the contract again and sign."
        )
    return _("Both sides can change the draft until both have signed it.")


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    collaboration, contract = _contract(request, pk, contract_pk)
    require(permissions.can_write_contract(request.user, contract))
    if refusal := _signed_already(request, collaboration, contract):
        return refusal
    form = ContractForm(request.POST or None, initial=ContractForm.initial_for(contract))
    if request.method == "POST" and save_form(
        form, lambda data: services.update_contract(request.user, contract, **data)
    ):
        messages.success(request, _("The contract is saved."))
        return redirect(_back(collaboration))
    return form_page(
        request,
        form,
        _("Change the contract"),
        intro=_change_intro(contract),
        back=_back(collaboration),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_sign(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    collaboration, contract = _contract(request, pk, contract_pk)
    require(permissions.can_sign_contract(request.user, contract))
    if refusal := _signed_already(request, collaboration, contract):
        return refusal
    side = permissions.signing_side(request.user, contract)
    side_name = contract.supplier.name if side == contract.supplier_id else contract.buyer.name
    form = SignContractForm(
        request.POST or None, initial={"terms": services.terms_digest(contract)}
    )

    def sign(data):
        data["password"] = signing.confirm_signers_password(request, request.user, data["password"])
        return services.sign_contract(request.user, contract, **data)

    if request.method == "POST":
        if signed := save_form(form, sign):
            messages.success(
                request,
                _("You signed the contract for %(side)s.") % {"side": side_name}
                + (
                    " " + _("Both sides have signed: it is in force.")
                    if signed.status == ContractStatus.ACTIVE
                    else ""
                ),
            )
            return redirect(_back(collaboration))
        # The page shows the terms as they are now: a signature sent from it covers them.
        form.data = {**form.data, "terms": services.terms_digest(contract)}
    shown = contracts_of(collaboration, with_costs=False)
    return render(
        request,
        "procurement/contracts/sign.html",
        {
            "collaboration": collaboration,
            "contract": next(c for c in shown if c.pk == contract.pk),
            "form": form,
            "side_name": side_name,
            "conflict": undisclosed_conflict(contract.supplier, contract.buyer),
            "back": _back(collaboration),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_create(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    collaboration, contract = _contract(request, pk, contract_pk)
    require(permissions.can_write_contract(request.user, contract))
    if refusal := _signed_already(request, collaboration, contract):
        return refusal
    form = MilestoneForm(request.POST or None, initial={"kind": MilestoneKind.DELIVERY})
    if request.method == "POST" and save_form(
        form, lambda data: services.add_milestone(request.user, contract, **data)
    ):
        messages.success(request, _("The milestone is added to the contract."))
        return redirect(_back(collaboration, f"contract-{contract.pk}-milestones"))
    return form_page(
        request,
        form,
        _("Add a milestone"),
        intro=_change_intro(contract),
        submit=_("Add the milestone"),
        back=_back(collaboration),
    )


def _milestone(request: HttpRequest, pk: int, contract_pk: int, milestone_pk: int):
    collaboration, contract = _contract(request, pk, contract_pk)
    return collaboration, contract, permissions.milestone_of(contract, milestone_pk)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int, contract_pk: int, milestone_pk: int):
    collaboration, contract, milestone = _milestone(request, pk, contract_pk, milestone_pk)
    require(permissions.can_write_contract(request.user, contract))
    if refusal := _signed_already(request, collaboration, contract):
        return refusal
    form = MilestoneForm(
        request.POST or None,
        initial={name: getattr(milestone, name) for name in services.MILESTONE_TERMS},
    )
    if request.method == "POST" and save_form(
        form, lambda data: services.change_milestone(request.user, milestone, **data)
    ):
        messages.success(request, _("The milestone is saved."))
        return redirect(_back(collaboration, f"contract-{contract.pk}-milestones"))
    return form_page(
        request,
        form,
        _("Change a milestone"),
        intro=_change_intro(contract),
        back=_back(collaboration),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_delete(request: HttpRequest, pk: int, contract_pk: int, milestone_pk: int):
    collaboration, contract, milestone = _milestone(request, pk, contract_pk, milestone_pk)
    require(permissions.can_write_contract(request.user, contract))
    if refusal := _signed_already(request, collaboration, contract):
        return refusal
    back = _back(collaboration, f"contract-{contract.pk}-milestones")
    if request.method == "POST":
        try:
            services.remove_milestone(request.user, milestone)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The milestone is removed from the contract."))
        return redirect(back)
    return render(
        request,
        "procurement/contracts/confirm.html",
        {
            "title": _("Remove this milestone?"),
            "record": milestone,
            "details": _("Due %(due)s.") % {"due": formats.day(milestone.due_on)},
            "intro": _change_intro(contract),
            "submit": _("Remove the milestone"),
            "back": back,
        },
    )


@login_required
@require_POST
def milestone_deliver(request: HttpRequest, pk: int, contract_pk: int, milestone_pk: int):
    collaboration, contract, milestone = _milestone(request, pk, contract_pk, milestone_pk)
    require(permissions.can_act_for_supplier(request.user, contract))
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day it was delivered as a date."))
    else:
        try:
            services.deliver_milestone(request.user, milestone, on=form.cleaned_data["on"])
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("“%(milestone)s” is delivered: %(buyer)s can now accept it.")
                % {"milestone": milestone, "buyer": contract.buyer.name},
            )
    return redirect(_back(collaboration, f"contract-{contract.pk}-milestones"))


@login_required
@require_http_methods(["GET", "POST"])
def milestone_accept(request: HttpRequest, pk: int, contract_pk: int, milestone_pk: int):
    collaboration, contract, milestone = _milestone(request, pk, contract_pk, milestone_pk)
    require(permissions.can_accept(request.user, contract))
    back = _back(collaboration, f"contract-{contract.pk}-milestones")
    if not milestone.awaiting_acceptance:
        messages.info(request, _("There is nothing to accept: it waits to be delivered."))
        return redirect(back)
    form = AcceptanceForm(request.POST or None)
    if request.method == "POST" and save_form(
        form, lambda data: services.accept_milestone(request.user, milestone, **data)
    ):
        messages.success(
            request, _("Your judgement of “%(milestone)s” is recorded.") % {"milestone": milestone}
        )
        return redirect(back)
    return form_page(
        request,
        form,
        _("Does “%(milestone)s” meet the contract?") % {"milestone": milestone},
        intro=_(
            "%(supplier)s delivered it on %(day)s. %(description)s Only %(buyer)s judges it; "
            "if it falls short, say what is missing and the supplier can deliver again."
        )
        % {
            "supplier": contract.supplier.name,
            "day": formats.day(milestone.submitted_on),
            "description": milestone.description,
            "buyer": contract.buyer.name,
        },
        submit=_("Record the judgement"),
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_outcome(request: HttpRequest, pk: int, contract_pk: int, milestone_pk: int):
    """Whether a step of the procurement happened, and when; before or after signing."""
    collaboration, contract, milestone = _milestone(request, pk, contract_pk, milestone_pk)
    require(permissions.can_record_step(request.user, contract))
    back = _back(collaboration, f"contract-{contract.pk}-milestones")
    if not milestone.procurement_step:
        messages.info(
            request,
            _("“%(milestone)s” is not a step of the procurement: only those have an outcome.")
            % {"milestone": milestone},
        )
        return redirect(back)
    recorded = milestone.status != MilestoneStatus.SCHEDULED
    form = StepOutcomeForm(
        request.POST or None,
        initial={"status": milestone.status, "met_on": milestone.met_on} if recorded else None,
    )
    if request.method == "POST" and save_form(
        form, lambda data: services.record_step(request.user, milestone, **data)
    ):
        messages.success(
            request, _("The outcome of “%(milestone)s” is recorded.") % {"milestone": milestone}
        )
        return redirect(back)
    return form_page(
        request,
        form,
        _("How did “%(milestone)s” go?") % {"milestone": milestone},
        intro=_(
            "%(kind)s, due %(due)s. %(description)s Either side records whether it happened. "
            "It is not a term of the contract: recording it voids no signature, and the "
            "contract's open data publishes it."
        )
        % {
            "kind": milestone.get_kind_display(),
            "due": formats.day(milestone.due_on),
            "description": milestone.description,
        },
        submit=_("Record the outcome"),
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def variation_create(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    collaboration, contract = _contract(request, pk, contract_pk)
    require(permissions.can_write_contract(request.user, contract))
    form = VariationForm(request.POST or None)
    if request.method == "POST" and save_form(
        form, lambda data: services.record_variation(request.user, contract, **data)
    ):
        messages.success(request, _("The variation is recorded; both sides are told."))
        return redirect(_back(collaboration, f"contract-{contract.pk}-variations"))
    return form_page(
        request,
        form,
        _("Record a variation"),
        intro=_(
            "A change both sides agreed to the signed contract: its value (now %(value)s), "
            "its end (now %(end)s) or both. The history keeps the old values."
        )
        % {
            "value": formats.money(contract.value, contract.currency),
            "end": formats.day(contract.end_date),
        },
        submit=_("Record the variation"),
        back=_back(collaboration),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cost_create(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    collaboration, contract = _contract(request, pk, contract_pk)
    require(permissions.can_act_for_supplier(request.user, contract))
    form = PlannedCostForm(request.POST or None, initial={"currency": contract.currency})
    if request.method == "POST" and save_form(
        form, lambda data: services.add_planned_cost(request.user, contract, **data)
    ):
        messages.success(request, _("The planned cost is in your cash flow."))
        return redirect(_back(collaboration, f"contract-{contract.pk}-costs"))
    return form_page(
        request,
        form,
        _("Plan a cost"),
        intro=_(
            "What %(supplier)s expects to pay while it delivers: wages, hosting, licences. "
            "Only your side sees it; it counts in the cash flow against expected payments."
        )
        % {"supplier": contract.supplier.name},
        submit=_("Add the cost"),
        back=_back(collaboration),
    )


@login_required
@require_POST
def cost_delete(request: HttpRequest, pk: int, contract_pk: int, cost_pk: int) -> HttpResponse:
    collaboration, contract = _contract(request, pk, contract_pk)
    require(permissions.can_act_for_supplier(request.user, contract))
    cost = permissions.planned_cost_of(contract, cost_pk)
    services.remove_planned_cost(request.user, cost)
    messages.success(request, _("“%(cost)s” is out of the plan.") % {"cost": cost})
    return redirect(_back(collaboration, f"contract-{contract.pk}-costs"))
