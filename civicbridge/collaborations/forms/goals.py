"""A goal, an indicator and a value reported for it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import ModelForm

from ..choices import GoalKind, Model
from ..models import Goal, Indicator, IndicatorValue
from .core import DATE


class GoalForm(ModelForm):
    class Meta:
        model = Goal
        fields = ["kind", "title", "visibility"]
        widgets = {"kind": forms.RadioSelect, "visibility": forms.RadioSelect}
        help_texts = {
            "title": _("Say what should change, for whom: “Residents renew permits online”."),
            "visibility": _(
                "Own side keeps the goal private to your organisation. Both sides share it "
                "with the other party. Public also shows it, with its results, on the public "
                "page of a public collaboration."
            ),
        }

    def __init__(self, *args, model: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = GoalKind.choices  # type: ignore[attr-defined]  # no blank radio
        if model == Model.FELLOWSHIP:
            self.fields["kind"].help_text = _(
                "Fellowships set out to improve services for citizens, make government more "
                "efficient, change its internal culture and build the fellows' capacity. "
                "Choose one, or state the collaboration's own goal."
            )


class IndicatorForm(ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "target"]
        help_texts = {
            "name": _("What you count or measure: “Permits renewed online per month”."),
            "unit": _("For example “%”, “days” or “applications”."),
            "baseline": _("The value when the collaboration starts."),
            "target": _("The value you aim for. It may be lower than the baseline."),
        }


class ReportForm(ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["period_end", "value", "note"]
        widgets = {"period_end": DATE}
        help_texts = {
            "period_end": _(
                "The last day of the period the value is for. Reporting the same period again "
                "corrects the value."
            ),
        }
