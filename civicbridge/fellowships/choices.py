from django.db import models
from django.utils.translation import gettext_lazy as _


class Signatory(models.TextChoices):
    """Whose willingness and openness a statement records (F2)."""

    FELLOW = "fellow", _("the fellow")
    SUPERVISOR = "supervisor", _("the supervisor")
