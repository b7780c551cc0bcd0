"""What a supplier profile shows: the organisation's past work, from Civic Bridge and by hand."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from civicbridge.core import formats

from .extensions import past_work_from_rooms
from .models import Organisation, PastContract


@dataclass(frozen=True)
class PastWork:
    """One contract in the organisation's record, wherever it was recorded."""

    title: str
    buyer_name: str
    buyer: Organisation | None
    value: Decimal | None
    currency: str
    period: str
    sort_key: date
    source: str
    url: str = ""

    @property
    def buyer_id(self) -> int | None:
        return self.buyer.pk if self.buyer else None


def period(start: date | None, end: date | None, year: int | None) -> str:
    if start and end:
        return _("%(start)s to %(end)s") % {
            "start": formats.month(start),
            "end": formats.month(end),
        }
    if start:
        return _("from %(start)s") % {"start": formats.month(start)}
    return str(year or "")


def past_work(user, organisation: Organisation) -> list[PastWork]:
    """The organisation's past work the rooms hold (its signed contracts on Civic Bridge) and
    what it added by hand, the most recent first."""
    rows = past_work_from_rooms(user, organisation)
    for added in PastContract.objects.filter(organisation=organisation).select_related("buyer"):
        rows.append(
            PastWork(
                title=added.title,
                buyer_name=added.buyer_name,
                buyer=added.buyer,
                value=added.value,
                currency=added.currency,
                period=period(added.started_on, added.ended_on, added.year),
                sort_key=added.ended_on or added.started_on or date(added.year or 1, 12, 31),
                source=_("Added by the organisation"),
                url=added.reference_url,
            )
        )
    return sorted(rows, key=lambda row: row.sort_key, reverse=True)
