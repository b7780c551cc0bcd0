"""The contract's forms: its terms, a milestone, the signature, acceptance, the outcome of
a step of the procurement, a variation and a planned cost. Money is a Decimal to the cent with its currency code."""

from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.forms.core import DATE
from civicbridge.core.forms import Form

from ..choices import MilestoneKind, MilestoneStatus
from ..models import Contract

MAX_AMOUNT = Decimal("999999999999.99")  # 14 digits, 2 of them cents


def amount_field(label, *, required: bool = True, minimum: str = "0.01", **kwargs):
    """A money amount: a Decimal to the cent, never a float."""
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(minimum),
        max_value=MAX_AMOUNT,
        **kwargs,
    )


class CurrencyField(forms.CharField):
    """A three-letter ISO 4217 code; typed in lower case, it is read in upper case."""

    default_validators = [
        RegexValidator(
            r"^[A-Z]{3}\Z", _("Give the three-letter ISO 4217 code, such as AUD or EUR.")
        )
    ]

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Currency"))
        kwargs.setdefault("help_text", _("The three-letter code, such as AUD, EUR or USD."))
        super().__init__(max_length=3, **kwargs)

    def to_python(self, value):
        return (super().to_python(value) or "").upper()


class ContractForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("What is bought"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The product or service, its scope and what it must do."),
    )
    reference = forms.CharField(
        label=_("Contract reference"),
        required=False,
        max_length=100,
        help_text=_("The buyer's number for the contract, if it has one."),
    )
    value = amount_field(_("Value"), minimum="0", help_text=_("For example 48000.00"))
    currency = CurrencyField()
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE)
    payment_terms_days = forms.IntegerField(
        label=_("Payment terms (days)"),
        min_value=0,
        max_value=365,
        initial=30,
        help_text=_("Days after an invoice is issued by which the buyer must pay it."),
    )

    @classmethod
    def initial_for(cls, contract: Contract) -> dict:
        return {name: getattr(contract, name) for name in cls.base_fields}


def milestone_kinds() -> list:
    """The kinds in two groups: the contract's own, due within its dates, and the steps of
    the procurement, which may come before it starts."""
    steps = MilestoneKind.procurement()
    return [
        (
            _("Milestones of the contract, due within its dates"),
            [(kind.value, kind.label) for kind in MilestoneKind if kind not in steps],
        ),
        (
            _("Steps of the procurement, which may come before the contract starts"),
            [(kind.value, kind.label) for kind in MilestoneKind if kind in steps],
        ),
    ]


class MilestoneForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=milestone_kinds, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a deliverable: what the buyer checks before it accepts it."),
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    amount = amount_field(
        _("Amount"),
        required=False,
        help_text=_("What falls due at this milestone; a payment milestone needs one."),
    )
    currency = CurrencyField(required=False, help_text=_("Left empty: the contract's."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each group of kinds under its own legend.
        self.fields["kind"].widget.template_name = "procurement/contracts/_kinds.html"

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"] or ""


class SignContractForm(Form):
    terms = forms.CharField(widget=forms.HiddenInput, max_length=64)
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_(
            "Enter the password you sign in with, to show it is you who signs. Five wrong "
            "passwords lock your account for a while, as when signing in."
        ),
    )


class AcceptanceForm(Form):
    outcome = forms.ChoiceField(
        label=_("Does it meet the contract?"),
        choices=[
            (MilestoneStatus.MET, _("Yes: we accept it")),
            (MilestoneStatus.PARTIALLY_MET, _("In part: say what is missing")),
            (MilestoneStatus.NOT_MET, _("No: say what is wrong")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed unless you accept it: the supplier reads it to put things right."),
    )
    on = forms.DateField(
        label=_("Judged on"), widget=DATE, required=False, initial=timezone.localdate
    )


class StepOutcomeForm(Form):
    status = forms.ChoiceField(
        label=_("Did it happen?"),
        choices=[
            (MilestoneStatus.MET, _("Yes: it was met")),
            (MilestoneStatus.PARTIALLY_MET, _("In part")),
            (MilestoneStatus.NOT_MET, _("No: it was not met")),
        ],
        widget=forms.RadioSelect,
    )
    met_on = forms.DateField(
        label=_("The day it happened"),
        widget=DATE,
        required=False,
        help_text=_("Needed unless it was not met: the day it was done, or done in part."),
    )


class DeliveryForm(Form):
    on = forms.DateField(
        label=_("Delivered on"), widget=DATE, required=False, initial=timezone.localdate
    )


class VariationForm(Form):
    new_value = amount_field(
        _("New value"), required=False, minimum="0", help_text=_("Leave empty to keep it.")
    )
    currency = CurrencyField(required=False, help_text=_("Left empty: the contract's."))
    new_end_date = forms.DateField(
        label=_("New end date"), required=False, widget=DATE, help_text=_("Leave empty to keep it.")
    )
    reason = forms.CharField(
        label=_("Why it changes"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DATE, initial=timezone.localdate)


class PlannedCostForm(Form):
    description = forms.CharField(
        label=_("What"), max_length=300, help_text=_("For example: two developers in March.")
    )
    amount = amount_field(_("Amount"))
    currency = CurrencyField()
    due_on = forms.DateField(label=_("Paid out on"), widget=DATE)
