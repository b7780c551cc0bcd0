"""The fellowship room's forms: the placement, a statement, the brief, a countdown task."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.forms.core import DATE, current_people
from civicbridge.collaborations.models import Collaboration
from civicbridge.core.forms import Form, ModelForm
from civicbridge.partners.models import Department

from .models import Placement, PreparationBrief, PreparationTask


class PlacementForm(ModelForm):
    class Meta:
        model = Placement
        fields = ["fellow", "supervisor", "host_department", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}
        help_texts = {
            "fellow": _("A current member of the civic organisation."),
            "supervisor": _(
                "The official who hosts the fellow: a current member of the institution."
            ),
            "host_department": _("The office of the institution the fellow works in."),
            "start_date": _("Within the collaboration's dates. The countdown counts down to it."),
        }

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fellow"].queryset = current_people(collaboration.civic_organisation_id)  # type: ignore[attr-defined]
        self.fields["supervisor"].queryset = current_people(collaboration.institution_id)  # type: ignore[attr-defined]
        self.fields["host_department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organisation_id=collaboration.institution_id
        ).order_by("name")
        if not self.instance.pk:
            self.initial.setdefault("start_date", collaboration.start_date)
            self.initial.setdefault("end_date", collaboration.end_date)

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day must be on or after the first day."))
        return cleaned


class StatementForm(Form):
    text = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_(
            "In their own words: why they want this fellowship and how open they are to new "
            "ways of working."
        ),
    )


class BriefForm(ModelForm):
    class Meta:
        model = PreparationBrief
        fields = ["possibilities", "priorities", "challenges"]
        help_texts = {
            "possibilities": _(
                "What the fellow can do here: data, systems, people, freedom to try."
            ),
            "priorities": _("What matters most to the institution, first things first."),
            "challenges": _("What will be hard, and what to watch out for."),
        }


class TaskForm(ModelForm):
    class Meta:
        model = PreparationTask
        fields = ["title", "days_before_start"]
        help_texts = {"days_before_start": _("For example 14: two weeks before the first day.")}
