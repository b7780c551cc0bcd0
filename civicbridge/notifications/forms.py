from django import forms

from civicbridge.collaborations.reminders import chosen_kind_choices
from civicbridge.core.forms import Form

from .choices import Channel


class PreferencesForm(Form):
    """One choice of channel per kind of reminder a user receives, whichever room it is of."""

    def __init__(self, *args, current: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in chosen_kind_choices():
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Channel.choices,
                initial=current.get(kind, Channel.BOTH),
                widget=forms.Select(attrs={"class": "usa-select"}),
            )
