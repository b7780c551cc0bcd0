"""The OCDS upload: one JSON file, no larger than the site allows."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicbridge.core.forms import Form

MEGABYTE = 1024 * 1024


class OcdsUploadForm(Form):
    file = forms.FileField(label=gettext_lazy("OCDS file"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A release package or a record package, as a .json file of at most %(size)d MB."
        ) % {"size": settings.FILE_UPLOAD_MAX_SIZE // MEGABYTE}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.FILE_UPLOAD_MAX_SIZE:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.")
                % {"size": settings.FILE_UPLOAD_MAX_SIZE // MEGABYTE}
            )
        if not upload.name.lower().endswith(".json"):
            raise forms.ValidationError(_("Choose a .json file: OCDS packages are JSON."))
        return upload
