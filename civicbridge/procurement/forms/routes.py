"""Forms of the routes and rules pages, and of the route a collaboration chooses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.permissions import visible_collaborations
from civicbridge.core.forms import ModelForm

from ..models import Jurisdiction, ProcurementPlan, RouteRule, StatutoryStep

DATE = forms.DateInput(attrs={"type": "date"})


class CurrencyMixin:
    """A currency is three capital letters; people type it in any case."""

    def clean_currency(self) -> str:
        currency = self.cleaned_data.get("currency", "").strip().upper()  # type: ignore[attr-defined]
        if currency and (len(currency) != 3 or not currency.isalpha()):
            raise forms.ValidationError(_("Give three letters, for example AUD or EUR."))
        return currency


class JurisdictionForm(ModelForm):
    class Meta:
        model = Jurisdiction
        fields = ["name", "code", "country", "parent", "example", "notes"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parents = Jurisdiction.objects.all()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["parent"].empty_label = _("None: it is not part of another")  # type: ignore[attr-defined]


class RouteRuleForm(CurrencyMixin, ModelForm):
    because_of = forms.ModelChoiceField(
        label=_("Changed because of a policy collaboration"),
        queryset=Collaboration.objects.none(),
        required=False,
        help_text=_(
            "If the rule changed because of a policy development collaboration, name it: "
            "the jurisdiction's rule history links to it."
        ),
    )

    class Meta:
        model = RouteRule
        fields = [
            "route",
            "allowed",
            "max_value",
            "currency",
            "explanation",
            "source",
            "source_date",
        ]
        widgets = {"source_date": DATE}
        labels = {"allowed": _("The route is allowed")}
        help_texts = {"currency": _("The currency of the value limit, for example AUD.")}

    def __init__(self, *args, jurisdiction: Jurisdiction, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.jurisdiction = jurisdiction
        if user is not None:
            self.fields["because_of"].queryset = (  # type: ignore[attr-defined]
                visible_collaborations(user).filter(model=Model.POLICY).order_by("title")
            )
        else:
            del self.fields["because_of"]


class StatutoryStepForm(ModelForm):
    class Meta:
        model = StatutoryStep
        fields = ["route", "order", "name", "minimum_days", "source", "source_date"]
        widgets = {"source_date": DATE}
        help_texts = {"order": _("Steps follow one another in this order: 1, 2, 3…")}

    def __init__(self, *args, jurisdiction: Jurisdiction, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.jurisdiction = jurisdiction


class RouteChoiceForm(CurrencyMixin, ModelForm):
    """The route a collaboration takes, where, at what value and from when."""

    class Meta:
        model = ProcurementPlan
        fields = ["route", "jurisdiction", "estimated_value", "currency", "procurement_starts_on"]
        widgets = {"procurement_starts_on": DATE}
        help_texts = {
            "estimated_value": _("What the institution would pay, or 0 for a donation."),
            "currency": _("Three letters, for example AUD."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = Jurisdiction.objects.all()  # type: ignore[attr-defined]
        self.fields["jurisdiction"].empty_label = _("None fits: the choice is then a risk")  # type: ignore[attr-defined]
