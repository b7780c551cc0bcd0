"""Registering without an account (E4), and forming teams from those who came."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import Form
from civicbridge.core.public_forms import PublicFormMixin

from ..choices import Discipline, ParticipantStatus
from ..models import Event, Participant

CHECKBOXES = "events/forms/checkbox_option.html"


def _as_checkboxes(field: forms.Field) -> None:
    """Tick boxes in the design system's markup (the base form renders them as radios)."""
    field.widget.attrs["class"] = "usa-checkbox__input"
    field.widget.option_template_name = CHECKBOXES  # type: ignore[attr-defined]


class RegistrationForm(PublicFormMixin, Form):
    """Name, e-mail, disciplines and consent; a robot trap and a clock against spam."""

    started_salt = "civicbridge.events.registration.form"
    robot_message = _(
        "We could not take this registration. If you are a person, leave the field “Leave "
        "this field empty” empty and send the form again."
    )

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to confirm your place to this address."),
    )
    disciplines = forms.MultipleChoiceField(
        label=_("What you bring"),
        choices=Discipline.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Choose every one that fits. Teams need more than developers: designers, "
            "researchers, people who know the subject, officials and the people who use "
            "the service."
        ),
    )
    consent = forms.BooleanField(label=_("I agree"), required=True)

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _as_checkboxes(self.fields["disciplines"])
        civic = event.collaboration.civic_organisation.name
        self.fields["consent"].help_text = _(
            "%(civic)s, who organises the event, uses your name, e-mail address and "
            "disciplines to confirm your place, form teams, tell you about the event and ask "
            "your team about its project for up to a year after it. Only the organisers see "
            "your e-mail address; the institutions see your name and disciplines in your "
            "team. You can give your place up with the link in our e-mail."
        ) % {"civic": civic}


class ParticipantChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        disciplines = ", ".join(str(Discipline(d).label) for d in obj.disciplines)
        team = f" — {obj.team.name}" if obj.team else ""
        return f"{obj.name} ({disciplines}){team}"


class TeamForm(Form):
    name = forms.CharField(label=_("Team name"), max_length=200)
    members = ParticipantChoice(
        label=_("Members"),
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Confirmed participants. Someone already in another team must leave it first."),
    )
    contact = forms.ModelChoiceField(
        label=_("Contact"),
        queryset=Participant.objects.none(),
        required=False,
        help_text=_("A member who answers the follow-ups for the team."),
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        confirmed = (
            Participant.objects.filter(event=event, status=ParticipantStatus.CONFIRMED)
            .select_related("team")
            .order_by("name", "id")
        )
        self.fields["members"].queryset = confirmed  # type: ignore[attr-defined]
        self.fields["contact"].queryset = confirmed  # type: ignore[attr-defined]
        _as_checkboxes(self.fields["members"])
