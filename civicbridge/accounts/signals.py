"""What the accounts app does when Django signs someone in, or fails to."""

import time

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from civicbridge.core.ratelimit import client_address

from . import services
from .middleware import stamp_sign_in


@receiver(user_login_failed, dispatch_uid="accounts.count_failed_sign_in")
def count_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        services.record_failed_sign_in(client_address(request))


@receiver(user_logged_in, dispatch_uid="accounts.start_session_clock")
def start_session_clock(sender, request=None, user=None, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        stamp_sign_in(request.session, int(time.time()))
