"""Permission checks that return (allowed, reason), and the helper that enforces them."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

Decision = tuple[bool, str]


def require(decision: Decision) -> None:
    """Raise PermissionDenied with the reason when `decision` refuses."""
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def can_see_task_queue(user) -> Decision:
    """Platform admins watch the background work of every organisation."""
    if user.is_superuser:
        return True, ""
    return False, _("Only platform admins see the task queue.")
