"""What each persona's home says needs them, and what it leaves to others (with axe)."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from civicbridge.collaborations.choices import Model, Stage, StakeholderRole
from civicbridge.collaborations.models import Agreement, Stakeholder
from civicbridge.partners.choices import Access
from civicbridge.procurement.choices import ContractStatus
from civicbridge.procurement.models import Contract, Invoice
from tests.factories import CollaborationFactory, MembershipFactory, UserFactory

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def portfolio(world, playbook):
    """A running contract with an overdue invoice, a running fellowship whose fellow is
    named, and a collaboration in preparation whose MOU nobody has signed."""
    today = timezone.localdate()
    start = today - timedelta(days=120)

    def collaboration(title, model, stage=Stage.ACTIVE):
        return CollaborationFactory.create(
            title=title,
            model=model,
            civic_organisation=world.civic,
            institution=world.institution,
            stage=stage,
            start_date=start,
            end_date=today + timedelta(days=200),
            checkin_every_days=14,
        )

    contract_work = collaboration("Bin reminders by text", Model.SERVICE_DELIVERY)
    contract = Contract.objects.create(
        collaboration=contract_work,
        supplier=world.civic,
        buyer=world.institution,
        title="Bin reminders",
        value=Decimal("48000.00"),
        currency="AUD",
        start_date=start,
        end_date=today + timedelta(days=200),
        status=ContractStatus.ACTIVE,
    )
    Invoice.objects.create(
        contract=contract,
        supplier=world.civic,
        number="CB-7",
        amount=Decimal("10500.00"),
        currency="AUD",
        issued_on=today - timedelta(days=60),
        due_on=today - timedelta(days=30),
    )
    fellowship = collaboration("Open permits fellowship", Model.FELLOWSHIP)
    Stakeholder.objects.create(
        collaboration=fellowship,
        person=world.fellow.person,
        organisation=world.civic,
        role=StakeholderRole.FELLOW,
    )
    preparing = collaboration("Street-light data", Model.POLICY, Stage.PREPARING)
    Agreement.objects.create(collaboration=preparing, terms="Share the data monthly.")
    finance = UserFactory(email="finance@example.org")
    MembershipFactory(
        person=finance.person,
        organisation=world.institution,
        role="Finance officer",
        access=Access.MEMBER,
    )
    return SimpleNamespace(finance=finance)


def needs_you(page: Page):
    section = page.get_by_role("region", name="What needs you")
    expect(section).to_be_visible()
    assert_accessible(page)
    return section


def test_the_civic_lead_sees_money_signatures_and_the_contracts_check_ins(
    page: Page, world, portfolio
):
    sign_in(page, world.civic_lead.email)
    section = needs_you(page)
    contract = section.get_by_role("listitem").filter(has_text="Bin reminders by text").first
    expect(contract).to_contain_text("1 invoice unpaid, overdue since")
    expect(contract).to_contain_text("10,500.00 AUD")
    expect(contract).to_contain_text("check-ins overdue since")
    expect(contract).to_contain_text("give one update")
    expect(section).to_contain_text("The MOU waits for your side's signature")
    # The fellow is named on the fellowship: its check-ins are theirs.
    expect(section).not_to_contain_text("Open permits fellowship")
    section.get_by_role("link", name="See everything that needs you, with filters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs you")
    assert_accessible(page)


def test_the_official_sees_the_mou_and_the_check_ins_not_the_invoice(page: Page, world, portfolio):
    sign_in(page, world.official.email)
    section = needs_you(page)
    expect(section).to_contain_text("The MOU waits for your side's signature")
    expect(section).to_contain_text("Open permits fellowship")
    expect(section).to_contain_text("Bin reminders by text")
    # The council has a finance officer: the invoice is theirs to pay.
    expect(section).not_to_contain_text("invoice")


def test_the_fellow_sees_their_own_fellowship_only(page: Page, world, portfolio):
    sign_in(page, world.fellow.email)
    section = needs_you(page)
    expect(section).to_contain_text("Open permits fellowship")
    expect(section).to_contain_text("give one update")
    expect(section).not_to_contain_text("Bin reminders by text")
    expect(section).not_to_contain_text("MOU")


def test_the_finance_officer_sees_the_invoice_to_pay(page: Page, world, portfolio):
    sign_in(page, portfolio.finance.email)
    section = needs_you(page)
    expect(section).to_contain_text("1 invoice to pay, overdue since")
    expect(section).to_contain_text("10,500.00 AUD")
    expect(section).not_to_contain_text("give one update")
    expect(section).not_to_contain_text("MOU")


def test_an_outsider_is_told_nothing_waits(page: Page, world, portfolio):
    sign_in(page, world.outsider.email)
    section = needs_you(page)
    expect(section).to_contain_text("Nothing is waiting for you")
    page.goto("/needs-you/")
    expect(page.get_by_text("Your account does not act for an organisation yet")).to_be_visible()
    assert_accessible(page)
