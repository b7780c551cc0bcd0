from django import forms

from civicbridge.core.forms import Form

from .choices import Channel, ReminderKind


class PreferencesForm(Form):
    """One choice of channel per kind of reminder."""

    def __init__(self, *args, current: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in ReminderKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=current.get(kind.value, Channel.BOTH),
                widget=forms.Select(attrs={"class": "usa-select"}),
            )
