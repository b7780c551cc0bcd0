"""The defences of a form anyone may send without an account: a field people leave empty
(robots fill every field they find), a signed moment the form was shown (a person takes
more than a few seconds; a robot sends at once), and an allowance per address.

Events' registration and the beneficiaries' feedback use the same three; a form mixes in
`PublicFormMixin`, and its view asks `within_allowance` before it saves.
"""

from datetime import timedelta

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import ratelimit

HONEYPOT = "website"
STARTED = "started"
MIN_SECONDS = 3
MAX_AGE = timedelta(days=1)
DEFAULT_SALT = "civicbridge.public-form"


def form_started(salt: str = DEFAULT_SALT) -> str:
    """The signed moment a public form is shown."""
    return signing.dumps(timezone.now().timestamp(), salt=salt)


def check_form_timing(started: str, salt: str = DEFAULT_SALT) -> None:
    """Refuse a form sent too soon after it was shown (a robot), or a day later."""
    try:
        shown = signing.loads(started, salt=salt, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This form was open for more than a day: reload the page and fill it in again.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _("This form is damaged: reload the page and fill it in again.")
        ) from None
    if timezone.now().timestamp() - float(shown) < MIN_SECONDS:
        raise ValidationError(
            _(
                "The form came back within seconds of opening, as it does from robots. "
                "Check your details and send it again."
            )
        )


def within_allowance(request: HttpRequest, prefix: str, limit: int) -> bool:
    """Count one sending of a public form from the request's address under `prefix`;
    False once that address sent more than `limit` this minute.

    The same fixed-window counter as the API's limits, under the form's own key.
    """
    address = ratelimit.client_address(request)
    return ratelimit.count(f"{prefix}:{address}", limit) is None


class PublicFormMixin:
    """A form's robot trap and clock; mix it in before `core.forms.Form`.

    A subclass may set `started_salt` (so one form's moment does not pass for another's)
    and `robot_message` (what a person who filled the trap by mistake reads).
    """

    template_name = "core/forms/public_form.html"
    started_salt = DEFAULT_SALT
    robot_message: str | Promise = gettext_lazy(
        "We could not take this form. If you are a person, leave the field “Leave this "
        "field empty” empty and send the form again."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields  # type: ignore[attr-defined]
        fields[HONEYPOT] = forms.CharField(
            label=gettext_lazy("Leave this field empty"),
            required=False,
            widget=forms.TextInput(
                attrs={"class": "usa-input", "autocomplete": "off", "tabindex": "-1"}
            ),
        )
        fields[STARTED] = forms.CharField(widget=forms.HiddenInput)
        self.initial.setdefault(STARTED, form_started(self.started_salt))  # type: ignore[attr-defined]

    def clean(self):
        cleaned = super().clean() or {}  # type: ignore[misc]
        if cleaned.get(HONEYPOT):
            raise ValidationError(str(self.robot_message))
        if STARTED in cleaned:
            check_form_timing(cleaned[STARTED], self.started_salt)
        return cleaned
