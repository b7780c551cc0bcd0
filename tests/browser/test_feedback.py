"""Beneficiaries' feedback in Chromium, with axe-core on every page: a resident gives
feedback on a public collaboration without an account, the civic side publishes it, the
institution answers it (the resident gets the answer by e-mail), and the public page shows
the feedback with the answer. On the way the civic side raises a shortcoming with its
solution in the register, and reads the overview of feedback."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Page, expect

from civicbridge.collaborations.choices import Model, Stage
from tests.factories import CollaborationFactory

from .helpers import assert_accessible, sign_in, submit_by_keyboard

pytestmark = pytest.mark.browser

DAY = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
TITLE = "Permits online"
WORKED = "Booking an inspection took two minutes."
DID_NOT = "The confirmation e-mail never came."
ANSWER = "Thank you: confirmations go out again since Monday."
RESIDENT = "resident@example.net"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def feedback_tab(page: Page, collaboration) -> None:
    page.goto(f"/collaborations/{collaboration.pk}/")
    tabs = page.get_by_role("navigation", name="Parts of this collaboration")
    tabs.get_by_role("link", name="Feedback", exact=True).click()
    expect(tabs.locator("[aria-current=page]")).to_have_text("Feedback")
    assert_accessible(page)


def test_feedback_from_a_resident_to_the_institutions_answer(page: Page, world):
    collaboration = CollaborationFactory.create(
        model=Model.SERVICE_DELIVERY,
        title=TITLE,
        civic_organisation=world.civic,
        institution=world.institution,
        stage=Stage.ACTIVE,
        public=True,
    )
    with time_machine.travel(DAY, tick=True) as traveller:
        # A resident, without an account.
        page.goto(f"/public/collaborations/{collaboration.pk}/feedback/")
        expect(heading(page)).to_have_text(f"Feedback on {TITLE}")
        expect(page.get_by_text("No feedback is published yet")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Give feedback").click()
        expect(heading(page)).to_have_text(f"Give feedback on {TITLE}")
        assert_accessible(page)
        page.get_by_label("What worked").fill(WORKED)
        page.get_by_label("What did not work").fill(DID_NOT)
        page.get_by_role("group", name="How good was it overall?").locator(
            "label", has_text="4 — good"
        ).click()
        email = page.get_by_label("E-mail address (optional)")
        email.fill(RESIDENT)
        traveller.shift(timedelta(seconds=5))  # a person takes a moment to fill it in
        submit_by_keyboard(page, "Send feedback", start=email)
        expect(page.get_by_text("Thank you. The organisers read every feedback")).to_be_visible()
        expect(page.get_by_text(WORKED)).to_have_count(0)  # not before moderation
        assert_accessible(page)

        # The civic side publishes it.
        sign_in(page, world.civic_lead.email)
        feedback_tab(page, collaboration)
        expect(page.get_by_text(f"Wants an answer at {RESIDENT}")).to_be_visible()
        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_text("The feedback is published")).to_be_visible()
        expect(
            page.get_by_text("Nothing waits: every feedback received is moderated.")
        ).to_be_visible()
        assert_accessible(page)

        # The register of shortcomings, on the same collaboration: raised with a solution.
        tabs = page.get_by_role("navigation", name="Parts of this collaboration")
        tabs.get_by_role("link", name="Shortcomings", exact=True).click()
        expect(page.get_by_text("No shortcoming is raised yet.")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Raise a shortcoming").click()
        page.get_by_label("Shortcoming", exact=True).fill("Confirmations are lost")
        page.get_by_label("Evidence").fill("One in three residents got no e-mail.")
        page.get_by_label("Proposed solution").fill("Send confirmations from the council's domain.")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("The shortcoming is in the register")).to_be_visible()
        expect(page.get_by_role("table", name="The register")).to_contain_text(
            "Confirmations are lost"
        )
        assert_accessible(page)
        page.goto("/feedback/")
        expect(page.get_by_role("table", name="Feedback per collaboration")).to_contain_text(TITLE)
        assert_accessible(page)
        page.get_by_role("button", name="Sign out").click()

        # The institution answers it.
        sign_in(page, world.official.email)
        feedback_tab(page, collaboration)
        expect(page.get_by_text(RESIDENT)).to_have_count(0)
        page.get_by_role("link", name="Answer").click()
        expect(heading(page)).to_have_text("Answer the feedback")
        assert_accessible(page)
        page.get_by_label("Your answer").fill(ANSWER)
        page.get_by_role("button", name="Publish the answer").click()
        expect(page.get_by_text("Your answer is published with the feedback.")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Sign out").click()

    assert [message.to for message in mail.outbox] == [[RESIDENT]]
    assert ANSWER in mail.outbox[0].body

    # Anyone reads the feedback and the answer, without the address.
    page.goto(f"/public/collaborations/{collaboration.pk}/feedback/")
    expect(page.get_by_text(WORKED)).to_be_visible()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    expect(page.get_by_text(RESIDENT)).to_have_count(0)
    expect(page.get_by_text("Average rating: 4.0 out of 5.")).to_be_visible()
    assert_accessible(page)
