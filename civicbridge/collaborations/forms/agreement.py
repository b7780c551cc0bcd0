"""The MOU's forms: its terms, an obligation, an obligation's status, and the signature."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import Form
from civicbridge.partners.models import Organisation, Person

from ..choices import ObligationStatus
from ..models import Collaboration
from .core import DATE, current_people


class AgreementForm(Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the two sides set out to do together, in a few sentences."),
    )
    terms = forms.CharField(
        label=_("Terms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What both sides agree to beyond the obligations: how they work together, "
            "who may use the results, how either side may end the agreement."
        ),
    )


class ObligationForm(Form):
    party = forms.ModelChoiceField(
        label=_("Whose obligation is it?"),
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    description = forms.CharField(
        label=_("Obligation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What that side will do, for example “Provide a desk and a laptop”."),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Person.objects.none(),
        help_text=_("The person of that side who answers for it."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parties = collaboration.party_ids
        self.fields["party"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=parties
        ).order_by("kind", "name")
        self.fields["owner"].queryset = current_people(*parties)  # type: ignore[attr-defined]


class StatusForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=ObligationStatus.choices)


class SignForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_(
            "Enter the password you sign in with, to show it is you who signs. Five wrong "
            "passwords lock your account for a while, as when signing in."
        ),
    )
