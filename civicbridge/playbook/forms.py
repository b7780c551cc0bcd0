from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import Form


class ItemForm(Form):
    """Edit one condition, challenge or mitigation; the edit becomes a new version."""

    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    # The version the editor opened: a save on top of a newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("What did you change, and why?"),
        max_length=300,
        help_text=_("Shown in the version history."),
    )


class ConditionForm(ItemForm):
    field_order = ["text", "met_at", "weight", "blocking", "note"]

    met_at = forms.TypedChoiceField(
        label=_("Met when the answer is at least"), coerce=int, choices=()
    )
    weight = forms.TypedChoiceField(
        label=_("Weight"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        help_text=_("How much the condition counts in a model's fit: 1 a little, 5 a lot."),
    )
    blocking = forms.BooleanField(
        label=_("Blocking: without it the model is not recommended and the stage cannot start"),
        required=False,
    )

    def __init__(self, *args, scale: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["met_at"].choices = scale  # type: ignore[attr-defined]
