"""What needs a user across their collaborations: the home page's list."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids

from .models import Activity, Collaboration, Obligation
from .queries import checkin_overview


@dataclass
class Attention:
    """Signatures awaited, check-ins owed, obligations due soon, recent activity."""

    signatures: list[Collaboration]
    checkins: list[tuple[Collaboration, date]]
    obligations: list
    recent: list


def needs_attention(user, today: date | None = None, soon_days: int = 14) -> Attention:
    """Signatures awaited, check-ins owed, obligations due, and recent activity."""
    today = today or timezone.localdate()
    members = acting_organisation_ids(user, Access.MEMBER)
    admins = acting_organisation_ids(user, Access.ADMIN)
    mine = Collaboration.objects.of_organisations(acting_organisation_ids(user)).select_related(
        "civic_organisation", "institution"
    )
    awaiting = (
        mine.exclude(stage="closed")
        .filter(agreement__obligations__isnull=False)
        .of_organisations(admins)
        .prefetch_related("agreement__signatures")
        .distinct()
    )
    signatures = []
    for collaboration in awaiting:
        unsigned = collaboration.agreement.unsigned_sides()
        if any(party.pk in admins for party in unsigned):
            signatures.append(collaboration)
    checkins = []
    running = mine.filter(stage__in=["agreed", "active", "closing"]).of_organisations(members)
    for collaboration in running.prefetch_related("checkins"):
        overview = checkin_overview(collaboration, today, collaboration.checkins.all())
        checkins += [(collaboration, due) for due, side in overview.missing if side in members]
    soon = today + timedelta(days=soon_days)
    obligations = list(
        Obligation.objects.filter(party_id__in=members, due_date__lte=soon)
        .exclude(status="done")
        .exclude(agreement__collaboration__stage="closed")
        .select_related("agreement__collaboration", "owner", "party")
        .order_by("due_date")[:20]
    )
    recent = list(
        Activity.objects.filter(collaboration__in=mine)
        .visible_to(acting_organisation_ids(user))
        .select_related("collaboration")[:10]
    )
    return Attention(signatures, checkins[:20], obligations, recent)
