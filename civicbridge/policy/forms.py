"""The policy room's forms; the API validates its payloads with the same forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.choices import Completion, PracticeChange
from civicbridge.collaborations.forms.core import DATE
from civicbridge.collaborations.models import Collaboration
from civicbridge.core.forms import Form, ModelForm
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Organisation

from .choices import PolicyStage, next_stages
from .importer import DEFAULT_COLUMNS
from .models import Commitment, CommitmentMilestone, ConsultationResponse, PolicyChange
from .permissions import policy_collaborations_for

SOURCE_HELP = _("Where the stage can be read: a link to it, or the words it says, or both.")


class SourceFields(Form):
    """The date a stage was reached and where it can be read."""

    on = forms.DateField(label=_("On"), widget=DATE, help_text=_("The day it happened."))
    source_url = forms.URLField(
        label=_("Source (link)"), required=False, max_length=500, help_text=SOURCE_HELP
    )
    source_text = forms.CharField(
        label=_("Source (text)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the minutes' words, or the gazette's reference."),
    )

    def clean(self):
        cleaned = super().clean() or {}
        given = cleaned.get("source_url") or cleaned.get("source_text")
        if not given and "source_url" not in self.errors:
            self.add_error("source_url", _("Give the source: a link to it, or the words it says."))
        return cleaned


class PolicyChangeForm(ModelForm):
    class Meta:
        model = PolicyChange
        fields = ["title", "instrument", "deciding_body", "current_text", "proposed_change"]
        help_texts = {
            "title": _("For example: Allow challenge-based procurement up to 200,000."),
            "deciding_body": _("Who adopts it: a parliament, a minister, a council, a board."),
            "current_text": _("What the rule says now, if it exists."),
            "proposed_change": _("What the collaboration proposes it should say or do."),
        }


class NewPolicyChangeForm(PolicyChangeForm):
    """A new change, with the day its draft stands and the draft's source."""

    on = SourceFields.base_fields["on"]
    source_url = SourceFields.base_fields["source_url"]
    source_text = SourceFields.base_fields["source_text"]

    def clean(self):
        cleaned = super().clean() or {}
        given = cleaned.get("source_url") or cleaned.get("source_text")
        if not given and "source_url" not in self.errors:
            self.add_error("source_url", _("Give the source: a link to it, or the words it says."))
        return cleaned


class StageMoveForm(SourceFields):
    """The next stage of a policy change, named with the stage it moves from."""

    from_stage = forms.ChoiceField(
        label=_("Moves from"), choices=PolicyStage.choices, widget=forms.HiddenInput
    )
    stage = forms.ChoiceField(label=_("New stage"), choices=PolicyStage.choices)
    field_order = ["from_stage", "stage", "on", "source_url", "source_text"]

    def __init__(self, *args, change: PolicyChange, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("from_stage", change.stage)
        if not self.is_bound:
            # The page offers the moves from where the change is; a submitted move is judged
            # by the service from the stage it names, so a stale one is told so.
            self.fields["stage"].choices = [  # type: ignore[attr-defined]
                (stage, PolicyStage(stage).label) for stage in next_stages(change.stage)
            ]


class ResponseForm(ModelForm):
    class Meta:
        model = ConsultationResponse
        fields = ["title", "submitted_on", "summary", "file"]
        widgets = {"submitted_on": DATE}
        help_texts = {
            "summary": _("What the response asks for, in a few sentences."),
            "file": _(
                "The response as submitted: a PDF, Word (.docx) or OpenDocument (.odt) file."
            ),
        }


class CommitmentForm(ModelForm):
    lead_institution = forms.ModelChoiceField(
        label=_("Lead institution"), queryset=Organisation.objects.none(), required=False
    )
    supporting_institutions = forms.ModelMultipleChoiceField(
        label=_("Supporting institutions"), queryset=Organisation.objects.none(), required=False
    )

    class Meta:
        model = Commitment
        fields = [
            "identifier",
            "title",
            "short_title",
            "text",
            "country",
            "start_date",
            "end_date",
            "url",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "title": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "identifier": _(
                "The action plan's own reference, such as AL0001; an import finds the commitment by it."
            ),
            "short_title": _("At most 200 characters, for lists."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bodies = Organisation.objects.filter(kind=OrganisationKind.GOVERNMENT).order_by("name")
        self.fields["lead_institution"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["supporting_institutions"].queryset = bodies  # type: ignore[attr-defined]
        if self.instance.pk:
            linked = list(self.instance.institutions.exclude(organisation=None))
            lead = [i.organisation_id for i in linked if i.role == "lead"]
            self.initial.setdefault("lead_institution", lead[0] if lead else None)
            self.initial.setdefault(
                "supporting_institutions", [i.organisation_id for i in linked if i.role != "lead"]
            )


class MilestoneForm(ModelForm):
    class Meta:
        model = CommitmentMilestone
        fields = ["title", "due_on"]
        widgets = {"due_on": DATE}


class MilestoneDoneForm(Form):
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty to open the milestone again."),
    )


class AssessmentForm(Form):
    """How far a commitment got, and whether it opened government, with its evidence."""

    from_completion = forms.ChoiceField(choices=Completion.choices, widget=forms.HiddenInput)
    completion = forms.ChoiceField(label=_("Completion"), choices=Completion.choices)
    practice_change = forms.ChoiceField(
        label=_("Did it open government?"),
        choices=[("", _("Not assessed yet")), *PracticeChange.choices],
        required=False,
        help_text=_(
            "Whether it changed government practice, on the Independent Reporting Mechanism's scale."
        ),
    )
    on = forms.DateField(label=_("On"), widget=DATE)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What shows it: a report, a published rule, a meeting's minutes."),
    )
    evidence_url = forms.URLField(label=_("Evidence (link)"), required=False, max_length=500)

    def __init__(self, *args, commitment: Commitment, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("from_completion", commitment.completion)
        self.initial.setdefault("completion", commitment.completion)
        self.initial.setdefault("practice_change", commitment.practice_change)


class ImportForm(Form):
    """A commitments file, the collaboration it belongs to, and its column names."""

    collaboration = forms.ModelChoiceField(
        label=_("Policy collaboration"),
        queryset=Collaboration.objects.none(),
        help_text=_("The commitments become part of this collaboration's action plan."),
    )
    file = forms.FileField(
        label=_("Commitments (CSV)"),
        help_text=_("A UTF-8 CSV file with a header row, one commitment a row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )
    skip_invalid = forms.BooleanField(
        label=_("Skip the rows with problems and import the others"),
        required=False,
        help_text=_(
            "Otherwise a file with any bad row imports nothing. The summary lists the skipped rows."
        ),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collaboration"].queryset = policy_collaborations_for(user, edit=True)  # type: ignore[attr-defined]
        for name, column in DEFAULT_COLUMNS.items():
            self.fields[f"column_{name}"] = forms.CharField(
                label=COLUMN_LABELS[name],
                max_length=200,
                required=name == "title",
                initial=column,
            )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choose a .csv file."))
        return upload

    def clean(self):
        cleaned = super().clean() or {}
        cleaned["columns"] = {
            name: cleaned.get(f"column_{name}", "").strip()
            for name in DEFAULT_COLUMNS
            if cleaned.get(f"column_{name}", "").strip()
        }
        return cleaned


COLUMN_LABELS = {
    "identifier": _("Column of the unique identifier"),
    "title": _("Column of the title"),
    "short_title": _("Column of the short title"),
    "text": _("Column of the full text"),
    "lead": _("Column of the lead institution"),
    "supporting": _("Column of the supporting institutions"),
    "country": _("Column of the country or locality"),
    "start_date": _("Column of the start date"),
    "end_date": _("Column of the end date"),
    "completion": _("Column of the completion"),
    "practice_change": _("Column of whether it opened government"),
    "url": _("Column of the web address"),
}
