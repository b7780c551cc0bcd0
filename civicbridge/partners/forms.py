from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import Form, ModelForm

from .choices import ImportKind, OrganisationKind
from .models import (
    Department,
    Membership,
    Note,
    Offering,
    Organisation,
    PastContract,
    Person,
    SupplierProfile,
)


class DirectoryFilterForm(Form):
    q = forms.CharField(label=_("Search by name or city"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind but political parties")), *OrganisationKind.choices],
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, countries: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        country = cast(forms.ChoiceField, self.fields["country"])
        country.choices = [("", _("Any country")), *((c, c) for c in countries)]


class OrganisationForm(ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "classification",
            "country",
            "city",
            "website",
            "description",
            "parent",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bodies = Organisation.objects.filter(kind=OrganisationKind.GOVERNMENT)
        if self.instance.pk:
            bodies = bodies.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["parent"].empty_label = _("None")  # type: ignore[attr-defined]


class DepartmentForm(ModelForm):
    class Meta:
        model = Department
        fields = ["name", "parent", "classification"]

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = organisation.departments.all()
        if self.instance.pk:
            choices = choices.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = choices  # type: ignore[attr-defined]
        self.fields["parent"].empty_label = _("None: directly under the organisation")  # type: ignore[attr-defined]


class PersonForm(ModelForm):
    class Meta:
        model = Person
        fields = ["name", "sort_name", "email", "image", "summary"]


class MembershipForm(ModelForm):
    class Meta:
        model = Membership
        fields = ["department", "role", "label", "start_date", "end_date", "access"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = organisation.departments.all()  # type: ignore[attr-defined]
        self.fields["department"].empty_label = _("None: the organisation as a whole")  # type: ignore[attr-defined]

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        return cleaned


class NewMembershipForm(MembershipForm):
    """A membership of an existing person in an organisation the user may change."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )

    class Meta(MembershipForm.Meta):
        fields = ["organisation", "role", "label", "start_date", "end_date", "access"]

    def __init__(self, *args, organisations, **kwargs) -> None:
        super(MembershipForm, self).__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class NoteForm(ModelForm):
    class Meta:
        model = Note
        fields = ["owner_organisation", "visibility", "body"]
        widgets = {"visibility": forms.RadioSelect}
        labels = {"owner_organisation": _("Written for")}
        help_texts = {
            "visibility": _(
                "Own side: only your organisation. Both sides: also the organisation the note "
                "is about. Public: everyone who can see this page."
            )
        }

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["owner_organisation"].empty_label = None  # type: ignore[attr-defined]


class ImportForm(Form):
    kind = forms.ChoiceField(
        label=_("File format"), choices=ImportKind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(label=_("File"), help_text=_("A JSON file of at most 20 MB."))
    country = forms.CharField(
        label=_("Country of new organisations"),
        required=False,
        max_length=100,
        help_text=_("Popolo files do not say which country an organisation is in."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only: count what would change and save nothing"), required=False
    )

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.FILE_UPLOAD_MAX_SIZE:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith(".json"):
            raise forms.ValidationError(_("Choose a .json file."))
        return upload


# The supplier profile (S1, S2)


class SupplierCurrencyMixin:
    """A currency is three capital letters; people type it in any case."""

    def clean_currency(self) -> str:
        currency = self.cleaned_data.get("currency", "").strip().upper()  # type: ignore[attr-defined]
        if currency and (len(currency) != 3 or not currency.isalpha()):
            raise forms.ValidationError(_("Give three letters, for example AUD or EUR."))
        return currency


class SupplierProfileForm(ModelForm):
    class Meta:
        model = SupplierProfile
        fields = [
            "legal_name",
            "registration_number",
            "registration_country",
            "tax_id",
            "capabilities",
        ]


class OfferingForm(SupplierCurrencyMixin, ModelForm):
    class Meta:
        model = Offering
        fields = ["name", "kind", "description", "price_basis", "price", "currency"]
        widgets = {"kind": forms.RadioSelect}


class PastContractForm(SupplierCurrencyMixin, ModelForm):
    class Meta:
        model = PastContract
        fields = [
            "buyer_name",
            "buyer",
            "title",
            "value",
            "currency",
            "year",
            "started_on",
            "ended_on",
            "reference_url",
        ]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "ended_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buyer_name"].required = False
        self.fields["buyer_name"].help_text = _("Leave empty when you choose the buyer below.")
        self.fields["buyer"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.GOVERNMENT
        ).exclude(pk=organisation.pk)

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("buyer") and not cleaned.get("buyer_name"):
            cleaned["buyer_name"] = cleaned["buyer"].name
        if not cleaned.get("buyer_name"):
            self.add_error("buyer_name", _("Name the buyer, or choose it from the directory."))
        return cleaned
