"""The forms of the Invoices tab: an invoice, a payment and a credit note."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.forms.core import DATE
from civicbridge.core.forms import Form

from ..choices import MilestoneKind
from ..models import Contract, Milestone
from .contracts import CurrencyField, amount_field


class InvoiceForm(Form):
    number = forms.CharField(
        label=_("Invoice number"),
        max_length=100,
        help_text=_("Your own number: you use each one once."),
    )
    milestone = forms.ModelChoiceField(
        label=_("Payment milestone"),
        queryset=Milestone.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("The payment milestone of the contract this invoice bills, if any."),
    )
    amount = amount_field(_("Amount"))
    currency = CurrencyField()
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE, initial=timezone.localdate)
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty: the issue date plus the contract's payment terms."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, contract: Contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = Milestone.objects.filter(  # type: ignore[attr-defined]
            contract=contract, kind=MilestoneKind.PAYMENT, invoices__isnull=True
        ).order_by("due_on", "pk")
        self.initial.setdefault("currency", contract.currency)


class PaymentForm(Form):
    amount = amount_field(_("Amount paid"))
    currency = CurrencyField()
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, initial=timezone.localdate)
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=200,
        help_text=_("The bank's or the buyer's reference for the payment."),
    )


class CreditNoteForm(Form):
    number = forms.CharField(label=_("Credit note number"), max_length=100)
    amount = amount_field(_("Amount taken off"))
    currency = CurrencyField()
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(
        label=_("Why"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
