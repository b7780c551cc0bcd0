"""The forms of the engagement plan: the decision on a project, and a commitment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.forms.core import DATE, current_people
from civicbridge.core.forms import ModelForm

from ..models import Commitment, EngagementPlan
from ..permissions import project_institution_ids

YES_NO = [(True, _("Yes: it is worth continuing")), (False, _("No: it stops with the event"))]


class PlanForm(ModelForm):
    worth_continuing = forms.TypedChoiceField(
        label=_("Is the project worth continuing?"),
        choices=YES_NO,
        coerce=lambda value: value in (True, "True", "true"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = EngagementPlan
        fields = ["worth_continuing", "owner", "capacity"]
        help_texts = {
            "owner": _("The official who takes the project forward in the institution."),
            "capacity": _(
                "The budget, people and time the institution puts behind it, and who maintains it."
            ),
        }

    def __init__(self, *args, project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = current_people(*project_institution_ids(project))  # type: ignore[attr-defined]


class CommitmentForm(ModelForm):
    class Meta:
        model = Commitment
        fields = ["official", "next_step", "due_on"]
        widgets = {"due_on": DATE, "next_step": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "official": _("An official of the institution that takes the project on."),
            "next_step": _("One concrete step, for example: present the prototype to the board."),
        }

    def __init__(self, *args, project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = current_people(*project_institution_ids(project))  # type: ignore[attr-defined]
