"""The settings page where a user makes and revokes personal access tokens for the API."""

from datetime import datetime, time
from typing import cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from civicbridge.core.forms import Form

from . import tokens
from .models import PersonalAccessToken, TokenScope, User


class TokenForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, for example “nightly export”."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].help_text = _(
            "A token works at most %(days)d days. Leave empty for the longest: until %(day)s."
        ) % {"days": settings.TOKEN_MAX_DAYS, "day": _latest_day().isoformat()}

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        if expires_on and expires_on <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        # Refused rather than shortened: a script should not stop on a day nobody chose.
        if expires_on and expires_on > _latest_day():
            raise forms.ValidationError(
                _("A token works at most %(days)d days: choose %(day)s or earlier.")
                % {"days": settings.TOKEN_MAX_DAYS, "day": _latest_day().isoformat()}
            )
        return expires_on


def _latest_day():
    """The last day a token made now may expire on (at its start, local time)."""
    return timezone.localdate(tokens.latest_expiry())


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = (
            timezone.make_aware(datetime.combine(expires_on, time.min)) if expires_on else None
        )
        token, secret = tokens.create_token(
            request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=expires_at,
        )
        # Shown once, on this response only: it is stored hashed and cannot be shown again.
        return render(
            request,
            "accounts/tokens.html",
            {"form": TokenForm(), "tokens": _tokens(request), "new": token, "secret": secret},
        )
    return render(request, "accounts/tokens.html", {"form": form, "tokens": _tokens(request)})


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required made sure


def _tokens(request: HttpRequest):
    return PersonalAccessToken.objects.filter(user=_user(request))


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(PersonalAccessToken, pk=pk, user=_user(request))
    tokens.revoke_token(request.user, token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
