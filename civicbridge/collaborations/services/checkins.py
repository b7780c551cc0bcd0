"""Each side's regular update on a collaboration (F5)."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import audit, formats
from civicbridge.core.choices import Visibility

from ..models import CheckIn, Collaboration, OwedCheckIn
from ..queries import CHECKIN_STAGES, CheckInRow, checkin_overview
from ..tabs import tab_url
from . import actor_name, record_activity, require_side, tell_both_sides

CHECKIN_VISIBILITIES = (Visibility.OWN_SIDE, Visibility.BOTH_SIDES)


def stage_refusal(collaboration: Collaboration) -> str:
    """Why the collaboration takes no check-in at its stage; empty when it takes them."""
    if collaboration.stage in CHECKIN_STAGES:
        return ""
    return _(
        "Check-ins are given from the moment both sides have agreed the collaboration "
        "until it closes. This collaboration is “%(stage)s”."
    ) % {"stage": collaboration.get_stage_display()}


def _refuse_date(collaboration: Collaboration, due_on: date, open_dates: list[date]) -> None:
    """Say why `due_on` cannot be answered now, if it cannot."""
    if due_on in open_dates:
        return
    if collaboration.start_date is None:
        raise ValidationError(
            _(
                "Set the collaboration's start date first: check-ins fall due every "
                "%(days)d days from it."
            )
            % {"days": collaboration.checkin_every_days}
        )
    if due_on > timezone.localdate() and due_on in collaboration.checkin_due_dates(due_on):
        opens = max(
            due_on - timedelta(days=collaboration.checkin_every_days), collaboration.start_date
        )
        raise ValidationError(
            {
                "due_on": _(
                    "The check-in of %(date)s is not open yet: its update can be given from "
                    "%(opens)s, once the period it covers has begun."
                )
                % {"date": formats.day(due_on), "opens": formats.day(opens)}
            }
        )
    raise ValidationError(
        {
            "due_on": _(
                "%(date)s is not a check-in date of this collaboration. Check-ins fall due "
                "every %(days)d days from the start on %(start)s."
            )
            % {
                "date": formats.day(due_on),
                "days": collaboration.checkin_every_days,
                "start": formats.day(collaboration.start_date),
            }
        }
    )


@transaction.atomic
def submit_checkin(
    actor,
    collaboration: Collaboration,
    due_on: date,
    workflow: str,
    problems: str,
    quality: int,
    comment: str,
    visibility: str = Visibility.BOTH_SIDES,
) -> CheckIn:
    """Give (or change) the actor's side's update for one check-in date.

    Open while the collaboration is agreed, active or closing, for any date of the
    schedule up to today and for the next one. When both sides have shared their update
    for the date and their quality ratings are two or more apart, both sides are told.
    """
    side = require_side(actor, collaboration)
    if refusal := stage_refusal(collaboration):
        raise ValidationError(refusal)
    if visibility not in CHECKIN_VISIBILITIES:
        raise ValidationError(
            {
                "visibility": _(
                    "A check-in is shared with both sides or kept to your own side; "
                    "it is never public."
                )
            }
        )
    today = timezone.localdate()
    same_date = list(
        CheckIn.objects.select_for_update().filter(collaboration=collaboration, due_on=due_on)
    )
    _refuse_date(
        collaboration, due_on, checkin_overview(collaboration, today, same_date).open_dates
    )

    was_divergent = _row(collaboration, due_on, same_date).divergent  # before any change
    checkin = next((c for c in same_date if c.owner_organisation_id == side), None)
    before = audit.snapshot(checkin) if checkin else None
    if checkin is None:
        checkin = CheckIn(collaboration=collaboration, owner_organisation_id=side, due_on=due_on)
    checkin.author = actor
    checkin.workflow = workflow
    checkin.problems = problems
    checkin.quality = quality
    checkin.comment = comment
    checkin.visibility = visibility
    checkin.full_clean()
    checkin.save()

    url = tab_url(collaboration, "checkins")
    if before is None:
        audit.log_created(actor, checkin)
        message = _("%(name)s gave the check-in update for %(date)s.")
    else:
        audit.log_updated(actor, checkin, before)
        message = _("%(name)s changed the check-in update for %(date)s.")
    record_activity(
        actor,
        collaboration,
        message % {"name": actor_name(actor), "date": formats.day(due_on)},
        side=side,
        visibility=visibility,
        url=url,
    )

    refresh_owed_checkins(collaboration)
    after_row = _row(
        collaboration, due_on, [c for c in same_date if c.owner_organisation_id != side] + [checkin]
    )
    if after_row.divergent and not was_divergent:
        _tell_divergence(actor, collaboration, after_row, side, url)
    return checkin


def refresh_owed_checkins(collaboration: Collaboration) -> None:
    """Keep, for each side, the first check-in date its latest update leaves uncovered.

    The one writer of `OwedCheckIn`: called when a check-in is given, and when the stage,
    the dates, the cadence or a party of the collaboration change.
    """
    parties = collaboration.party_ids
    latest = dict(
        CheckIn.objects.filter(collaboration=collaboration, owner_organisation_id__in=parties)
        .order_by()
        .values("owner_organisation_id")
        .annotate(latest=Max("due_on"))
        .values_list("owner_organisation_id", "latest")
    )
    OwedCheckIn.objects.filter(collaboration=collaboration).exclude(
        organisation_id__in=parties
    ).delete()
    for side in parties:
        OwedCheckIn.objects.update_or_create(
            collaboration=collaboration,
            organisation_id=side,
            defaults={"first_due": collaboration.first_checkin_uncovered(latest.get(side))},
        )


def _row(collaboration: Collaboration, due_on: date, checkins: list[CheckIn]) -> CheckInRow:
    """The row of one check-in date, from that date's check-ins."""
    row = CheckInRow(due_on)
    for checkin in checkins:
        row.place(checkin, collaboration.civic_organisation_id)
    return row


def _tell_divergence(actor, collaboration: Collaboration, row: CheckInRow, side: int, url: str):
    """Tell both sides, in the feed and by e-mail, that their ratings for a date diverge."""
    assert row.civic and row.institution
    facts = {
        "civic": collaboration.civic_organisation.name,
        "institution": collaboration.institution.name,
        "date": formats.day(row.due_on),
        "civic_quality": row.civic.quality,
        "institution_quality": row.institution.quality,
    }
    message = (
        _(
            "%(civic)s and %(institution)s see the collaboration differently: for the check-in "
            "of %(date)s they rated its quality %(civic_quality)d and %(institution_quality)d "
            "out of 5."
        )
        % facts
    )
    record_activity(
        actor, collaboration, message, side=side, visibility=Visibility.BOTH_SIDES, url=url
    )
    body = _(
        "%(message)s\n\nA gap like this is worth talking about before it grows. Read both "
        "updates and agree what to change:\n%(link)s\n"
    ) % {"message": message, "link": f"{settings.SITE_URL.rstrip('/')}{url}"}
    tell_both_sides(
        collaboration,
        _("The two sides see “%(title)s” differently") % {"title": collaboration.title},
        body,
    )
