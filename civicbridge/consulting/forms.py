"""The consulting room's forms; the API validates its bodies with the same forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.forms.core import DATE, current_people
from civicbridge.collaborations.models import Collaboration
from civicbridge.core.forms import Form, ModelForm

from . import files
from .choices import DeliverableStatus
from .models import AdoptionUpdate, Deliverable, Recommendation


class EngagementForm(Form):
    scope = forms.CharField(
        label=_("Scope"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the civic organisation advises on, and what is left out."),
    )
    questions = forms.CharField(
        label=_("The institution's questions"),
        required=False,
        max_length=26_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One question a line, in the institution's own words."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        questions = self.initial.get("questions")
        if isinstance(questions, list):
            self.initial["questions"] = "\n".join(questions)

    def clean_questions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["questions"].splitlines()]


class DeliverableForm(ModelForm):
    class Meta:
        model = Deliverable
        fields = ["title", "kind", "due_on", "description"]
        widgets = {"due_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "kind": _("A report, a prototype, a review of what exists, or a workshop."),
            "due_on": _("When the institution expects it."),
        }


class StateForm(Form):
    """The state the person saw the deliverable in: a move from another state is refused."""

    from_status = forms.ChoiceField(
        label=_("Status seen"), choices=DeliverableStatus.choices, widget=forms.HiddenInput
    )

    def __init__(self, *args, deliverable: Deliverable | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if deliverable is not None:
            self.initial.setdefault("from_status", deliverable.status)


class VersionForm(StateForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, an office document or a PNG or JPEG image of at most %(mb)d MB.")
        % {"mb": files.max_megabytes()},
        widget=forms.ClearableFileInput(attrs={"accept": files.ACCEPT}),
    )
    note = forms.CharField(
        label=_("What is new"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a version after changes: what you changed, answering the comment."),
    )


class ChangesForm(StateForm):
    comment = forms.CharField(
        label=_("What should change"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Be specific: the civic organisation sends a new version that answers it."),
    )


class RecommendationForm(ModelForm):
    class Meta:
        model = Recommendation
        fields = ["title", "finding", "deliverable", "priority", "owner"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "finding": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "title": _("Who should do what, and by when."),
            "finding": _("What the work found that this recommendation answers."),
            "owner": _(
                "The person of the institution who carries it out. Name them now or later: "
                "the engagement cannot close before every recommendation has an owner."
            ),
        }

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deliverable"].queryset = collaboration.deliverables.order_by(  # type: ignore[attr-defined]
            "due_on", "id"
        )
        self.fields["owner"].queryset = current_people(collaboration.institution_id)  # type: ignore[attr-defined]
        self.fields["owner"].empty_label = _("Not named yet")  # type: ignore[attr-defined]


class AdoptionForm(ModelForm):
    class Meta:
        model = AdoptionUpdate
        fields = ["completion", "practice_change", "evidence", "evidence_url"]
        widgets = {
            "completion": forms.RadioSelect,
            "practice_change": forms.RadioSelect,
            "evidence": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "completion": _("How far is it done?"),
            "practice_change": _("Did it change how the institution works?"),
        }
        help_texts = {
            "evidence": _("What was done, by whom: a decision, a new procedure, a service."),
            "evidence_url": _("A public page, a decision or a document that shows it."),
        }

    def __init__(self, *args, recommendation: Recommendation | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if recommendation is not None:
            self.initial.setdefault("completion", recommendation.completion)
            self.initial.setdefault("practice_change", recommendation.practice_change)

    def clean(self):
        cleaned = super().clean() or {}
        missing = not cleaned.get("evidence", "").strip() and not cleaned.get("evidence_url")
        if missing and "evidence" not in self.errors and "evidence_url" not in self.errors:
            self.add_error(
                "evidence", _("Give the evidence: what was done, or a link to where it shows.")
            )
        return cleaned
