from django.utils.functional import SimpleLazyObject

from .models import InboxItem


def inbox(request) -> dict:
    """The signed-in user's unread count for the header, read (in one query) only if shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "inbox_unread": SimpleLazyObject(
            lambda: InboxItem.objects.filter(user_id=user.pk, read_at__isnull=True).count()
        )
    }
