"""The choices of the consulting room; adoption uses the shared `Completion` and
`PracticeChange` scales of `collaborations.choices`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliverableKind(models.TextChoices):
    REPORT = "report", _("Report")
    PROTOTYPE = "prototype", _("Prototype")
    REVIEW = "review", _("Review")
    WORKSHOP = "workshop", _("Workshop")


class DeliverableStatus(models.TextChoices):
    """Where a deliverable stands with the institution.

    planned → submitted → accepted, or → changes asked → resubmitted → accepted after
    changes (or changes asked again). Only the institution accepts or asks for changes; only
    the civic organisation submits a version.
    """

    PLANNED = "planned", _("Not submitted yet")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    CHANGES_ASKED = "changes_asked", _("Changes asked")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED_AFTER_CHANGES = "accepted_after_changes", _("Accepted after changes")


# The states in which the institution decides, the states it leaves a deliverable in, and
# the states from which the civic side sends a version.
WAITING = (DeliverableStatus.SUBMITTED, DeliverableStatus.RESUBMITTED)
ACCEPTED = (DeliverableStatus.ACCEPTED, DeliverableStatus.ACCEPTED_AFTER_CHANGES)
OPEN_TO_VERSIONS = (DeliverableStatus.PLANNED, DeliverableStatus.CHANGES_ASKED)


class Decision(models.TextChoices):
    """What the institution decided about one version of a deliverable."""

    ACCEPTED = "accepted", _("Accepted")
    CHANGES_ASKED = "changes_asked", _("Changes asked")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
