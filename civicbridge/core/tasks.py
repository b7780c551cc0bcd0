"""The task queue seen by its operators: what waits, runs, failed or was lost.

A task whose worker was killed (out of memory, a deploy) stays RUNNING in the database
backend for ever. A task running longer than TASK_STALE_MINUTES is taken for lost and
marked failed, once; it is not queued again, since a task that killed its worker would
kill the next one too. The scheduler's pass does this (`send_reminders`).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

LOST = "The worker running this task stopped before it finished: it is marked failed."
# What the operator page lists: the task queue's states, and stale for lost tasks.
STATES = ("queued", "running", "stale", "failed")


def stale_before(now: datetime | None = None) -> datetime:
    """A task running since before this moment is taken for lost."""
    return (now or timezone.now()) - timedelta(minutes=settings.TASK_STALE_MINUTES)


def recover_stale_tasks(now: datetime | None = None) -> int:
    """Mark failed every task running since before `stale_before`; say how many."""
    now = now or timezone.now()
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=stale_before(now)
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="civicbridge.core.tasks.LostTask",
        traceback=LOST,
    )


def _by_state(now: datetime | None = None) -> dict[str, Q]:
    """Each of STATES as a condition on the task results."""
    stale = Q(status=TaskResultStatus.RUNNING, started_at__lt=stale_before(now))
    return {
        "queued": Q(status=TaskResultStatus.READY),
        "running": Q(status=TaskResultStatus.RUNNING) & ~stale,
        "stale": stale,
        "failed": Q(status=TaskResultStatus.FAILED),
    }


def counts(now: datetime | None = None) -> dict[str, int]:
    """How many tasks are in each of STATES, in one query: the operator page's lists."""
    return DBTaskResult.objects.aggregate(
        **{state: Count("pk", filter=condition) for state, condition in _by_state(now).items()}
    )


def listed(state: str = "", now: datetime | None = None) -> QuerySet[DBTaskResult]:
    """Tasks in `state` (one of STATES, or any), oldest first, each with its `state`."""
    by_state = _by_state(now)
    tasks = DBTaskResult.objects.filter(by_state.get(state, Q())).annotate(
        state=Case(
            *(When(condition, then=Value(name)) for name, condition in by_state.items()),
            default=Value("done"),
            output_field=CharField(),
        )
    )
    return tasks.defer("args_kwargs", "return_value", "traceback").order_by("enqueued_at")
