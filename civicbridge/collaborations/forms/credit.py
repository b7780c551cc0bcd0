"""A credit statement and a reform of the ledger."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import ModelForm

from ..models import Collaboration, CreditStatement, Reform
from ..services.credit import allowed_statuses
from .core import current_people


class CreditForm(ModelForm):
    class Meta:
        model = CreditStatement
        fields = ["text", "government_contribution"]
        help_texts = {
            "text": _(
                "The words the public page shows. Both sides approve them before they are public."
            )
        }


class ReformForm(ModelForm):
    class Meta:
        model = Reform
        fields = ["title", "description", "champions", "visibility"]
        widgets = {"visibility": forms.RadioSelect}
        help_texts = {
            "champions": _(
                "Officials of the institution who champion the reform. "
                "Hold Ctrl or ⌘ to choose several."
            ),
            "visibility": _("A public reform appears on the public page, with its champions."),
        }

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["champions"].queryset = current_people(collaboration.institution_id)  # type: ignore[attr-defined]


class ReformEditForm(ReformForm):
    class Meta(ReformForm.Meta):
        fields = ["title", "description", "status", "champions", "visibility"]
        widgets = {"visibility": forms.RadioSelect, "status": forms.RadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A reform moves forward only: offer the statuses it may still take.
        allowed = allowed_statuses(self.instance.status)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label)
            for value, label in self.fields["status"].choices  # type: ignore[attr-defined]
            if value in allowed
        ]
