"""The words of public buying. Where OCDS has a codelist, the values are its codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Route(models.TextChoices):
    """How an institution obtains the work (S3, S6)."""

    DONATION = "donation", _("Donation")
    PRO_BONO = "pro_bono", _("Pro bono")
    GRANT = "grant", _("Grant")
    DIRECT_AWARD = "direct_award", _("Direct award")
    OPEN_TENDER = "open_tender", _("Open tender")
    FRAMEWORK = "framework", _("Framework call-off")
    INNOVATION = "innovation", _("Innovation or challenge-based procurement")


class RouteVerdict(models.TextChoices):
    """What the jurisdiction's rules say of a route at a given value."""

    ALLOWED = "allowed", _("Allowed")
    BLOCKED = "blocked", _("Blocked by the rules")
    UNKNOWN = "unknown", _("No rules known")


class ContractStatus(models.TextChoices):
    """OCDS contractStatus codelist."""

    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")
    TERMINATED = "terminated", _("Terminated")


class MilestoneKind(models.TextChoices):
    """OCDS milestoneType codelist: the contract's own milestones first, then the steps of
    the procurement that leads to it, which OCDS places under planning and tender."""

    DELIVERY = "delivery", _("Deliverable")
    PAYMENT = "payment", _("Payment")
    REPORTING = "reporting", _("Reporting")
    FINANCING = "financing", _("Financing")
    PRE_PROCUREMENT = "preProcurement", _("Pre-procurement")
    APPROVAL = "approval", _("Approval")
    ENGAGEMENT = "engagement", _("Public engagement")
    ASSESSMENT = "assessment", _("Assessment")

    @classmethod
    def procurement(cls) -> set[str]:
        """The steps of the procurement: they may come before the contract starts."""
        return {cls.PRE_PROCUREMENT, cls.APPROVAL, cls.ENGAGEMENT, cls.ASSESSMENT}

    @classmethod
    def delivered(cls) -> set[str]:
        """What the supplier hands over and the buyer accepts."""
        return {cls.DELIVERY, cls.REPORTING}


class MilestoneStatus(models.TextChoices):
    """OCDS milestoneStatus codelist."""

    SCHEDULED = "scheduled", _("Scheduled")
    MET = "met", _("Met")
    NOT_MET = "notMet", _("Not met")
    PARTIALLY_MET = "partiallyMet", _("Partially met")


class Source(models.TextChoices):
    """Where a contract came from."""

    PLATFORM = "platform", _("Made here")
    OCDS = "ocds", _("Imported from OCDS")


class OrganisationRoleKind(models.TextChoices):
    """An organisation's roles toward an institution (S7)."""

    WATCHDOG = "watchdog", _("Watchdog")
    ADVOCACY = "advocacy", _("Advocacy")
    LITIGATION = "litigation", _("Litigation")
    RESEARCH = "research", _("Research")
    VENDOR = "vendor", _("Vendor")
    GRANTEE = "grantee", _("Grantee")

    @classmethod
    def monitoring(cls) -> set[str]:
        """The roles in which an organisation watches over the institution."""
        return {cls.WATCHDOG, cls.ADVOCACY, cls.LITIGATION, cls.RESEARCH}

    @classmethod
    def paid(cls) -> set[str]:
        """The roles in which the institution's money reaches the organisation."""
        return {cls.VENDOR, cls.GRANTEE}
