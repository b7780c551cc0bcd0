from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .forms import LoginForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """Tell a locked-out visitor plainly what happened and when to try again."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


login = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/form.html",
    form_class=PasswordChangeForm,
    success_url=reverse_lazy("accounts:password_change_done"),
    extra_context={"title": _("Change your password")},
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/message.html",
    extra_context={
        "title": _("Your password was changed"),
        "body": _("Use the new password next time you sign in."),
    },
)
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/form.html",
    form_class=PasswordResetForm,
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
    extra_context={
        "title": _("Reset your password"),
        "intro": _(
            "Enter the e-mail address of your account. We will send you a link to choose a new password."
        ),
    },
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/message.html",
    extra_context={
        "title": _("Check your e-mail"),
        "body": _(
            "If an account uses that address, we have sent it a link to choose a new password. The link works once and expires in three days."
        ),
    },
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/reset_confirm.html",
    form_class=SetPasswordForm,
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/message.html",
    extra_context={
        "title": _("Your password was changed"),
        "body": _("You can now sign in with it."),
        "sign_in": True,
    },
)
