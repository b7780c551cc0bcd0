"""The operator pages: for platform admins only."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import tasks
from .permissions import can_see_task_queue, require

PAGE_SIZE = 50


@login_required
@require_GET
def task_queue(request: HttpRequest) -> HttpResponse:
    """The task queue: queued, running, stale and failed tasks with their age, oldest first."""
    require(can_see_task_queue(request.user))
    state = request.GET.get("state", "")
    if state not in tasks.STATES:
        state = ""
    now = timezone.now()
    page = Paginator(tasks.listed(state, now), PAGE_SIZE).get_page(request.GET.get("page"))
    for task in page:
        # Its age: since it started, while it runs; else since it was queued.
        running = task.state in ("running", "stale")  # type: ignore[attr-defined]
        task.since = task.started_at if running else task.enqueued_at  # type: ignore[attr-defined]
    return render(
        request,
        "core/task_queue.html",
        {
            "page": page,
            "state": state,
            "states": tasks.STATES,
            "stale_minutes": settings.TASK_STALE_MINUTES,
            "query": f"state={state}" if state else "",
        },
    )
