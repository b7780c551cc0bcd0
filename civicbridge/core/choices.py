from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may see a record: its own side, both sides of a relationship, or everyone."""

    OWN_SIDE = "own", _("Own side")
    BOTH_SIDES = "both", _("Both sides")
    PUBLIC = "public", _("Public")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
