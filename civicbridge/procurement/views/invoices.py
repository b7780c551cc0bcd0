"""The Invoices tab (S4): each invoice with what was paid, credited and is still owed, how
long it took to pay or how late it is; adding invoices, payments and credit notes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.pages import page
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core import formats
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page
from civicbridge.core.permissions import require

from .. import permissions
from ..choices import ContractStatus
from ..forms.invoices import CreditNoteForm, InvoiceForm, PaymentForm
from ..models import Contract, Invoice
from ..queries import invoice_rows, totals
from ..services import invoices as services


def _back(collaboration: Collaboration, anchor: str = "") -> str:
    return tab_url(collaboration, "invoices", anchor)


@login_required
@require_GET
def tab(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_service_delivery_for(request.user, pk)
    contracts = list(
        permissions.visible_contracts(request.user)
        .filter(collaboration=collaboration)
        .order_by("start_date", "pk")
    )
    rows = invoice_rows(
        permissions.visible_invoices(request.user)
        .filter(contract__collaboration=collaboration)
        .order_by("-issued_on", "-pk"),
        timezone.localdate(),
    )
    groups = [
        {
            "contract": contract,
            "rows": [row for row in rows if row.invoice.contract_id == contract.pk],
            "can_invoice": contract.status == ContractStatus.ACTIVE
            and permissions.can_act_for_supplier(request.user, contract)[0],
            "can_pay": permissions.can_record_payment(request.user, contract)[0],
            "can_credit": permissions.can_act_for_supplier(request.user, contract)[0],
        }
        for contract in contracts
    ]
    return page(
        request,
        collaboration,
        "invoices",
        "procurement/invoices/tab.html",
        {
            "groups": groups,
            "totals": totals(rows),
            "sees_supplier_money": any(
                permissions.can_see_finances(request.user, c.supplier)[0] for c in contracts
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invoice_create(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    collaboration = permissions.get_service_delivery_for(request.user, pk)
    contract = permissions.get_contract_for(request.user, contract_pk, collaboration=collaboration)
    require(permissions.can_act_for_supplier(request.user, contract))
    form = InvoiceForm(request.POST or None, contract=contract)
    if request.method == "POST" and (
        saved := save_form(form, lambda data: services.add_invoice(request.user, contract, **data))
    ):
        messages.success(
            request,
            _("Invoice %(number)s is recorded, due on %(due)s.")
            % {"number": saved.number, "due": formats.day(saved.due_on)},
        )
        return redirect(_back(collaboration, f"invoice-{saved.pk}"))
    return form_page(
        request,
        form,
        _("Add an invoice"),
        intro=_(
            "An invoice of %(supplier)s to %(buyer)s under “%(contract)s”, in %(currency)s. "
            "It falls due %(days)d days after it is issued, as the contract says, unless you "
            "give another date."
        )
        % {
            "supplier": contract.supplier.name,
            "buyer": contract.buyer.name,
            "contract": contract,
            "currency": contract.currency,
            "days": contract.payment_terms_days,
        },
        submit=_("Add the invoice"),
        back=_back(collaboration),
    )


def _invoice(request: HttpRequest, pk: int, invoice_pk: int) -> tuple[Collaboration, Invoice]:
    collaboration = permissions.get_service_delivery_for(request.user, pk)
    invoice = permissions.get_invoice_for(request.user, invoice_pk, collaboration=collaboration)
    return collaboration, invoice


@login_required
@require_http_methods(["GET", "POST"])
def payment_create(request: HttpRequest, pk: int, invoice_pk: int) -> HttpResponse:
    collaboration, invoice = _invoice(request, pk, invoice_pk)
    contract: Contract = invoice.contract
    require(permissions.can_record_payment(request.user, contract))
    owed = invoice.owed()
    form = PaymentForm(
        request.POST or None, initial={"amount": owed.amount, "currency": invoice.currency}
    )
    if request.method == "POST" and save_form(
        form, lambda data: services.record_payment(request.user, invoice, **data)
    ):
        messages.success(
            request, _("The payment on invoice %(number)s is recorded.") % {"number": invoice}
        )
        return redirect(_back(collaboration, f"invoice-{invoice.pk}"))
    return form_page(
        request,
        form,
        _("Record a payment on invoice %(number)s") % {"number": invoice},
        intro=_(
            "%(owed)s is still owed. %(buyer)s records what it paid, or %(supplier)s what it "
            "received; a payment of more than is owed is refused."
        )
        % {"owed": owed, "buyer": contract.buyer.name, "supplier": contract.supplier.name},
        submit=_("Record the payment"),
        back=_back(collaboration, f"invoice-{invoice.pk}"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def payment_delete(request: HttpRequest, pk: int, invoice_pk: int, payment_pk: int):
    collaboration, invoice = _invoice(request, pk, invoice_pk)
    require(permissions.can_record_payment(request.user, invoice.contract))
    payment = permissions.payment_of(invoice, payment_pk)
    back = _back(collaboration, f"invoice-{invoice.pk}")
    if request.method == "POST":
        try:
            services.remove_payment(request.user, payment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The payment is removed."))
        return redirect(back)
    return render(
        request,
        "procurement/contracts/confirm.html",
        {
            "title": _("Remove this payment?"),
            "record": _("A payment of %(amount)s on invoice %(number)s")
            % {"amount": formats.money(payment.amount, payment.currency), "number": invoice},
            "details": _("Paid on %(day)s.") % {"day": formats.day(payment.paid_on)},
            "intro": _(
                "Remove a payment recorded by mistake. If the invoice is no longer paid in "
                "full, it is open again and counts as owed."
            ),
            "submit": _("Remove the payment"),
            "back": back,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def credit_note_create(request: HttpRequest, pk: int, invoice_pk: int) -> HttpResponse:
    collaboration, invoice = _invoice(request, pk, invoice_pk)
    contract: Contract = invoice.contract
    require(permissions.can_act_for_supplier(request.user, contract))
    form = CreditNoteForm(request.POST or None, initial={"currency": invoice.currency})
    if request.method == "POST" and save_form(
        form, lambda data: services.add_credit_note(request.user, invoice, **data)
    ):
        messages.success(
            request, _("The credit note on invoice %(number)s is recorded.") % {"number": invoice}
        )
        return redirect(_back(collaboration, f"invoice-{invoice.pk}"))
    return form_page(
        request,
        form,
        _("Add a credit note to invoice %(number)s") % {"number": invoice},
        intro=_(
            "An amount %(supplier)s takes off the invoice; %(owed)s is still owed, and a "
            "credit note cannot take off more."
        )
        % {"supplier": contract.supplier.name, "owed": invoice.owed()},
        submit=_("Add the credit note"),
        back=_back(collaboration, f"invoice-{invoice.pk}"),
    )
