"""Derived state of a collaboration, read in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from civicbridge.core.choices import Visibility
from civicbridge.partners.choices import Access
from civicbridge.partners.models import Membership, Person

from .choices import Stage
from .models import Agreement, CheckIn, Collaboration
from .models.health import DIVERGENCE, RUNNING

# Check-ins are given from the agreement until the collaboration closes.
CHECKIN_STAGES = RUNNING


@dataclass
class CheckInRow:
    """One check-in date: each side's update, and whether a side has missed it."""

    due_on: date
    civic: CheckIn | None = None
    institution: CheckIn | None = None
    civic_overdue: bool = False
    institution_overdue: bool = False

    def place(self, checkin: CheckIn, civic_organisation_id: int) -> None:
        """Put `checkin` in the column of the side that gave it."""
        if checkin.owner_organisation_id == civic_organisation_id:
            self.civic = checkin
        else:
            self.institution = checkin

    @property
    def divergent(self) -> bool:
        """Both sides shared their update and rated the quality 2 or more apart.

        A rating a side kept to itself is not compared: the flag would give it away.
        """
        return bool(
            self.civic
            and self.institution
            and self.civic.visibility != Visibility.OWN_SIDE
            and self.institution.visibility != Visibility.OWN_SIDE
            and abs(self.civic.quality - self.institution.quality) >= DIVERGENCE
        )


@dataclass
class CheckInOverview:
    """Every check-in date up to today, what each side submitted, and what is missing.

    `missing` lists the past dates (before today) a side owes while the collaboration
    takes check-ins: an update covers what is overdue, so a side owes only the dates after
    its latest update (`Collaboration.first_checkin_uncovered`, the rule that
    `OwedCheckIn` keeps for home and the reminders); a date due today is not missed yet. `next_due` is the
    first date after today, which a side may already answer.
    """

    due_dates: list[date]
    rows: list[CheckInRow] = field(default_factory=list)
    missing: list[tuple[date, int]] = field(default_factory=list)  # (date, organisation id)
    next_due: date | None = None
    first_due: date | None = None
    today: date | None = None
    # Per side, the first date its latest update leaves uncovered (see `missing`).
    first_uncovered: dict[int, date | None] = field(default_factory=dict)

    @property
    def divergent(self) -> list[CheckInRow]:
        return [row for row in self.rows if row.divergent]

    @property
    def open_dates(self) -> list[date]:
        """The dates a side may give an update for: every one due so far, and the next."""
        return [*self.due_dates, *([self.next_due] if self.next_due else [])]

    def owed_by(self, organisation_id: int) -> list[date]:
        """The dates up to today that `organisation_id`'s latest update leaves uncovered,
        oldest first: one update for the latest of them covers them all."""
        first = self.first_uncovered.get(organisation_id, self.first_due)
        if first is None:
            return []
        return [due for due in self.due_dates if due >= first]


def checkin_overview(
    collaboration: Collaboration, today: date | None = None, checkins=None
) -> CheckInOverview:
    """Lay the side's check-ins against the schedule. `checkins` defaults to all of them.

    A check-in a side kept to itself still counts as that side's update.
    """
    today = today or timezone.localdate()
    until = today
    if collaboration.closed_on:
        until = min(until, collaboration.closed_on)
    due_dates = collaboration.checkin_due_dates(until)
    next_due = None
    schedule = collaboration.checkin_due_dates(
        (collaboration.start_date or today) + timedelta(collaboration.checkin_every_days)
    )
    first_due = schedule[0] if schedule else None
    if collaboration.stage in CHECKIN_STAGES and collaboration.checkin_every_days:
        ahead = collaboration.checkin_due_dates(today + timedelta(collaboration.checkin_every_days))
        next_due = next((due for due in ahead if due > today), None)
    if checkins is None:
        checkins = collaboration.checkins.all()
    rows = {due: CheckInRow(due) for due in due_dates}
    for checkin in checkins:
        rows.setdefault(checkin.due_on, CheckInRow(checkin.due_on)).place(
            checkin, collaboration.civic_organisation_id
        )
    latest: dict[int, date] = {}
    for checkin in checkins:
        side = checkin.owner_organisation_id
        latest[side] = max(latest.get(side, checkin.due_on), checkin.due_on)
    civic, institution = collaboration.party_ids
    uncovered = {
        side: collaboration.first_checkin_uncovered(latest.get(side))
        for side in (civic, institution)
    }
    overview = CheckInOverview(
        due_dates,
        sorted(rows.values(), key=lambda row: row.due_on),
        next_due=next_due,
        first_due=first_due,
        today=today,
        first_uncovered=uncovered,
    )
    if collaboration.stage in (Stage.PROPOSED, Stage.PREPARING):
        return overview  # nothing can be missed before the sides have agreed

    def owes(side: int, due: date) -> bool:
        first = uncovered[side]
        return first is not None and first <= due < today

    for due in due_dates:
        row = rows[due]
        if owes(civic, due):
            row.civic_overdue = True
            overview.missing.append((due, civic))
        if owes(institution, due):
            row.institution_overdue = True
            overview.missing.append((due, institution))
    return overview


def agreement_of(collaboration: Collaboration) -> Agreement | None:
    """The collaboration's MOU, if anyone has written it."""
    agreement = Agreement.objects.filter(collaboration=collaboration).first()
    if agreement is not None:
        agreement.collaboration = collaboration  # its parties are loaded already
    return agreement


def people_of_both_sides(collaboration: Collaboration, *, besides=None) -> list[Person]:
    """People with an account who act for both parties today, `besides` left out.

    They read what either side keeps for itself: the people tab lists them, and a form
    for an own-side record names them before it is saved.
    """
    current = Membership.objects.current().exclude(access=Access.NONE)
    people = Person.objects.filter(
        user__isnull=False,
        pk__in=current.filter(organisation_id=collaboration.civic_organisation_id).values(
            "person_id"
        ),
    ).filter(
        pk__in=current.filter(organisation_id=collaboration.institution_id).values("person_id")
    )
    if besides is not None:
        people = people.exclude(pk=besides)
    return list(people.order_by("name", "id"))
