"""Permission checks that return (allowed, reason), and the helper that enforces them."""

from django.core.exceptions import PermissionDenied

Decision = tuple[bool, str]


def require(decision: Decision) -> None:
    """Raise PermissionDenied with the reason when `decision` refuses."""
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)
