"""Forms of the conflict-of-interest register: roles, disclosures and recusals."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.models import Collaboration
from civicbridge.core.forms import ModelForm
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Organisation, Person

from ..choices import OrganisationRoleKind
from ..models import Disclosure, OrganisationRole, Recusal

DATE = forms.DateInput(attrs={"type": "date"})


def institutions(organisation: Organisation):
    """The government bodies an organisation's register speaks of."""
    return Organisation.objects.filter(kind=OrganisationKind.GOVERNMENT).exclude(pk=organisation.pk)


class RoleForm(ModelForm):
    class Meta:
        model = OrganisationRole
        fields = ["institution", "role", "started_on", "ended_on", "note"]
        widgets = {"started_on": DATE, "ended_on": DATE, "role": forms.RadioSelect}
        help_texts = {"ended_on": _("Leave empty while the role lasts.")}

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions(organisation)  # type: ignore[attr-defined]
        self.instance.organisation = organisation


class RolesWidget(forms.CheckboxSelectMultiple):
    template_name = "core/forms/radio.html"
    option_template_name = "procurement/conflicts/_checkbox_option.html"

    def __init__(self) -> None:
        super().__init__(attrs={"class": "usa-checkbox__input"})


class DisclosureForm(ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles disclosed"),
        choices=OrganisationRoleKind.choices,
        widget=RolesWidget(),
        help_text=_(
            "Every role you hold toward the institution: those you watch it in, and "
            "those it pays you in."
        ),
    )

    class Meta:
        model = Disclosure
        fields = [
            "institution",
            "collaboration",
            "roles",
            "mission_discussion",
            "outcome",
            "discussed_on",
        ]
        widgets = {"discussed_on": DATE}
        labels = {"collaboration": _("About the collaboration")}

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions(organisation)  # type: ignore[attr-defined]
        collaboration = cast(forms.ModelChoiceField, self.fields["collaboration"])
        collaboration.queryset = Collaboration.objects.filter(civic_organisation=organisation)
        collaboration.empty_label = _("None: the disclosure is about the institution")
        self.instance.organisation = organisation

    def clean(self):
        cleaned = super().clean() or {}
        collaboration, institution = cleaned.get("collaboration"), cleaned.get("institution")
        if collaboration and institution and collaboration.institution_id != institution.pk:
            self.add_error(
                "collaboration", _("Choose a collaboration with the institution named above.")
            )
        return cleaned


class RecusalForm(ModelForm):
    class Meta:
        model = Recusal
        fields = ["person", "stands_aside_from"]

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            memberships__organisation=organisation
        ).distinct()
