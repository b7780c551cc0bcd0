"""Each person's inbox, preferences and feed are theirs alone: fetched only with their user."""

from django.shortcuts import get_object_or_404

from .models import InboxItem, Preference


def get_item_for(user, pk: int) -> InboxItem:
    """One of `user`'s inbox items; anybody else's is not found."""
    return get_object_or_404(InboxItem, pk=pk, user_id=user.pk)


def items_of(user):
    """`user`'s inbox, newest first."""
    return InboxItem.objects.filter(user=user)


def channels_of(user) -> dict[str, str]:
    """The channel `user` chose for each kind they changed from the default."""
    return dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
