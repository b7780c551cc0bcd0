"""A collaboration's details, the list's filters and a note; what the other forms share."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core import formats
from civicbridge.core.choices import Visibility
from civicbridge.core.forms import Form, ModelForm
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Department, Membership, Organisation, Person
from civicbridge.readiness.models import Assessment
from civicbridge.readiness.permissions import visible_assessments

from ..choices import Model, RiskReason, Stage
from ..models import Collaboration, CollaborationNote
from ..queries import people_of_both_sides
from ..services.starting import NOT_YOURS

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


class AssessmentField(forms.ModelChoiceField):
    """An assessment the user may see, by its id; any other is refused in the same words."""

    def label_from_instance(self, obj: Assessment) -> str:
        return f"{obj.title} — {obj.institution.name}, {formats.day(obj.assessed_on)}"


class CollaborationForm(ModelForm):
    assessment = AssessmentField(
        queryset=Assessment.objects.none(),
        required=False,
        label=_("Started from the assessment"),
        help_text=_(
            "A finished assessment of the institution. What it says about the model's "
            "conditions is kept as the collaboration's starting conditions; the link cannot "
            "be changed later."
        ),
        error_messages={"invalid_choice": NOT_YOURS},
    )
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
            "assessment",
            "departments",
            "start_date",
            "end_date",
            "checkin_every_days",
            "public",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only what `user` may see is offered; the service refuses any other all the same.
        self.fields["assessment"].queryset = (  # type: ignore[attr-defined]
            visible_assessments(user)
            .filter(completed_at__isnull=False)
            .select_related("institution")
            .order_by("-assessed_on", "-id")
            if user is not None
            else Assessment.objects.none()
        )
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
    # Set by the confirmation page a move before the planned end date goes through.
    early = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CollaborationChangeForm(CollaborationForm):
    """The details a collaboration's sides may change once it is proposed: never its model,
    its parties (a party changes only by a proposal both sides approve) or the assessment
    it started from."""

    assessment = None  # type: ignore[assignment]

    class Meta(CollaborationForm.Meta):
        fields = [
            name
            for name in CollaborationForm.Meta.fields
            if name not in ("model", "civic_organisation", "institution", "assessment")
        ]

    def __init__(self, *args, **kwargs) -> None:
        super(CollaborationForm, self).__init__(*args, **kwargs)
        self.fields["departments"].queryset = self.fields["departments"].queryset.filter(  # type: ignore[attr-defined]
            organisation_id=self.instance.institution_id
        )


AT_RISK_ANY = "any"
FOLLOW_UPS_DUE = "due"


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
    # The portfolio on the home page links its numbers here: a number and its list agree.
    at_risk = forms.ChoiceField(
        label=_("At risk"),
        required=False,
        choices=[
            ("", _("At risk or not")),
            (AT_RISK_ANY, _("At risk, for any reason")),
            *RiskReason.choices,
        ],
    )
    follow_ups = forms.ChoiceField(
        label=_("Follow-ups"),
        required=False,
        choices=[("", _("Any")), (FOLLOW_UPS_DUE, _("A follow-up is due"))],
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
        if data["at_risk"] or data["follow_ups"]:
            collaborations = collaborations.with_health(timezone.localdate())
        if data["at_risk"]:
            reason = "" if data["at_risk"] == AT_RISK_ANY else data["at_risk"]
            collaborations = collaborations.at_risk(reason)
        if data["follow_ups"]:
            collaborations = collaborations.follow_ups_due()
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


class NeedsYouFilterForm(Form):
    """The filters of the full list of what needs the user: kind, model, organisation."""

    kind = forms.ChoiceField(label=_("What"), required=False)
    model = forms.ChoiceField(
        label=_("Model"), required=False, choices=[("", _("Any model")), *Model.choices]
    )
    organisation = forms.ModelChoiceField(
        label=_("For"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Any of your organisations"),
    )

    def __init__(self, *args, kinds, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Anything")), *kinds]  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def scope(self):
        """The collaborations the filters keep, or None when they keep every one."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        if not data["model"] and not data["organisation"]:
            return None
        collaborations = Collaboration.objects.all()
        if data["model"]:
            collaborations = collaborations.filter(model=data["model"])
        if data["organisation"]:
            collaborations = collaborations.of_organisations({data["organisation"].pk})
        return collaborations.values("pk")

    @property
    def kind_chosen(self) -> str:
        return self.cleaned_data.get("kind", "") if self.is_valid() else ""
