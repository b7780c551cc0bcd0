"""What needs a person across their collaborations: the attention registry.

Each room registers *sources* of things a person must do, as it registers its checks and
reminders: a subclass of `Source` decorated with `@register`, in the room's `attention`
module (autodiscovered). A source answers, for one `Viewer`, rows grouped per
collaboration: how many, since when (the oldest date), an amount where it is money; its
`line` turns a row into words and a link. Every source is a bounded number of queries
(aggregated in the database, filtered by the viewer's organisations first), so home and
the full list (`/needs-you/`) cost the same at ten collaborations or a hundred thousand.

Lines come most urgent first: signatures that block a stage, overdue money, overdue
obligations (and a fellowship's or an event's own items), check-ins, follow-ups; within
one kind, the oldest first.

Whose item it is (the one rule, written as the querysets `for_named_or_admins`,
`for_owner_or_admins` and `for_finance_or_admins`):

- An item is owed by one side of a collaboration (a party), and only that side sees it.
- It goes to the people of that side *named on the collaboration* (its stakeholders) in a
  role that owns the kind: a check-in to the side's programme lead, supervisor or fellow.
  When nobody of that side with an account is named in such a role, it goes to the side's
  admins. A member neither named nor admin does not see it: a fellow sees their own
  fellowship's check-ins, not those of a contract of their organisation.
- An item with an owner (an obligation, a handover task, a fellow's statement, an
  official's commitment) goes to that person when they have an account, else to the
  side's admins.
- Money goes to the side's finance people (a current membership whose role or post names
  finance), else to the side's admins: overdue invoices to the buyer that owes and to the
  supplier that is owed.
- A signature goes to the side's admins: only they sign for it.
"""

from . import shared  # noqa: F401  (registers the sources every model shares)
from .registry import (
    CHECKIN,
    FOLLOW_UP,
    HOME_COLLABORATIONS,
    MONEY,
    OBLIGATION,
    ROOM_ITEM,
    SIGNATURE,
    AllLines,
    Group,
    Line,
    NeedsYou,
    Source,
    Viewer,
    all_lines,
    counted,
    for_admins,
    for_finance_or_admins,
    for_named_or_admins,
    for_owner_or_admins,
    kind_choices,
    needs_you,
    register,
    sources,
    within,
)

__all__ = [
    "CHECKIN",
    "FOLLOW_UP",
    "HOME_COLLABORATIONS",
    "MONEY",
    "OBLIGATION",
    "ROOM_ITEM",
    "SIGNATURE",
    "AllLines",
    "Group",
    "Line",
    "NeedsYou",
    "Source",
    "Viewer",
    "all_lines",
    "counted",
    "for_admins",
    "for_finance_or_admins",
    "for_named_or_admins",
    "for_owner_or_admins",
    "kind_choices",
    "needs_you",
    "register",
    "sources",
    "within",
]
