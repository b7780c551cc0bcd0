"""A service delivery in Chromium, with axe-core on every page: the civic lead proposes it,
tries a donation the jurisdiction forbids, chooses a direct award the rules allow, drafts the
contract with a payment milestone, discloses its watchdog role before it may sign, both sides
sign, and the invoice for the milestone is paid in two parts, 6 days late."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import Page, expect

from civicbridge.procurement.services import conflicts, contracts, routes
from civicbridge.procurement.tests.contract_helpers import draft, service_delivery, sign_both
from tests.factories import PASSWORD

from .helpers import assert_accessible, sign_in, submit_by_keyboard

pytestmark = pytest.mark.browser

# Fixed days make the dates and the days to pay on the pages certain.
PROPOSED_ON = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
INVOICED_ON = datetime(2031, 5, 15, 9, 0, tzinfo=UTC)  # due 30 days later, on 14 June
PART_PAID_ON = datetime(2031, 6, 1, 9, 0, tzinfo=UTC)
PAID_ON = datetime(2031, 6, 20, 9, 0, tzinfo=UTC)  # 36 days after the invoice, 6 late
START, END = "2031-04-01", "2031-12-31"
TITLE = "Permit portal"
SOURCE = "Testland Procurement Act 2030, s. 12"
FORBIDDEN = "Public bodies may not accept software or services for free"


@pytest.fixture
def testland(world):
    """The platform admin's example jurisdiction: no donations, direct awards up to
    50,000.00 AUD after a 10-day notice of intent."""
    place = routes.create_jurisdiction(
        world.admin, name="Testland", code="testland", country="Testland", example=True
    )
    for route, allowed, limit, explanation in (
        ("donation", False, None, f"{FORBIDDEN}."),
        ("direct_award", True, "50000.00", "A contract up to the threshold may be awarded."),
    ):
        routes.save_rule(
            world.admin,
            place,
            route=route,
            allowed=allowed,
            max_value=limit,
            currency="AUD" if limit else "",
            explanation=explanation,
            source=SOURCE,
            source_date=date(2030, 7, 1),
        )
    routes.save_step(
        world.admin,
        place,
        route="direct_award",
        order=1,
        name="Publish a notice of intent to award",
        minimum_days=10,
        source=SOURCE,
        source_date=date(2030, 7, 1),
    )
    return place


@pytest.fixture
def watchdog(world):
    """Code for Testing has watched over Testshire Council's spending since 2029."""
    return conflicts.add_role(
        world.civic_lead,
        world.civic,
        institution=world.institution,
        role="watchdog",
        started_on=date(2029, 1, 1),
        note="Publishes a yearly review of the council's spending.",
    )


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def tab(page: Page, name: str) -> None:
    """Open one tab of the collaboration's page."""
    tabs = page.get_by_role("navigation", name="Parts of this collaboration")
    tabs.get_by_role("link", name=name, exact=True).click()
    expect(tabs.locator("[aria-current=page]")).to_have_text(name)


def switch_to(page: Page, email: str) -> None:
    """Sign out whoever is signed in, then sign in as `email`."""
    sign_out = page.get_by_role("button", name="Sign out")
    if sign_out.count():
        sign_out.click()
    sign_in(page, email)


def open_collaboration(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Collaborations").click()
    page.get_by_role("table").get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)


def invoice_row(page: Page):
    return page.get_by_role("row", name=re.compile("^CFT-2031-001"))


def record_payment(page: Page, amount: str, reference: str) -> None:
    """Record a payment on the invoice from the Invoices tab, with the keyboard at the end."""
    invoice_row(page).locator("summary").click()
    invoice_row(page).get_by_role("link", name="Record a payment on CFT-2031-001").click()
    expect(heading(page)).to_have_text("Record a payment on invoice CFT-2031-001")
    assert_accessible(page)
    expect(page.get_by_label("Currency")).to_have_value("AUD")
    page.get_by_label("Amount paid").fill(amount)
    page.get_by_label("Reference").fill(reference)
    page.get_by_label("Reference").focus()
    submit_by_keyboard(page, "Record the payment")
    expect(page.get_by_text("The payment on invoice CFT-2031-001 is recorded.")).to_be_visible()


def test_from_the_route_to_a_paid_invoice(page: Page, world, playbook, testland, watchdog):
    with time_machine.travel(PROPOSED_ON, tick=True) as traveller:
        # 1. The civic lead proposes a service delivery to the council.
        sign_in(page, world.civic_lead.email)
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Collaborations"
        ).click()
        page.get_by_role("link", name="Propose a collaboration").click()
        expect(heading(page)).to_have_text("Propose a collaboration")
        assert_accessible(page)
        page.get_by_label("Model").select_option(label="Service delivery")
        page.get_by_label("Title", exact=True).fill(TITLE)
        page.get_by_label("Summary").fill("Code for Testing builds the council's permit portal.")
        page.get_by_label("Civic organisation").select_option(label="Code for Testing")
        page.get_by_label("Institution", exact=True).select_option(label="Testshire Council")
        page.get_by_label("Start date").fill(START)
        page.get_by_label("End date").fill(END)
        page.get_by_role("button", name="Save").click()
        expect(heading(page)).to_have_text(TITLE)
        expect(page.get_by_text("The collaboration was proposed.")).to_be_visible()
        assert_accessible(page)

        # 2. The route: a donation is refused with the rule and its source; a direct award
        # under the threshold is allowed.
        tab(page, "Procurement")
        expect(page.get_by_role("heading", name="Choose the route")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Route", exact=True).select_option(label="Donation")
        page.get_by_label("Jurisdiction").select_option(label="Testland")
        page.get_by_label("Estimated value").fill("0")
        page.get_by_label("Currency").fill("aud")
        page.get_by_label("Procurement starts on").fill("2031-03-10")
        page.get_by_role("button", name="Check and save the route").click()
        refusal = page.get_by_role("alert")
        expect(refusal).to_contain_text(f"Donation is not allowed: {FORBIDDEN}")
        expect(refusal).to_contain_text(f"source: {SOURCE}, as read on 1 Jul 2030")
        expect(page.locator("#error-summary")).to_be_focused()
        expect(page.get_by_text("No route is chosen yet.")).to_be_visible()
        assert_accessible(page)

        page.get_by_label("Route", exact=True).select_option(label="Direct award")
        page.get_by_label("Estimated value").fill("48000.00")
        page.get_by_label("Currency").focus()
        submit_by_keyboard(page, "Check and save the route")
        expect(page.get_by_text("The procurement route was saved.")).to_be_visible()
        route = page.get_by_role("table", name="How the institution obtains the work")
        expect(route.get_by_role("row", name=re.compile("^Verdict"))).to_contain_text("Allowed")
        expect(route).to_contain_text("Example only")
        expect(
            page.get_by_text("Direct award is allowed up to 50,000.00 AUD", exact=False).first
        ).to_be_visible()
        expect(page.get_by_text("so the planned start on 1 Apr 2031 can be met")).to_be_visible()
        every_route = page.get_by_role("table", name="Every route checked against the")
        expect(every_route.get_by_role("row", name=re.compile("^Donation"))).to_contain_text(
            "Blocked"
        )
        assert_accessible(page)

        # 3. The contract, with a payment milestone.
        tab(page, "Contract")
        assert_accessible(page)
        page.get_by_role("link", name="Draft the contract").click()
        expect(heading(page)).to_have_text("Draft the contract")
        assert_accessible(page)
        expect(page.get_by_label("Title")).to_have_value(TITLE)
        expect(page.get_by_label("Start date")).to_have_value(START)
        expect(page.get_by_label("End date")).to_have_value(END)
        page.get_by_label("What is bought").fill("A portal where residents apply for permits.")
        page.get_by_label("Value").fill("48000.00")
        page.get_by_label("Currency").fill("AUD")
        expect(page.get_by_label("Payment terms (days)")).to_have_value("30")
        page.get_by_label("Payment terms (days)").focus()
        submit_by_keyboard(page, "Save the draft")
        expect(
            page.get_by_text(
                "The contract is drafted. Add its milestones, then both sides sign it."
            )
        ).to_be_visible()
        terms = page.get_by_role("table", name="The terms of the contract")
        expect(terms).to_contain_text("48,000.00 AUD")
        expect(terms).to_contain_text("30 days after an invoice is issued")
        assert_accessible(page)

        page.get_by_role("link", name="Add a milestone").click()
        expect(heading(page)).to_have_text("Add a milestone")
        assert_accessible(page)
        page.get_by_role("group", name="Kind").get_by_text("Payment", exact=True).click()
        page.get_by_label("Title").fill("First payment")
        page.get_by_label("Due on").fill("2031-05-15")
        page.get_by_label("Amount").fill("20000.00")
        page.get_by_role("button", name="Add the milestone").click()
        expect(page.get_by_text("The milestone is added to the contract.")).to_be_visible()
        milestones = page.get_by_role("table", name=re.compile("^Deliverables, payments"))
        expect(milestones.get_by_role("row", name=re.compile("^First payment"))).to_contain_text(
            "20,000.00 AUD"
        )
        conflict = page.get_by_role("region", name="Conflict of interest")
        expect(conflict).to_contain_text("watchdog (Testshire Council)")
        assert_accessible(page)

        # 4. The watchdog role stops the signature until it is disclosed.
        page.get_by_role("link", name="Read and sign for your side").click()
        expect(heading(page)).to_have_text("Sign the contract")
        expect(page.get_by_role("heading", name="Nobody can sign yet")).to_be_visible()
        expect(page.get_by_label("Your password")).to_have_count(0)
        assert_accessible(page)
        page.get_by_role(
            "link", name="The conflict-of-interest register of Code for Testing"
        ).click()
        expect(heading(page)).to_have_text("Conflicts of interest: Code for Testing")
        expect(page.get_by_text("Watches over and paid by Testshire Council:")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name="Record a disclosure").click()
        expect(heading(page)).to_have_text("Record a disclosure")
        assert_accessible(page)
        page.get_by_label("Institution").select_option(label="Testshire Council")
        page.get_by_label("About the collaboration").select_option(label=TITLE)
        roles = page.get_by_role("group", name="Roles disclosed")
        roles.get_by_text("Watchdog", exact=True).click()
        roles.get_by_text("Vendor", exact=True).click()
        page.get_by_label("The discussion of the mission").fill(
            "The board met on 1 March and weighed our credibility as a watchdog against the fee."
        )
        page.get_by_label("What was decided").fill(
            "We take the contract; the spending review is written by people outside the project."
        )
        page.get_by_label("Discussed on").fill("2031-03-01")
        page.get_by_role("button", name="Save").click()
        expect(
            page.get_by_text("The disclosure is in the public register. Name who stands aside")
        ).to_be_visible()
        expect(heading(page)).to_have_text(
            "Who stands aside? Code for Testing on Testshire Council"
        )
        assert_accessible(page)
        page.get_by_label("Person").select_option(label="Alex Lead")
        page.get_by_label("Stands aside from").fill("The spending review of Testshire Council")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("The recusal was added to the disclosure.")).to_be_visible()
        expect(page.get_by_text("The roles are disclosed in the public register.")).to_be_visible()
        assert_accessible(page)

        # 5. Both sides sign with their passwords.
        open_collaboration(page)
        tab(page, "Contract")
        expect(page.get_by_role("region", name="Conflict of interest")).to_have_count(0)
        page.get_by_role("link", name="Read and sign for your side").click()
        expect(heading(page)).to_have_text("Sign the contract")
        expect(page.get_by_role("group", name="I sign for Code for Testing")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Your password").fill("not my password")
        page.get_by_role("button", name="Sign", exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text("That is not your password.")
        assert_accessible(page)
        page.get_by_label("Your password").fill(PASSWORD)
        submit_by_keyboard(page, "Sign")
        expect(page.get_by_text("You signed the contract for Code for Testing.")).to_be_visible()
        assert_accessible(page)

        switch_to(page, world.official.email)
        open_collaboration(page)
        tab(page, "Contract")
        page.get_by_role("link", name="Read and sign for your side").click()
        expect(page.get_by_role("group", name="I sign for Testshire Council")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Your password").fill(PASSWORD)
        page.get_by_role("button", name="Sign", exact=True).click()
        expect(
            page.get_by_text(
                "You signed the contract for Testshire Council. "
                "Both sides have signed: it is in force."
            )
        ).to_be_visible()
        expect(page.get_by_role("heading", name=re.compile(f"^{TITLE}.*In force"))).to_be_visible()
        assert_accessible(page)

        # 6. The milestone falls due: the lead invoices it.
        traveller.move_to(INVOICED_ON)
        page.goto("/")  # a session lasts two weeks: sign in again
        switch_to(page, world.civic_lead.email)
        open_collaboration(page)
        tab(page, "Invoices")
        assert_accessible(page)
        page.get_by_role("link", name="Add an invoice").click()
        expect(heading(page)).to_have_text("Add an invoice")
        assert_accessible(page)
        page.get_by_label("Invoice number").fill("CFT-2031-001")
        page.get_by_label("Payment milestone").select_option(label="First payment")
        page.get_by_label("Amount").fill("20000.00")
        expect(page.get_by_label("Currency")).to_have_value("AUD")
        expect(page.get_by_label("Issued on")).to_have_value("2031-05-15")
        page.get_by_label("Note").fill("The first payment of the contract.")
        submit_by_keyboard(page, "Add the invoice")
        expect(
            page.get_by_text("Invoice CFT-2031-001 is recorded, due on 14 Jun 2031.")
        ).to_be_visible()
        expect(invoice_row(page)).to_contain_text("Not due yet")
        assert_accessible(page)

        # 7. The council pays part of it in time...
        traveller.move_to(PART_PAID_ON)
        page.goto("/")
        switch_to(page, world.official.email)
        open_collaboration(page)
        tab(page, "Invoices")
        record_payment(page, "8000.00", "TC-PAY-1001")
        expect(invoice_row(page)).to_contain_text("8,000.00")
        expect(invoice_row(page)).to_contain_text("12,000.00")
        assert_accessible(page)

        # ...and the rest late. The lead sees it owed, then records what it received.
        traveller.move_to(PAID_ON)
        page.goto("/")
        switch_to(page, world.civic_lead.email)
        open_collaboration(page)
        tab(page, "Invoices")
        expect(invoice_row(page)).to_contain_text("6 days overdue")
        page.get_by_role("link", name="What every institution owes Code for Testing").click()
        expect(heading(page)).to_have_text("What institutions owe Code for Testing")
        owed = page.get_by_role("table", name="Overdue exposure per institution")
        council = owed.get_by_role("row", name=re.compile("^Testshire Council"))
        expect(council).to_contain_text("12,000.00")
        expect(council).to_contain_text("6 days late")
        assert_accessible(page)

        page.go_back()
        record_payment(page, "12000.00", "TC-PAY-1002")
        expect(invoice_row(page)).to_contain_text("Nothing: settled on 20 Jun 2031")
        expect(invoice_row(page)).to_contain_text("Paid in 36 days, 6 days late")
        owed_now = page.get_by_role("table", name=re.compile("^The invoices of this collaboration"))
        expect(owed_now.get_by_role("row", name=re.compile("^AUD"))).to_contain_text("20,000.00")
        assert_accessible(page)

        tab(page, "Contract")
        milestones = page.get_by_role("table", name=re.compile("^Deliverables, payments"))
        expect(milestones.get_by_role("row", name=re.compile("^First payment"))).to_contain_text(
            "Paid"
        )

        # 8. The council's payment record counts the invoice: 36 days to pay.
        tab(page, "Invoices")
        page.get_by_role("link", name="How Testshire Council pays, over time").click()
        expect(heading(page)).to_have_text("How Testshire Council pays its suppliers")
        expect(page.get_by_role("region", name="In short")).to_contain_text(
            "1 invoice paid, in 36.0 days on average (median 36.0); 0 by its due date."
        )
        quarters = page.get_by_role("table", name=re.compile("^Days from invoice to payment"))
        expect(quarters).to_contain_text("2031")
        chart = page.get_by_role("img", name=re.compile("^Box chart of the days"))
        expect(chart).to_be_visible()
        assert chart.evaluate("(img) => img.complete && img.naturalWidth > 0")
        expect(
            page.get_by_text("No invoice is open: everything you can see is paid.")
        ).to_be_visible()
        assert_accessible(page)

        # Nothing is owed to Code for Testing any more.
        page.go_back()
        page.get_by_role("link", name="What every institution owes Code for Testing").click()
        expect(page.get_by_role("heading", name="Nothing is owed")).to_be_visible()
        assert_accessible(page)


def test_the_council_records_that_its_consultation_was_held(page: Page, world):
    """After both sides signed, the official records from the milestone's row that the
    public consultation was held, with the keyboard at the end; the row then says so."""
    contract = draft(world, service_delivery(world, title=TITLE))
    held_on = contract.start_date - timedelta(days=20)
    contracts.add_milestone(
        world.civic_lead,
        contract,
        kind="engagement",
        title="Public consultation",
        due_on=held_on,
    )
    sign_both(world, contract)

    sign_in(page, world.official.email)
    open_collaboration(page)
    tab(page, "Contract")
    milestones = page.get_by_role("table", name=re.compile("^Deliverables, payments"))
    row = milestones.get_by_role("row", name=re.compile("^Public consultation"))
    expect(row).to_contain_text("Scheduled")
    row.get_by_role("link", name=re.compile("^Record the outcome")).click()
    expect(heading(page)).to_have_text("How did “Public consultation” go?")
    assert_accessible(page)
    page.get_by_role("group", name="Did it happen?").get_by_text("Yes: it was met").click()
    page.get_by_label("The day it happened").fill(held_on.isoformat())
    page.get_by_label("The day it happened").focus()
    submit_by_keyboard(page, "Record the outcome")
    expect(page.get_by_text("The outcome of “Public consultation” is recorded.")).to_be_visible()
    expect(row).to_contain_text("Met")
    expect(row).to_contain_text(f"On {held_on.day} {held_on:%b %Y}.")
    assert_accessible(page)
