"""The handover plan's successors and tasks, and the answer to a follow-up."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import Form, ModelForm

from ..choices import StillRunning
from ..models import Collaboration, HandoverTask, Successor
from .core import DATE, current_people


class SuccessorForm(ModelForm):
    class Meta:
        model = Successor
        fields = ["person", "takes_over", "training_status"]
        help_texts = {
            "person": _("An official of the institution who will carry the work on."),
            "takes_over": _("What they will look after: the service, the data, the code."),
        }

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = current_people(collaboration.institution_id)  # type: ignore[attr-defined]


class SuccessorEditForm(ModelForm):
    class Meta:
        model = Successor
        fields = ["takes_over", "training_status"]


class HandoverTaskForm(ModelForm):
    class Meta:
        model = HandoverTask
        fields = ["title", "owner", "due_date"]
        widgets = {"due_date": DATE}
        help_texts = {"owner": _("A person of either side who sees the task through.")}

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = current_people(*collaboration.party_ids)  # type: ignore[attr-defined]


class FollowUpAnswerForm(Form):
    answer = forms.ChoiceField(
        label=_("Does the institution still run what was built?"),
        choices=StillRunning.choices,
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(
        label=_("What runs now, and who looks after it"),
        help_text=_("For example: the service, the team or office that runs it, how it is used."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    answered_by = forms.CharField(
        label=_("Your name"),
        help_text=_("And your role, so both sides know who answered."),
        max_length=200,
    )
