"""The training room's forms; they also validate the API's bodies."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.forms.core import current_people
from civicbridge.collaborations.models import Collaboration
from civicbridge.core.forms import Form, ModelForm
from civicbridge.partners.models import Department

from .models import Module, Objective, Participant, Session

CHECKBOXES = "training/forms/checkbox_option.html"
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def as_checkboxes(field: forms.Field) -> None:
    """Tick boxes in the design system's markup (the base form renders them as radios)."""
    field.widget.attrs["class"] = "usa-checkbox__input"
    field.widget.option_template_name = CHECKBOXES  # type: ignore[attr-defined]


class ModuleForm(ModelForm):
    class Meta:
        model = Module
        fields = ["title", "summary", "required", "position"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"position": _("Modules are taught in this order: 1 first.")}


class ObjectiveForm(ModelForm):
    class Meta:
        model = Objective
        fields = ["text"]
        help_texts = {
            "text": _(
                "What a participant can do after the module, in a few words: “Publish a "
                "dataset with a licence”. Participants rate themselves on it before and after."
            )
        }


class SessionForm(ModelForm):
    class Meta:
        model = Session
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "capacity",
            "modules",
            "trainers",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "modules": forms.CheckboxSelectMultiple,
            "trainers": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "place": _("A room and address; or leave it empty for an online session."),
            "online_link": _("The address of the video call, if the session is online."),
            "capacity": _("How many officials can register."),
            "trainers": _("People of either side who teach the session."),
        }

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = collaboration.training_modules.all()  # type: ignore[attr-defined]
        self.fields["trainers"].queryset = current_people(  # type: ignore[attr-defined]
            collaboration.civic_organisation_id, collaboration.institution_id
        )
        as_checkboxes(self.fields["modules"])
        as_checkboxes(self.fields["trainers"])

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end < start:
            self.add_error("ends_at", _("The session must end after it starts."))
        return cleaned


class ParticipantForm(Form):
    person = forms.ModelChoiceField(
        label=_("Official"),
        queryset=Participant.objects.none(),
        help_text=_("A current member of the institution."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Left empty: the department their membership records."),
    )

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        taken = collaboration.training_participants.values("person_id")
        self.fields["person"].queryset = current_people(  # type: ignore[attr-defined]
            collaboration.institution_id
        ).exclude(pk__in=taken)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organisation_id=collaboration.institution_id
        ).order_by("name")


class ParticipantChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        department = f" ({obj.department.name})" if obj.department else ""
        return f"{obj.person.name}{department}"


class InviteForm(Form):
    participants = ParticipantChoice(
        label=_("Officials to invite"),
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Participants of the programme without a seat at this session."),
    )

    def __init__(self, *args, session: Session, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        seated = session.seats.values("participant_id")
        self.fields["participants"].queryset = (  # type: ignore[attr-defined]
            session.collaboration.training_participants.exclude(pk__in=seated)
            .select_related("person", "department")
            .order_by("person__name", "pk")
        )
        as_checkboxes(self.fields["participants"])


class RegisterForm(Form):
    participant = forms.ModelChoiceField(
        label=_("Official to register"), queryset=Participant.objects.none()
    )

    def __init__(self, *args, session: Session, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = (  # type: ignore[attr-defined]
            session.collaboration.training_participants.select_related("person").order_by(
                "person__name", "pk"
            )
        )


class AttendanceForm(Form):
    """The attendance sheet: one big tick per seat, sent once."""

    attended = forms.TypedMultipleChoiceField(
        label=_("Who came"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, seats, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.choices = [  # type: ignore[attr-defined]
            (
                seat.participant_id,
                f"{seat.participant.person.name}"
                + (f" — {seat.participant.department.name}" if seat.participant.department else ""),
            )
            for seat in seats
        ]
        as_checkboxes(field)
        field.widget.attrs["class"] = "usa-checkbox__input usa-checkbox__input--tile"


class SelfAssessmentForm(Form):
    """One question per learning objective, each on the scale from 1 to 5 (`models.SCALE`)."""

    CHOICES = [
        (1, _("1 — I cannot do this yet")),
        (2, _("2 — I know a little")),
        (3, _("3 — I can do it with help")),
        (4, _("4 — I can do it on my own")),
        (5, _("5 — I can teach others")),
    ]

    def __init__(self, *args, objectives, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for objective in objectives:
            self.fields[f"objective_{objective.pk}"] = forms.TypedChoiceField(
                label=objective.text,
                choices=self.CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=objective.module.title,
            )
        # The base form styles the widgets it finds at its start; these came after.
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "usa-radio__input")
            field.widget.template_name = "core/forms/radio.html"
            field.widget.option_template_name = "core/forms/radio_option.html"  # type: ignore[attr-defined]

    def scores(self) -> dict[int, int]:
        return {
            int(name.removeprefix("objective_")): value for name, value in self.cleaned_data.items()
        }


class ChampionForm(Form):
    reform = forms.ModelChoiceField(
        label=_("Reform"),
        queryset=Participant.objects.none(),
        help_text=_(
            "A reform of the ledger asked of this institution. The side that recorded it "
            "names its champions."
        ),
    )

    def __init__(self, *args, reforms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reform"].queryset = reforms  # type: ignore[attr-defined]
