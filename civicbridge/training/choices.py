from django.db import models
from django.utils.translation import gettext_lazy as _


class SeatStatus(models.TextChoices):
    """Where an official stands for one session (T1)."""

    INVITED = "invited", _("Invited")
    REGISTERED = "registered", _("Registered")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Did not attend")


# A seat that counts against a session's capacity.
TAKING_A_PLACE = (SeatStatus.REGISTERED, SeatStatus.ATTENDED)


class Moment(models.TextChoices):
    """When a participant rates their own capacity: before, after, and months after."""

    BEFORE = "before", _("Before the first session")
    AFTER = "after", _("After the last session")
    MONTHS_3 = "3m", _("Three months on")
    MONTHS_6 = "6m", _("Six months on")


# The follow-ups answered months after the programme, by how many months.
FOLLOW_UP_MONTHS = {Moment.MONTHS_3: 3, Moment.MONTHS_6: 6}


class RunStatus(models.TextChoices):
    """Where a batch of certificates is in the task worker."""

    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")
