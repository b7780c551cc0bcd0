from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackStatus(models.TextChoices):
    """Where a beneficiary's feedback stands: nothing is published before the civic side
    reads it."""

    NEW = "new", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class Rating(models.IntegerChoices):
    VERY_POOR = 1, _("1 — very poor")
    POOR = 2, _("2 — poor")
    FAIR = 3, _("3 — fair")
    GOOD = 4, _("4 — good")
    VERY_GOOD = 5, _("5 — very good")


class ShortcomingStatus(models.TextChoices):
    """Where a shortcoming's solution stands (T2): shortcoming → solution → owner → action."""

    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


# The moves the institution makes, and the states each may start from.
SHORTCOMING_MOVES: dict[str, tuple[str, ...]] = {
    ShortcomingStatus.ACCEPTED: (ShortcomingStatus.PROPOSED,),
    ShortcomingStatus.IN_PROGRESS: (ShortcomingStatus.ACCEPTED,),
    ShortcomingStatus.DONE: (ShortcomingStatus.ACCEPTED, ShortcomingStatus.IN_PROGRESS),
    ShortcomingStatus.DECLINED: (ShortcomingStatus.PROPOSED, ShortcomingStatus.ACCEPTED),
}
