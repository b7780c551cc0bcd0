"""The upload of past events and their projects, as two CSV files."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import Form
from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.partners.models import Organisation
from civicbridge.partners.permissions import acting_organisation_ids

from .events import government_bodies


def civic_organisations_of(user):
    """The civic organisations whose past events the user may import."""
    return Organisation.objects.filter(pk__in=acting_organisation_ids(user, Access.MEMBER)).exclude(
        kind=OrganisationKind.GOVERNMENT
    )


class ImportForm(Form):
    organisation = forms.ModelChoiceField(
        label=_("Organised by"), queryset=Organisation.objects.none()
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Organisation.objects.none(),
        help_text=_(
            "The government body the events were run with; every event in the file gets it."
        ),
    )
    events = forms.FileField(label=_("Events (CSV)"))
    projects = forms.FileField(
        label=_("Their projects (CSV)"),
        required=False,
        help_text=_("Each project names its event by the event's name or web address."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        mine = civic_organisations_of(user)
        self.fields["organisation"].queryset = mine  # type: ignore[attr-defined]
        if len(mine) == 1:
            self.fields["organisation"].initial = mine[0].pk
        self.fields["institution"].queryset = government_bodies()  # type: ignore[attr-defined]
        limit = settings.EVENT_IMPORT_MAX_MB
        for name in ("events", "projects"):
            self.fields[name].help_text = " ".join(  # type: ignore[attr-defined]
                str(text)
                for text in (
                    self.fields[name].help_text,
                    _("A .csv file of at most %(size)d MB.") % {"size": limit},
                )
                if text
            )

    def _csv(self, name: str) -> UploadedFile | None:
        upload = self.cleaned_data.get(name)
        if upload is None:
            return None
        if upload.size > settings.EVENT_IMPORT_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": settings.EVENT_IMPORT_MAX_MB}
            )
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choose a .csv file."))
        return upload

    def clean_events(self):
        return self._csv("events")

    def clean_projects(self):
        return self._csv("projects")
