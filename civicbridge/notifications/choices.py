from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    CHECKIN_DUE = "checkin_due", _("Check-in due")
    CHECKIN_OVERDUE = "checkin_overdue", _("Check-in overdue")
    OBLIGATION_DUE = "obligation_due", _("Obligation due")
    MOU_UNSIGNED = "mou_unsigned", _("MOU not signed yet")
    BRIEF_LATE = "brief_late", _("Preparation brief late")
    HANDOVER_OPEN = "handover_open", _("Handover tasks open near the end")
    FOLLOW_UP_DUE = "follow_up_due", _("Sustainability follow-up due")
    INVOICE_OVERDUE = "invoice_overdue", _("Invoice overdue")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail only")
    INBOX = "inbox", _("Inbox only")
    BOTH = "both", _("E-mail and inbox")
