"""What the fellowship's tabs show: whose each statement is, and the countdown (F2, F4)."""

from dataclasses import dataclass
from datetime import date, timedelta

from civicbridge.partners.models import Organisation, Person

from .choices import Signatory
from .models import Placement, PreparationBrief, PreparationTask


def signatory_of(placement: Placement, who: str) -> tuple[Person, Organisation]:
    """The person whose statement `who` names, and the side they stand for."""
    if who == Signatory.FELLOW:
        return placement.fellow, placement.collaboration.civic_organisation
    return placement.supervisor, placement.collaboration.institution


@dataclass(frozen=True)
class TaskRow:
    """A countdown task with the day it is due."""

    task: PreparationTask
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class Countdown:
    """The days to the fellow's first day, the brief's deadline and the tasks by due date."""

    days_to_start: int  # negative once the fellow has started
    brief_days: int
    brief_deadline: date
    brief_late: bool  # delivered after the deadline, or not delivered and the deadline passed
    tasks: list[TaskRow]

    @property
    def started(self) -> bool:
        return self.days_to_start <= 0

    @property
    def days_since_start(self) -> int:
        return -self.days_to_start

    @property
    def open_tasks(self) -> int:
        return sum(1 for row in self.tasks if row.task.done_on is None)

    @property
    def overdue_tasks(self) -> int:
        return sum(1 for row in self.tasks if row.overdue)


def countdown(
    placement: Placement, brief: PreparationBrief | None, brief_days: int, today: date
) -> Countdown:
    """Days to the start, the brief's deadline, and the checklist by due date."""
    deadline = placement.start_date - timedelta(days=brief_days)
    delivered = brief.delivered_at.date() if brief and brief.delivered_at else None
    late = delivered > deadline if delivered else today > deadline
    rows = []
    for task in placement.preparation_tasks.all():
        task.placement = placement  # `due_on` reads the start date: no query per task
        due = task.due_on
        rows.append(TaskRow(task=task, due_on=due, overdue=task.done_on is None and due < today))
    rows.sort(key=lambda row: (row.due_on, row.task.pk))
    return Countdown(
        days_to_start=(placement.start_date - today).days,
        brief_days=brief_days,
        brief_deadline=deadline,
        brief_late=late,
        tasks=rows,
    )
