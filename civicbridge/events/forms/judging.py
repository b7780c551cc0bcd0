"""The forms of judging: a line of the rubric, a judge, a recusal and a score sheet."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import Form, ModelForm

from ..models import Criterion, Team


class CriterionForm(ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "order"]
        help_texts = {
            "weight": _("From 1 to 10: how much this criterion counts against the others."),
            "order": _("Criteria are listed from the lowest number up."),
        }


class JudgeForm(Form):
    email = forms.EmailField(
        label=_("The judge's e-mail address"),
        help_text=_("Of their Civic Bridge account: judges sign in to score."),
    )


class RecusalForm(Form):
    team = forms.ModelChoiceField(
        label=_("The team in which the judge has a stake"),
        queryset=Team.objects.none(),
        help_text=_(
            "A friend, a colleague, a client: anything that makes a fair score hard. The "
            "judge's scores of its project are withdrawn."
        ),
    )

    def __init__(self, *args, event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(event=event).order_by("name")  # type: ignore[attr-defined]


SCORES = [(n, str(n)) for n in range(1, 6)]


def field_name(criterion: Criterion) -> str:
    return f"criterion_{criterion.pk}"


class ScoreForm(Form):
    """One judge's sheet for one project: 1 to 5 on every criterion."""

    def __init__(self, *args, criteria, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[field_name(criterion)] = forms.TypedChoiceField(
                label=_("%(criterion)s (weight %(weight)d)")
                % {"criterion": criterion.name, "weight": criterion.weight},
                help_text=criterion.description or _("1 is poor, 5 is excellent."),
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect,
            )

    def scores(self) -> dict[int, int]:
        """The cleaned scores by criterion id."""
        return {c.pk: self.cleaned_data[field_name(c)] for c in self.criteria}
