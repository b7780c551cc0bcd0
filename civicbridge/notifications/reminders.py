"""What the scheduler's pass keeps in order beside the reminders: tasks whose worker was
stopped, the imports they were running, and reminders whose thing is done since."""

from datetime import datetime

from civicbridge.collaborations.reminders import daily_upkeep
from civicbridge.core.tasks import recover_stale_tasks, stale_before
from civicbridge.partners.imports import fail_lost_runs

from .services import settle_done


@daily_upkeep("lost_tasks")
def lost_tasks(now: datetime) -> int:
    """Mark failed the tasks running past TASK_STALE_MINUTES, and their imports."""
    return recover_stale_tasks(now) + fail_lost_runs(stale_before(now))


@daily_upkeep("settled_reminders")
def settled_reminders(now: datetime) -> int:
    """Settle the reminders whose thing is done; their inbox items show as done."""
    return settle_done(now)
