"""The notifications app's own choices. The kinds of reminder are each room's: they come from
the registry (`civicbridge.collaborations.reminders`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail only")
    INBOX = "inbox", _("Inbox only")
    BOTH = "both", _("E-mail and inbox")
