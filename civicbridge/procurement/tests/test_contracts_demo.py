"""The demo workspace's contracts: a council that pays on time, one that pays months late,
and a contract waiting for Hobart's signature."""

import pytest
from django.utils import timezone

from civicbridge.partners.models import Organisation
from civicbridge.procurement.choices import ContractStatus
from civicbridge.procurement.models import Contract, CreditNote, Invoice
from civicbridge.procurement.queries import cash_flow, money_owed, payment_record


def council(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


@pytest.mark.django_db
def test_clarence_pays_on_time_and_launceston_months_late(demo_workspace):
    today = timezone.localdate()
    on_time = payment_record(
        Invoice.objects.filter(contract__buyer=council("Clarence City Council")), today
    )
    late = payment_record(
        Invoice.objects.filter(contract__buyer=council("Launceston City Council")), today
    )
    assert on_time.overall is not None and late.overall is not None
    assert on_time.overall.late == 0 and on_time.overall.longest < 30
    assert late.overall.average > 60 and late.overall.longest > 100
    # Quarter by quarter, Launceston takes longer and longer.
    averages = [times.average for _quarter, times in late.quarters]
    assert len(averages) >= 4 and averages[-1] > averages[0]
    assert late.overdue_rows


@pytest.mark.django_db
def test_the_demo_has_part_payments_a_credit_note_and_money_overdue(demo_workspace):
    assert CreditNote.objects.count() == 1
    assert Invoice.objects.filter(payments__reference="Part payment").exists()
    civic = Organisation.objects.get(name="Code for Australia")
    [launceston] = [e for e in money_owed(civic, timezone.localdate()) if e.overdue_count]
    assert launceston.buyer_name == "Launceston City Council"
    assert launceston.oldest_days_overdue >= 60


@pytest.mark.django_db
def test_the_cash_flow_shows_prefinancing(demo_workspace):
    civic = Organisation.objects.get(name="Code for Australia")
    [flow], lateness = cash_flow(civic, timezone.localdate())
    assert flow.prefinancing is not None
    assert any(known.days > 30 for known in lateness.values())


@pytest.mark.django_db
def test_hobarts_contract_waits_for_the_councils_signature(demo_workspace):
    contract = Contract.objects.get(buyer__name="Hobart City Council")
    assert contract.status == ContractStatus.PENDING
    assert contract.supplier_signature() and contract.buyer_signature() is None
