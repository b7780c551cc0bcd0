"""The inbox, the channel preferences and the private calendar feed of the signed-in user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .calendar import build_calendar
from .forms import PreferencesForm
from .models import CalendarFeed
from .permissions import channels_of, get_item_for, items_of

PAGE_SIZE = 25


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    items = items_of(request.user).only("title", "body", "url", "created_at", "read_at", "done_at")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("notifications:inbox")


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    services.mark_read(request.user, get_item_for(request.user, pk))
    return redirect(_back(request))


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(request.user)
    messages.success(request, _("Marked %(count)d messages read.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, current=channels_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.save_preferences(request.user, form.cleaned_data)
        messages.success(request, _("Your reminder preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    feed = services.calendar_feed_of(request.user)
    url = request.build_absolute_uri(reverse("notifications:feed", args=[feed.secret]))
    return render(request, "notifications/calendar.html", {"feed_url": url})


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    services.reset_calendar_feed(request.user)
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("notifications:calendar")


@require_GET
@never_cache
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The calendar by its secret address: no sign-in, since calendar applications have none."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user"), secret=secret, user__is_active=True
    )
    response = HttpResponse(
        build_calendar(feed.user).to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="civicbridge.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
