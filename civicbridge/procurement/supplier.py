"""What service delivery adds to an organisation's pages: its contracts made on Civic Bridge
in the supplier profile's past work, and its conflicts of interest on its page."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Organisation
from civicbridge.partners.permissions import acting_organisation_ids, is_platform_admin
from civicbridge.partners.supplier import PastWork, period

from .choices import ContractStatus
from .models import Contract
from .permissions import can_see_finances
from .services.conflicts import conflict_warnings


def platform_contracts(user, organisation: Organisation):
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
    """The organisation's signed contracts on Civic Bridge, in one query."""
    return [
        PastWork(
            title=contract.title,
            buyer_name=contract.buyer.name,
            buyer=contract.buyer,
            value=contract.value,
            currency=contract.currency,
            period=period(contract.start_date, contract.end_date, None),
            sort_key=contract.end_date,
            source=_("Made on Civic Bridge"),
        )
        for contract in platform_contracts(user, organisation)
    ]


def conflict_notice(user, organisation: Organisation) -> dict:
    """The context of the organisation page's conflict-of-interest warnings."""
    return {"warnings": conflict_warnings(organisation)}


def money_section(user, organisation: Organisation) -> str | None:
    """The organisation's money: how an institution pays, for everyone signed in; what a
    supplier is owed and its cash flow, for its own members."""
    if organisation.kind == OrganisationKind.GOVERNMENT:
        return reverse("procurement:payment_record", args=[organisation.pk])
    if can_see_finances(user, organisation)[0]:
        return reverse("procurement:money_owed", args=[organisation.pk])
    return None


def conflicts_section(user, organisation: Organisation) -> str:
    return reverse("procurement:conflicts", args=[organisation.pk])
