import math

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civicbridge.core.ratelimit import client_address

from . import services
from .forms import LoginForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm

ENDED_EVERYWHERE = _(
    "Every other place where you were signed in has been signed out, and any API tokens "
    "you had were revoked: create new ones for your scripts."
)


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """Tell a locked-out visitor plainly what happened and when to try again."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def _wait_in_minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


class LoginView(auth_views.LoginView):
    """Django's sign-in, refused for a while to an address that failed on many accounts."""

    def post(self, request, *args, **kwargs):
        wait = services.sign_in_wait(client_address(request))
        if wait is not None:
            minutes = _wait_in_minutes(wait)
            body = ngettext(
                "There have been too many wrong passwords from your address, for one account "
                "or several. Signing in from it is paused for %(minutes)d more minute.",
                "There have been too many wrong passwords from your address, for one account "
                "or several. Signing in from it is paused for %(minutes)d more minutes.",
                minutes,
            ) % {"minutes": minutes}
            return render(
                request,
                "accounts/too_many.html",
                {"title": _("Too many attempts to sign in"), "body": body},
                status=429,
            )
        return super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """Queue the link, answering the same whether an account uses the address or not."""

    def form_valid(self, form):
        wait = services.request_password_reset(
            form.cleaned_data["email"], client_address(self.request)
        )
        if wait is not None:
            minutes = _wait_in_minutes(wait)
            body = ngettext(
                "Links to choose a new password have been asked for too often, from your "
                "address or for this e-mail address. If you asked already, look for our "
                "message in your inbox and spam folder; otherwise ask again in %(minutes)d "
                "minute.",
                "Links to choose a new password have been asked for too often, from your "
                "address or for this e-mail address. If you asked already, look for our "
                "message in your inbox and spam folder; otherwise ask again in %(minutes)d "
                "minutes.",
                minutes,
            ) % {"minutes": minutes}
            return render(
                self.request,
                "accounts/too_many.html",
                {"title": _("Too many requests for a new password"), "body": body},
                status=429,
            )
        return redirect(self.get_success_url())


login = LoginView.as_view(
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
        "more": ENDED_EVERYWHERE,
    },
)
password_reset = PasswordResetView.as_view(
    template_name="accounts/form.html",
    form_class=PasswordResetForm,
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
        "more": ENDED_EVERYWHERE,
        "sign_in": True,
    },
)
