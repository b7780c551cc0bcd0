"""The forms of a project and its design artefacts."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import Form, ModelForm

from ..choices import ArtefactKind, ChallengeStatus
from ..models import Challenge, Event, Project, Team

HELP = {
    "title": _("A short name people will remember."),
    "problem": _("The problem of the challenge the team tackled, in the team's words."),
    "users": _("Who will use it, and what the team learned from them."),
    "concept": _("How it answers the problem: the idea, before any code."),
    "prototype_url": _("A link to a clickable prototype or mock-up, if there is one."),
    "repository_url": _("Optional: code is not what the event judges."),
}


def published_challenges(event: Event):
    return Challenge.objects.filter(event=event, status=ChallengeStatus.PUBLISHED).order_by(
        "title", "id"
    )


class TeamProjectForm(ModelForm):
    """What a team says of its project; the team itself fills it in through its link."""

    class Meta:
        model = Project
        fields = [
            "challenge",
            "title",
            "problem",
            "users",
            "concept",
            "prototype_url",
            "repository_url",
        ]
        help_texts = HELP

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        challenge = self.fields["challenge"]
        challenge.queryset = published_challenges(event)  # type: ignore[attr-defined]
        challenge.required = True
        challenge.help_text = _("The institution's challenge the project answers.")
        for name in ("problem", "users", "concept"):
            self.fields[name].required = True


class ProjectForm(TeamProjectForm):
    """The organisers enter a project for a team."""

    class Meta(TeamProjectForm.Meta):
        fields = ["team", *TeamProjectForm.Meta.fields]

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, event=event, **kwargs)
        team = self.fields["team"]
        team.queryset = Team.objects.filter(event=event).order_by("name", "id")  # type: ignore[attr-defined]
        team.required = True


class ArtefactForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ArtefactKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, PNG or JPEG file of at most %(mb)d MB.")
        % {"mb": settings.ARTEFACT_MAX_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
