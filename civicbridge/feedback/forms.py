"""The forms of beneficiaries' feedback and of the register of shortcomings; the API
validates its bodies with the same forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.forms.core import current_people
from civicbridge.collaborations.models import Collaboration
from civicbridge.core.forms import Form
from civicbridge.core.public_forms import PublicFormMixin
from civicbridge.partners.models import Person

from .choices import Rating, ShortcomingStatus
from .models import Service
from .services.shortcomings import NO_SOLUTION

TEXT = {"rows": 4}


class FeedbackForm(PublicFormMixin, Form):
    """What a citizen or a business says, without an account: what worked, what did not,
    a rating, and an address if they want an answer."""

    started_salt = "civicbridge.feedback.form"
    robot_message = _(
        "We could not take this feedback. If you are a person, leave the field “Leave this "
        "field empty” empty and send the form again."
    )

    service = forms.ModelChoiceField(
        label=_("Which service"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("The programme as a whole"),
    )
    worked = forms.CharField(
        label=_("What worked"), max_length=3000, widget=forms.Textarea(attrs=TEXT)
    )
    did_not_work = forms.CharField(
        label=_("What did not work"),
        max_length=3000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("What got in your way, and what would have helped."),
    )
    rating = forms.TypedChoiceField(
        label=_("How good was it overall?"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        max_length=254,
        required=False,
        help_text=_(
            "Only if you want the institution's answer by e-mail. Only the organisers read "
            "it; it is never published."
        ),
    )

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        services = Service.objects.filter(collaboration=collaboration)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        if not services.exists():
            del self.fields["service"]


class ModerationForm(Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )


class AnswerForm(Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_(
            "Shown with the feedback on the public page, and e-mailed to the person if they "
            "left an address."
        ),
    )


class ServiceForm(Form):
    name = forms.CharField(
        label=_("Service"),
        max_length=200,
        help_text=_("A service the collaboration delivers that people can give feedback on."),
    )


class ShortcomingForm(Form):
    """A shortcoming with its evidence and the solution proposed: no solution, no entry."""

    title = forms.CharField(label=_("Shortcoming"), max_length=200)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("What was seen, heard or measured."),
    )
    solution = forms.CharField(
        label=_("Proposed solution"),
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Constructive and practical: what could be done, and by whom."),
        error_messages={"required": NO_SOLUTION},
    )
    owner = forms.ModelChoiceField(
        label=_("Owner in the institution"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("The person in the institution who would own the solution, if known."),
    )

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = current_people(collaboration.institution_id)  # type: ignore[attr-defined]


class ShortcomingMoveForm(Form):
    """The institution's decision on a shortcoming, or its progress."""

    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (value, label)
            for value, label in ShortcomingStatus.choices
            if value != ShortcomingStatus.PROPOSED
        ],
        widget=forms.RadioSelect,
    )
    seen = forms.ChoiceField(choices=ShortcomingStatus.choices, widget=forms.HiddenInput)
    owner = forms.ModelChoiceField(
        label=_("Owner in the institution"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Needed to accept, if nobody owns the solution yet."),
    )
    reason = forms.CharField(
        label=_("Why it is declined"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Needed to decline."),
    )

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = current_people(collaboration.institution_id)  # type: ignore[attr-defined]


class RegisterPublishForm(Form):
    published = forms.BooleanField(label=_("Publish the register"), required=False)
