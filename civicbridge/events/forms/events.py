"""An event: created in one form with its collaboration, then its own facts changed."""

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.forms.core import DATE, current_people
from civicbridge.collaborations.models import Collaboration
from civicbridge.core.forms import Form, ModelForm
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Organisation

from ..choices import EventKind
from ..models import Event
from ..permissions import organising_organisations


def government_bodies():
    return Organisation.objects.filter(kind=OrganisationKind.GOVERNMENT).order_by("name", "id")


def _somewhere(form: forms.BaseForm, cleaned: dict) -> None:
    if not (cleaned.get("venue") or "").strip() and not cleaned.get("online"):
        form.add_error("venue", _("Say where the event takes place, or that it is online."))


class EventCreateForm(Form):
    """The collaboration and the event's facts in one form: what, who, when and where."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    summary = forms.CharField(
        label=_("What the event is about"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        help_text=_("Shown on the public page when the event is public."),
    )
    civic_organisation = forms.ModelChoiceField(
        label=_("Organised by"), queryset=Organisation.objects.none()
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Organisation.objects.none(),
        help_text=_("The government body you run the event with; it poses challenges."),
    )
    partner_institutions = forms.ModelMultipleChoiceField(
        label=_("Other partner institutions"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "Other government bodies that pose challenges. Hold Ctrl or ⌘ to choose several."
        ),
    )
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(label=_("Last day"), widget=DATE)
    venue = forms.CharField(
        label=_("Venue"),
        max_length=300,
        required=False,
        help_text=_("The address, as participants should find it."),
    )
    online = forms.BooleanField(label=_("Online"), required=False)
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit. Beyond it, people join a waiting list."),
    )
    url = forms.URLField(label=_("Web page"), max_length=500, required=False)
    public = forms.BooleanField(
        label=_("Show on the public portfolio"),
        required=False,
        help_text=_("People register on the public page: make it public to open registration."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["civic_organisation"].queryset = organising_organisations(user)  # type: ignore[attr-defined]
        self.fields["institution"].queryset = government_bodies()  # type: ignore[attr-defined]
        self.fields["partner_institutions"].queryset = government_bodies()  # type: ignore[attr-defined]

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day must be on or after the first day."))
        _somewhere(self, cleaned)
        return cleaned


class EventForm(ModelForm):
    """The event's own facts; its title, dates and public switch are the collaboration's."""

    class Meta:
        model = Event
        fields = [
            "kind",
            "venue",
            "online",
            "capacity",
            "url",
            "organisers",
            "partner_institutions",
        ]
        help_texts = {
            "venue": _("The address, as participants should find it."),
            "capacity": _("Leave empty for no limit. Beyond it, people join a waiting list."),
            "organisers": _(
                "People of the civic organisation whom participants and institutions may "
                "contact. Hold Ctrl or ⌘ to choose several."
            ),
            "partner_institutions": _(
                "Other government bodies that pose challenges. Hold Ctrl or ⌘ to choose several."
            ),
        }

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisers"].queryset = current_people(collaboration.civic_organisation_id)  # type: ignore[attr-defined]
        self.fields["partner_institutions"].queryset = government_bodies().exclude(  # type: ignore[attr-defined]
            pk=collaboration.institution_id
        )
        self.fields["capacity"].validators.append(MinValueValidator(1))
        self.fields["capacity"].widget.attrs["min"] = 1

    def clean(self):
        cleaned = super().clean() or {}
        _somewhere(self, cleaned)
        return cleaned
