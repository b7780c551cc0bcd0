from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    CIVIC = "civic", _("Civic organisation")
    GOVERNMENT = "government", _("Government body")
    COMPANY = "company", _("Company")
    FUNDER = "funder", _("Funder")
    COMMUNITY = "community", _("Community group")
    # Listed in the directory only when asked for: a council's parties are not partners.
    PARTY = "party", _("Political party")


class Access(models.TextChoices):
    """What a membership lets its person's user account do for the organisation."""

    NONE = "", _("No account access")
    VIEWER = "viewer", _("Viewer")
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Admin")


ACCESS_RANK = {Access.NONE: 0, Access.VIEWER: 1, Access.MEMBER: 2, Access.ADMIN: 3}


class ImportKind(models.TextChoices):
    POPOLO = "popolo", _("Popolo JSON (organisations, people, memberships)")
    CIVIC_ORGS = "civic_orgs", _("Civic organisations (Code for America format)")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Processing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed, nothing changed")


class OfferingKind(models.TextChoices):
    """What a supplier sells (S2)."""

    PRODUCT = "product", _("Product")
    SERVICE = "service", _("Service")


class PriceBasis(models.TextChoices):
    """How an offering is priced."""

    FIXED = "fixed", _("Fixed price")
    PER_DAY = "per_day", _("Per day")
    PER_MONTH = "per_month", _("Per month")
    PER_YEAR = "per_year", _("Per year")
    PER_USER = "per_user", _("Per user")
    ON_REQUEST = "on_request", _("Quoted on request")
