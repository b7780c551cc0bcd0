"""Re-entering one's password to sign: an MOU, a contract."""

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

WRONG_PASSWORD = gettext_lazy("That is not your password. Nothing was signed: try again.")


def confirm_password(request: HttpRequest, user, password: str) -> None:
    """Refuse the signature unless `password` is the signer's own.

    It goes through authenticate(), so wrong passwords count toward the same lockout as
    signing in; the service checks the password again, for callers that skip this.
    """
    if authenticate(request, username=user.get_username(), password=password) is None:
        raise ValidationError({"password": WRONG_PASSWORD})
