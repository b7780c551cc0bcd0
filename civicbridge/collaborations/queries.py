"""Derived state of a collaboration, read in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from .models import CheckIn, Collaboration

DIVERGENCE = 2  # quality ratings this far apart mean the sides see the work differently


@dataclass
class CheckInRow:
    due_on: date
    civic: CheckIn | None = None
    institution: CheckIn | None = None

    @property
    def divergent(self) -> bool:
        return bool(
            self.civic
            and self.institution
            and abs(self.civic.quality - self.institution.quality) >= DIVERGENCE
        )


@dataclass
class CheckInOverview:
    """Every check-in date up to today, what each side submitted, and what is missing."""

    due_dates: list[date]
    rows: list[CheckInRow] = field(default_factory=list)
    missing: list[tuple[date, int]] = field(default_factory=list)  # (date, organisation id)

    @property
    def divergent(self) -> list[CheckInRow]:
        return [row for row in self.rows if row.divergent]


def checkin_overview(
    collaboration: Collaboration, today: date | None = None, checkins=None
) -> CheckInOverview:
    """Lay the side's check-ins against the schedule. `checkins` defaults to all of them."""
    today = today or timezone.localdate()
    due_dates = collaboration.checkin_due_dates(today)
    if checkins is None:
        checkins = collaboration.checkins.all()
    rows = {due: CheckInRow(due) for due in due_dates}
    for checkin in checkins:
        row = rows.setdefault(checkin.due_on, CheckInRow(checkin.due_on))
        if checkin.owner_organisation_id == collaboration.civic_organisation_id:
            row.civic = checkin
        else:
            row.institution = checkin
    overview = CheckInOverview(due_dates, sorted(rows.values(), key=lambda row: row.due_on))
    for due in due_dates:
        row = rows[due]
        if row.civic is None:
            overview.missing.append((due, collaboration.civic_organisation_id))
        if row.institution is None:
            overview.missing.append((due, collaboration.institution_id))
    return overview
