"""A follow-up's answer, given through its link; and what a project led to."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.models import Collaboration
from civicbridge.core.forms import Form

from ..choices import ProjectStatus
from ..services.followups import led_to_choices


class AnswerForm(Form):
    # Every status but "unknown", in the words of someone who knows.
    status = forms.ChoiceField(
        label=_("What became of the project?"),
        choices=[
            (ProjectStatus.ACTIVE, _("It is still active")),
            (ProjectStatus.ADOPTED, _("The institution adopted it")),
            (ProjectStatus.HANDED_OVER, _("It was handed over to someone else")),
            (ProjectStatus.PAUSED, _("It is paused")),
            (ProjectStatus.ABANDONED, _("It was abandoned")),
        ],
        widget=forms.RadioSelect,
    )
    evidence_url = forms.URLField(
        label=_("Evidence (a link)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Where we can see it: the service running, the code, a decision, a news item."),
    )
    note = forms.CharField(
        label=_("Anything to add"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who looks after it now, what helped, or why it stopped."),
    )


class LedToForm(Form):
    led_to = forms.ModelChoiceField(
        label=_("The project led to"),
        queryset=Collaboration.objects.none(),
        required=False,
        empty_label=_("Nothing yet"),
        help_text=_("A fellowship, contract or other collaboration of the organisers."),
    )

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["led_to"].queryset = led_to_choices(collaboration)  # type: ignore[attr-defined]
        self.fields["led_to"].label_from_instance = lambda c: (  # type: ignore[attr-defined]
            f"{c.title} ({c.get_model_display()}, {c.institution.name})"
        )
