"""A collaboration's details, the list's filters and a note; what the other forms share."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.core.choices import Visibility
from civicbridge.core.forms import Form, ModelForm
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Department, Membership, Organisation, Person

from ..choices import Model, Stage
from ..models import Collaboration, CollaborationNote
from ..queries import people_of_both_sides

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def current_people(*organisation_ids: int):
    """People with a current membership of one of `organisation_ids`, by name."""
    members = Membership.objects.current().filter(organisation_id__in=organisation_ids)
    return Person.objects.filter(pk__in=members.values("person_id")).order_by("name", "id")


def name_both_sides(form: forms.BaseForm, collaboration: Collaboration, author) -> None:
    """Warn the author of a record that picks its visibility who else reads “your side
    only”: the people who act for both sides read both sides' own records."""
    others = people_of_both_sides(collaboration, besides=getattr(author, "person_id", None))
    field = form.fields.get("visibility")
    if not others or field is None:
        return
    warning = _(
        "Careful: %(names)s act for both sides, so they also read what your side keeps for itself."
    ) % {"names": ", ".join(person.name for person in others)}
    field.help_text = f"{field.help_text} {warning}".strip()


class DepartmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return f"{obj.organisation.name} — {obj.name}"


class CollaborationForm(ModelForm):
    departments = DepartmentChoiceField(
        queryset=Department.objects.filter(organisation__kind=OrganisationKind.GOVERNMENT)
        .select_related("organisation")
        .order_by("organisation__name", "name"),
        required=False,
        label=_("Departments of the institution"),
        help_text=_("The offices the collaboration works with. Hold Ctrl or ⌘ to choose several."),
    )

    class Meta:
        model = Collaboration
        fields = [
            "model",
            "title",
            "summary",
            "civic_organisation",
            "institution",
            "departments",
            "start_date",
            "end_date",
            "checkin_every_days",
            "public",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["civic_organisation"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            kind=OrganisationKind.GOVERNMENT
        )
        self.fields["institution"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.GOVERNMENT
        )

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        return cleaned


class MoveForm(Form):
    """The overview's move button: the stage the mover saw, so a second press moves nothing."""

    from_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)


class CollaborationChangeForm(CollaborationForm):
    """The details a collaboration's sides may change once it is proposed: never its model
    or its parties (a party changes only by a proposal both sides approve)."""

    class Meta(CollaborationForm.Meta):
        fields = [
            name
            for name in CollaborationForm.Meta.fields
            if name not in ("model", "civic_organisation", "institution")
        ]

    def __init__(self, *args, **kwargs) -> None:
        super(CollaborationForm, self).__init__(*args, **kwargs)
        self.fields["departments"].queryset = self.fields["departments"].queryset.filter(  # type: ignore[attr-defined]
            organisation_id=self.instance.institution_id
        )


class CollaborationFilterForm(Form):
    """The collaboration list's filters; the API list takes the same parameters."""

    q = forms.CharField(label=_("Search by title"), required=False, max_length=100)
    model = forms.ChoiceField(
        label=_("Model"), required=False, choices=[("", _("Any model")), *Model.choices]
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("Any stage")), *Stage.choices]
    )
    # A search, not a list of every partner: an organisation may have thousands. A link to
    # one partner's collaborations names it by id (`partner`), which the page says in words.
    partner_name = forms.CharField(
        label=_("Partner"),
        required=False,
        max_length=100,
        help_text=_("Part of an organisation's name."),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, partners, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]

    def filter(self, collaborations):
        if not self.is_valid():
            return collaborations
        data = self.cleaned_data
        if data["q"]:
            collaborations = collaborations.filter(title__icontains=data["q"])
        if data["model"]:
            collaborations = collaborations.filter(model=data["model"])
        if data["stage"]:
            collaborations = collaborations.filter(stage=data["stage"])
        if data["partner"]:
            collaborations = collaborations.of_organisations({data["partner"].pk})
        if data["partner_name"]:
            named = Organisation.objects.filter(name__icontains=data["partner_name"]).values("pk")
            collaborations = collaborations.filter(
                Q(civic_organisation_id__in=named) | Q(institution_id__in=named)
            )
        return collaborations


class NoteForm(ModelForm):
    class Meta:
        model = CollaborationNote
        fields = ["body", "visibility"]
        widgets = {"visibility": forms.RadioSelect}
        help_texts = {
            "visibility": _("A note for your own side stays private: the other side never sees it.")
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A note on a collaboration is never public.
        self.fields["visibility"].choices = [  # type: ignore[attr-defined]
            (Visibility.OWN_SIDE, Visibility.OWN_SIDE.label),
            (Visibility.BOTH_SIDES, Visibility.BOTH_SIDES.label),
        ]
