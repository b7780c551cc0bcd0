from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core import formats
from civicbridge.core.forms import Form, ModelForm
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Organisation
from civicbridge.playbook.templatetags.playbook import tr

from .models import Assessment


class ContextForm(ModelForm):
    """The context an assessment is about: who, where, and who may see it."""

    class Meta:
        model = Assessment
        fields = [
            "title",
            "owner_organisation",
            "institution",
            "civic_partner",
            "country",
            "assessed_on",
            "visibility",
        ]
        labels = {"owner_organisation": _("Made by")}
        help_texts = {
            "title": _("For example “Hobart City Council, November 2026”."),
            "civic_partner": _("The civic organisation that would work with the institution."),
            "visibility": _(
                "Own side: your organisation only. Both sides: also the institution and the "
                "civic partner. Public: everyone signed in to Civic Bridge."
            ),
        }
        widgets = {
            "assessed_on": forms.DateInput(attrs={"type": "date"}),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, own: list[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in own]
        )
        self.fields["owner_organisation"].empty_label = None  # type: ignore[attr-defined]
        self.fields["institution"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.GOVERNMENT
        )
        self.fields["civic_partner"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            kind=OrganisationKind.GOVERNMENT
        )
        self.fields["assessed_on"].initial = timezone.localdate()


def _help(question: dict) -> str:
    """The question's help, then why it matters in the report's words, where it says."""
    parts = [tr(question.get("help"))] if question.get("help") else []
    if question.get("source"):
        parts.append(
            _("Why it matters, in the report's words: “%(quote)s”")
            % {"quote": tr(question["source"])}
        )
    return " ".join(parts)


def field_name(question_id: str) -> str:
    return question_id.replace(".", "__")


class AnswersForm(Form):
    """The questions of one context factor, each answered on its scale."""

    def __init__(self, *args, questions: list[dict], scales: dict, **kwargs) -> None:
        self.questions = questions
        # The fields exist before the form is built, so that StyledFormMixin gives them the
        # design system's radio markup like every other form's (added afterwards, they kept
        # Django's plain radios, and their wrapper repeated the fieldset's id).
        self.base_fields = {  # type: ignore[misc]
            field_name(question["id"]): forms.TypedChoiceField(
                label=tr(question["text"]),
                help_text=_help(question),
                choices=[(o["value"], tr(o["label"])) for o in scales[question["scale"]]],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )
            for question in questions
        }
        super().__init__(*args, **kwargs)

    def answers(self) -> dict[str, int | None]:
        return {q["id"]: self.cleaned_data[field_name(q["id"])] for q in self.questions}


class CompareForm(Form):
    first = forms.ModelChoiceField(queryset=Assessment.objects.none(), label=_("Compare"))
    second = forms.ModelChoiceField(queryset=Assessment.objects.none(), label=_("with"))

    def __init__(self, *args, assessments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first"].queryset = assessments  # type: ignore[attr-defined]
        self.fields["second"].queryset = assessments  # type: ignore[attr-defined]


class TimelineCompareForm(CompareForm):
    """Two assessments of one institution, named with their dates, the earlier first."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first"].label = _("Earlier assessment")
        self.fields["second"].label = _("Later assessment")
        for name in ("first", "second"):
            self.fields[name].label_from_instance = _dated  # type: ignore[attr-defined]


def _dated(assessment: Assessment) -> str:
    return f"{assessment.title} ({formats.day(assessment.assessed_on)})"
