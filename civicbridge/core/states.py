"""Moves of a record from one state to the next that two people cannot make at once.

Whoever moves a record names the state they saw it in. The service locks the row and
refuses the move, changing nothing, when the record has moved on since: fifty people
pressing "Move to Agreed" together move it one stage, not five.
"""

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext as _

from .services import Stale


class StaleState(Stale):
    """The record is no longer in the state the move names; `current` is where it is.

    The API answers 409 with the current state; a page shows `message`.
    """

    def __init__(
        self, current: str, current_label: str, seen: str | None = None, message: str = ""
    ) -> None:
        self.current = current
        self.current_label = current_label
        self.seen = seen
        super().__init__(
            message
            or _("Someone moved this on a moment ago: it is now “%(state)s”. Nothing was changed.")
            % {"state": current_label}
        )


def lock_in_state[M: models.Model](
    obj: M, seen: str, state_of: Callable[[M], tuple[str, str]], message: str = ""
) -> M:
    """The row of `obj`, locked for this transaction, if it is still in state `seen`.

    `state_of(row)` gives a row's state and its label. Raises StaleState, changing
    nothing, when the locked row's state is another: someone moved it in between. A
    `message` may say it in the move's own words; "%(state)s" in it is the current label.
    """
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    current, label = state_of(locked)
    if current != seen:
        raise StaleState(current, label, seen, message % {"state": label} if message else "")
    return locked
