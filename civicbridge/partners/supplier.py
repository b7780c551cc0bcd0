"""What a supplier profile shows: the organisation's past work, from Civic Bridge and by hand."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civicbridge.procurement.choices import ContractStatus
from civicbridge.procurement.models import Contract

from .models import Organisation, PastContract
from .permissions import acting_organisation_ids, is_platform_admin


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


def _period(start: date | None, end: date | None, year: int | None) -> str:
    if start and end:
        return _("%(start)s to %(end)s") % {
            "start": date_format(start, "M Y"),
            "end": date_format(end, "M Y"),
        }
    if start:
        return _("from %(start)s") % {"start": date_format(start, "M Y")}
    return str(year or "")


def _platform_contracts(user, organisation: Organisation):
    """The organisation's contracts made on Civic Bridge that `user` may see: those of its
    own organisations and of public collaborations."""
    contracts = Contract.objects.filter(
        supplier=organisation, status__in=[ContractStatus.ACTIVE, ContractStatus.TERMINATED]
    ).select_related("buyer")
    if not is_platform_admin(user):
        acting = acting_organisation_ids(user)
        contracts = contracts.filter(
            Q(collaboration__public=True) | Q(supplier_id__in=acting) | Q(buyer_id__in=acting)
        )
    return contracts


def past_work(user, organisation: Organisation) -> list[PastWork]:
    """The organisation's signed contracts on Civic Bridge and those it added by hand, the
    most recent first, in two queries."""
    rows = [
        PastWork(
            title=contract.title,
            buyer_name=contract.buyer.name,
            buyer=contract.buyer,
            value=contract.value,
            currency=contract.currency,
            period=_period(contract.start_date, contract.end_date, None),
            sort_key=contract.end_date,
            source=_("Made on Civic Bridge"),
        )
        for contract in _platform_contracts(user, organisation)
    ]
    for added in PastContract.objects.filter(organisation=organisation).select_related("buyer"):
        rows.append(
            PastWork(
                title=added.title,
                buyer_name=added.buyer_name,
                buyer=added.buyer,
                value=added.value,
                currency=added.currency,
                period=_period(added.started_on, added.ended_on, added.year),
                sort_key=added.ended_on or added.started_on or date(added.year or 1, 12, 31),
                source=_("Added by the organisation"),
                url=added.reference_url,
            )
        )
    return sorted(rows, key=lambda row: row.sort_key, reverse=True)
