from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import StyledFormMixin

from . import services


class LoginForm(StyledFormMixin, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "That e-mail address and password do not match an account. Check both and try again."
        ),
        "inactive": _("This account is switched off. Ask your organisation's admin."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget.attrs["autocomplete"] = "email"
        self.fields["username"].widget.input_type = "email"  # type: ignore[attr-defined]
        # Open the page at its top, so the first Tab reaches the skip link.
        self.fields["username"].widget.attrs.pop("autofocus", None)


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    def save(self, commit: bool = True):
        # Through the service: the user's tokens are revoked with the old password.
        services.change_password(self.user, self.user, self.cleaned_data["new_password1"])
        return self.user


class PasswordResetForm(StyledFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(StyledFormMixin, auth_forms.SetPasswordForm):
    def save(self, commit: bool = True):
        # The reset link proved who this is: they act for themselves.
        services.change_password(self.user, self.user, self.cleaned_data["new_password1"])
        return self.user
