"""What needs you: each person sees what their side owes and is theirs to do, grouped per
collaboration, most urgent first; one line for every check-in a side is behind on."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from civicbridge.collaborations.attention import Viewer, all_lines, needs_you
from civicbridge.collaborations.choices import Model, Stage, StakeholderRole
from civicbridge.collaborations.models import Agreement, CheckIn, Signature, Stakeholder
from civicbridge.collaborations.reminders import CHECKIN_OVERDUE
from civicbridge.collaborations.services.checkins import submit_checkin
from civicbridge.notifications.models import InboxItem
from civicbridge.notifications.services import enqueue_due
from civicbridge.partners.choices import Access
from civicbridge.partners.tests.test_query_counts import count_queries
from civicbridge.procurement.choices import ContractStatus
from civicbridge.procurement.models import Contract, Invoice, Payment
from tests.factories import CollaborationFactory, MembershipFactory, UserFactory

TODAY = date(2026, 1, 20)
START = date(2025, 6, 1)  # check-ins every 14 days: 15 Jun, 29 Jun, … 7 Sep 2025 is the 7th


def lines(user, today: date = TODAY) -> dict[tuple[str, int], str]:
    """What needs `user` on home, as {(kind, collaboration id): text}."""
    found = needs_you(Viewer.of(user, today))
    return {
        (line.kind, group.collaboration.pk): line.text
        for group in found.groups
        for line in group.lines
    }


def kinds(user, today: date = TODAY) -> set[str]:
    return {kind for kind, _pk in lines(user, today)}


def running(world, *, model=Model.FELLOWSHIP, start=START, end=date(2026, 12, 31), **fields):
    return CollaborationFactory.create(
        model=model,
        civic_organisation=world.civic,
        institution=world.institution,
        stage=Stage.ACTIVE,
        start_date=start,
        end_date=end,
        checkin_every_days=14,
        **fields,
    )


def name(collaboration, user, organisation, role) -> None:
    Stakeholder.objects.create(
        collaboration=collaboration, person=user.person, organisation=organisation, role=role
    )


# --- Check-ins -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_side_behind_on_seven_check_ins_sees_one_line_that_one_update_covers(world, playbook):
    collaboration = running(world, end=date(2025, 9, 10))  # seven dates, then it ends
    key = ("checkins", collaboration.pk)
    assert lines(world.civic_lead)[key] == ("7 check-ins overdue since Jun 2025 — give one update")
    assert lines(world.official)[key] == lines(world.civic_lead)[key]


@pytest.mark.django_db
def test_an_update_for_the_latest_date_clears_the_line_and_the_inbox_item(world, playbook):
    collaboration = running(world)
    with time_machine.travel(TODAY, tick=False):
        enqueue_due(TODAY)
    item = InboxItem.objects.select_related("reminder").get(
        user=world.civic_lead, reminder__kind=CHECKIN_OVERDUE
    )
    assert item.reminder is not None and item.read_at is None and item.done_at is None
    latest = item.reminder.due_on
    assert latest is not None
    with time_machine.travel(TODAY, tick=False):
        submit_checkin(world.civic_lead, collaboration, latest, "Going well.", "", 4, "")
    assert ("checkins", collaboration.pk) not in lines(world.civic_lead)
    assert ("checkins", collaboration.pk) in lines(world.official)  # the other side still owes
    with time_machine.travel(TODAY, tick=False):
        enqueue_due(TODAY)
    item.refresh_from_db()
    assert item.done_at is not None and item.read_at is not None
    official_item = InboxItem.objects.get(user=world.official, reminder__kind=CHECKIN_OVERDUE)
    assert official_item.done_at is None and official_item.read_at is None


@pytest.mark.django_db
def test_a_member_not_named_on_a_contract_does_not_see_its_check_ins(world, playbook):
    contract = running(world, model=Model.SERVICE_DELIVERY)
    fellowship = running(world)
    name(fellowship, world.fellow, world.civic, StakeholderRole.FELLOW)
    fellow = lines(world.fellow)
    assert ("checkins", contract.pk) not in fellow  # a member, neither named nor admin
    assert ("checkins", fellowship.pk) in fellow  # named as the fellow
    lead = lines(world.civic_lead)
    assert ("checkins", contract.pk) in lead  # nobody named: the side's admins
    assert ("checkins", fellowship.pk) not in lead  # the fellow is named: theirs
    name(fellowship, world.civic_lead, world.civic, StakeholderRole.PROGRAMME_LEAD)
    assert ("checkins", fellowship.pk) in lines(world.civic_lead)


@pytest.mark.django_db
def test_nothing_is_owed_before_the_agreement_or_by_someone_of_neither_side(world, playbook):
    proposed = running(world)
    proposed.stage = Stage.PREPARING
    proposed.save()
    assert ("checkins", proposed.pk) not in lines(world.civic_lead)
    assert needs_you(Viewer.of(world.outsider, TODAY)).groups == []


# --- Signatures and obligations ---------------------------------------------------------


@pytest.mark.django_db
def test_admins_see_the_mou_their_side_has_not_signed(world, fellowship):
    agreement = Agreement.objects.create(collaboration=fellowship, terms="Work together.")
    assert ("mou_unsigned", fellowship.pk) in lines(world.official)
    assert ("mou_unsigned", fellowship.pk) in lines(world.civic_lead)
    assert "mou_unsigned" not in kinds(world.fellow)  # a member: only admins sign
    Signature.objects.create(
        agreement=agreement,
        version=1,
        party=world.institution,
        signed_by=world.official,
        signer_name="Sam Official",
    )
    assert "mou_unsigned" not in kinds(world.official)
    assert ("mou_unsigned", fellowship.pk) in lines(world.civic_lead)


@pytest.mark.django_db
def test_an_obligation_goes_to_its_owner_else_the_sides_admins(world, fellowship):
    agreement = Agreement.objects.create(collaboration=fellowship)
    obligation = agreement.obligations.create(
        party=world.civic, description="Send the fellow", due_date=TODAY - timedelta(days=3)
    )
    assert lines(world.civic_lead)[("obligations", fellowship.pk)] == (
        "1 obligation overdue since 17 Jan 2026"
    )
    assert "obligations" not in kinds(world.official)  # the other side's obligation
    obligation.owner = world.fellow.person
    obligation.save()
    assert "obligations" in kinds(world.fellow)
    assert "obligations" not in kinds(world.civic_lead)


# --- Money ------------------------------------------------------------------------------


@pytest.fixture
def invoice(world, playbook):
    collaboration = running(world, model=Model.SERVICE_DELIVERY)
    contract = Contract.objects.create(
        collaboration=collaboration,
        supplier=world.civic,
        buyer=world.institution,
        title="Accessible forms",
        value=Decimal("40000.00"),
        currency="AUD",
        start_date=START,
        end_date=date(2026, 12, 31),
        status=ContractStatus.ACTIVE,
    )
    invoice = Invoice.objects.create(
        contract=contract,
        supplier=world.civic,
        number="CB-1",
        amount=Decimal("12000.00"),
        currency="AUD",
        issued_on=date(2025, 11, 1),
        due_on=date(2025, 12, 1),
    )
    Payment.objects.create(
        invoice=invoice, amount=Decimal("1500.00"), currency="AUD", paid_on=date(2025, 12, 20)
    )
    return invoice


@pytest.mark.django_db
def test_finance_people_see_the_overdue_invoices_of_their_side(world, invoice):
    collaboration = invoice.contract.collaboration
    finance = UserFactory(email="finance@example.org")
    MembershipFactory(
        person=finance.person,
        organisation=world.institution,
        role="Finance officer",
        access=Access.MEMBER,
    )
    found = {
        line.kind: line
        for line in all_lines(Viewer.of(finance, TODAY))[0:10]
        if line.collaboration == collaboration
    }
    assert found["invoices_to_pay"].amount == "10,500.00 AUD"
    assert found["invoices_to_pay"].text == "1 invoice to pay, overdue since 1 Dec 2025"
    # The buyer has a finance person: not its admin's. The supplier has none: its admin's.
    assert "invoices_to_pay" not in kinds(world.official)
    assert ("payments_overdue", collaboration.pk) in lines(world.civic_lead)
    assert "payments_overdue" not in kinds(world.fellow)
    invoice.settled_on = TODAY
    invoice.save()
    assert "invoices_to_pay" not in kinds(finance)


@pytest.mark.django_db
def test_money_comes_before_check_ins(world, invoice):
    group = next(
        group
        for group in needs_you(Viewer.of(world.civic_lead, TODAY)).groups
        if group.collaboration == invoice.contract.collaboration
    )
    assert [line.kind for line in group.lines] == ["payments_overdue", "checkins"]


# --- Home and the full list -------------------------------------------------------------


@pytest.mark.django_db
def test_home_shows_ten_collaborations_and_links_the_rest(world, playbook, client_for):
    for _ in range(12):
        running(world)
    with time_machine.travel(TODAY, tick=False):
        found = needs_you(Viewer.of(world.official, TODAY))
        page = client_for(world.official).get(reverse("collaborations:home")).content.decode()
    assert len(found.groups) == 10 and found.more == 2
    assert "2 more things to do" in page and reverse("collaborations:needs_you") in page


@pytest.mark.django_db
def test_the_full_list_filters_by_kind_and_pages(world, invoice, client_for):
    for _ in range(30):
        running(world)
    client = client_for(world.civic_lead)
    url = reverse("collaborations:needs_you")
    with time_machine.travel(TODAY, tick=False):
        first = client.get(url)
        second = client.get(url, {"page": 2})
        money = client.get(url, {"kind": "payments_overdue"})
        services = client.get(url, {"model": Model.SERVICE_DELIVERY})
    assert first.context["page"].paginator.count == 32
    assert first.context["lines"][0].kind == "payments_overdue"  # the most urgent first
    assert len(second.context["lines"]) == 7
    assert [line.kind for line in money.context["lines"]] == ["payments_overdue"]
    assert {line.kind for line in services.context["lines"]} == {
        "payments_overdue",
        "checkins",
    }


def test_home_and_the_full_list_ask_as_many_queries_at_ten_times_the_data(
    world, playbook, client_for
):
    client = client_for(world.civic_lead)

    def grow(how_many: int) -> None:
        for _ in range(how_many):
            collaboration = running(world)
            for due in collaboration.checkin_due_dates(TODAY)[:3]:
                CheckIn.objects.create(
                    collaboration=collaboration,
                    owner_organisation=world.institution,
                    due_on=due,
                    workflow="w",
                    quality=3,
                )
            agreement = Agreement.objects.create(collaboration=collaboration, terms="t")
            agreement.obligations.create(
                party=world.civic, description="d", due_date=TODAY - timedelta(days=1)
            )

    full_list = reverse("collaborations:needs_you")
    checkins = f"{full_list}?kind=checkins"
    with time_machine.travel(TODAY, tick=False):
        grow(2)
        home = count_queries(client, reverse("collaborations:home"))
        full = count_queries(client, full_list)
        one_kind = count_queries(client, checkins)
        grow(20)
        assert count_queries(client, reverse("collaborations:home")) == home
        assert count_queries(client, checkins) == one_kind
        # A page reads the sources it reaches (one query each): here one fewer, as the
        # signatures fill more of it; never a query per line.
        assert count_queries(client, full_list) <= full
