"""One side's update for one check-in date."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core import formats
from civicbridge.core.choices import Visibility
from civicbridge.core.forms import Form

QUALITY_CHOICES = [
    (1, _("1 — very poor")),
    (2, _("2 — poor")),
    (3, _("3 — fair")),
    (4, _("4 — good")),
    (5, _("5 — excellent")),
]


class CheckInForm(Form):
    """One side's update for one check-in date; the dates offered are those still open."""

    due_on = forms.TypedChoiceField(
        label=_("Which check-in is this update for?"),
        coerce=date.fromisoformat,
        choices=[],
    )
    workflow = forms.CharField(
        label=_("How the work is going"),
        help_text=_("What was done since the last check-in and what comes next."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    problems = forms.CharField(
        label=_("Problems detected"),
        help_text=_("Anything that slows the work down or worries you. Leave empty if none."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    quality = forms.TypedChoiceField(
        label=_("How good is the collaboration between the two sides?"),
        coerce=int,
        choices=QUALITY_CHOICES,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        help_text=_("Anything else the other side should know."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    visibility = forms.ChoiceField(
        label=_("Who can see this update"),
        choices=[],
        initial=Visibility.BOTH_SIDES,
        widget=forms.RadioSelect,
        help_text=_(
            "An update kept to your own side still counts as given, but the other side "
            "sees neither its text nor its rating, and it is not compared with theirs."
        ),
    )

    def __init__(self, *args, dates: list[tuple[date, str]], side_name: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = [  # type: ignore[attr-defined]
            (Visibility.BOTH_SIDES, _("Both sides")),
            (Visibility.OWN_SIDE, _("Only %(side)s") % {"side": side_name}),
        ]
        self.fields["due_on"].choices = [  # type: ignore[attr-defined]
            (
                due.isoformat(),
                f"{formats.day(due)} — {note}" if note else formats.day(due),
            )
            for due, note in dates
        ]
