"""The reminder registry: what each room reminds people of, and when.

A reminder source is a function of `today` that only reads and yields a `Due` for each
reminder owed that day. Each room registers its sources in its own `reminders` module, as
it registers its checks:

    from civicbridge.collaborations.reminders import Due, register

    @register("brief_late", _("Preparation brief late"), order=50)
    def brief_late(today):
        yield Due(...)

Each `Due` carries a key "kind:object-id:period" whose period makes it once per period (a
check-in date, a due date, a start date). The notifications app turns each into a reminder
row that the key keeps unique per recipient, claims the row before it sends, and marks it
sent; it knows the rooms only through this registry.

A reminder goes to a user, or, for people without an account (a team's contact, an official
asked about a project), to an e-mail address; the kinds of those have no place among the
channels a user chooses (`chosen=False`). A room may also register what it records once a
reminder of its kind has gone (`on_sent`), work the scheduler does on every pass that
sends nothing (`daily_upkeep`), the days it puts in each person's calendar feed
(`deadlines`), and which reminders are about a thing done since (`settled`): those are
not sent any more, and their inbox items show as done without anybody marking them.
"""

from . import shared  # noqa: F401  (registers the reminders every model shares)
from .registry import (
    Deadline,
    Due,
    Kind,
    Recipients,
    ReminderAlreadyRegistered,
    chosen_kind_choices,
    daily_upkeep,
    deadlines,
    deadlines_of,
    due_reminders,
    kind_choices,
    kinds,
    object_id,
    on_sent,
    record_sent,
    register,
    run_upkeep,
    settled,
    settled_by_object,
    settlers,
    unregister,
    unregister_upkeep,
)
from .shared import (
    CHECKIN_DUE,
    CHECKIN_HORIZON,
    CHECKIN_OVERDUE,
    FOLLOW_UP_DUE,
    HANDOVER_NOTICE_DAYS,
    HANDOVER_OPEN,
    MOU_UNSIGNED,
    OBLIGATION_DUE,
    OBLIGATION_NOTICE_DAYS,
)

__all__ = [
    "CHECKIN_DUE",
    "CHECKIN_HORIZON",
    "CHECKIN_OVERDUE",
    "FOLLOW_UP_DUE",
    "HANDOVER_NOTICE_DAYS",
    "HANDOVER_OPEN",
    "MOU_UNSIGNED",
    "OBLIGATION_DUE",
    "OBLIGATION_NOTICE_DAYS",
    "Deadline",
    "Due",
    "Kind",
    "Recipients",
    "ReminderAlreadyRegistered",
    "chosen_kind_choices",
    "daily_upkeep",
    "deadlines",
    "deadlines_of",
    "due_reminders",
    "kind_choices",
    "kinds",
    "object_id",
    "on_sent",
    "record_sent",
    "register",
    "run_upkeep",
    "settled",
    "settled_by_object",
    "settlers",
    "unregister",
    "unregister_upkeep",
]
