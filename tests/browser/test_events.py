"""An event in Chromium, with axe-core on every page: an official poses a challenge, an
organiser publishes it and opens registration, and a visitor without an account registers
and confirms through the link in their e-mail."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Page, expect

from civicbridge.events.tests.eventdata import make_event

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

NOW = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
TITLE = "Testshire civic hackathon"
CHALLENGE = "Fewer missed bin collections"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Parts of this collaboration").get_by_role(
        "link", name=name, exact=True
    ).click()


def switch_to(page: Page, email: str) -> None:
    sign_out = page.get_by_role("button", name="Sign out")
    if sign_out.count():
        sign_out.click()
    sign_in(page, email)


def open_event(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    expect(heading(page)).to_have_text("Events")
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)


def test_from_a_challenge_to_a_confirmed_registration(page: Page, world, playbook):
    with time_machine.travel(NOW, tick=True) as traveller:
        make_event(world, capacity=30, start_date=date(2031, 4, 5), end_date=date(2031, 4, 6))

        # 1. The council's official poses a challenge from their own account.
        sign_in(page, world.official.email)
        open_event(page)
        assert_accessible(page)
        tab(page, "Challenges")
        expect(page.get_by_role("heading", name="Challenges from the institutions")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Pose a challenge").click()
        expect(heading(page)).to_have_text("Pose a challenge")
        assert_accessible(page)
        expect(page.get_by_label("Institution")).to_have_value(str(world.institution.pk))
        page.get_by_label("Title").fill(CHALLENGE)
        page.get_by_label("Problem statement").fill(
            "Residents report missed bins by phone; nobody sees the pattern."
        )
        page.get_by_label("Who is affected").fill("Residents and the waste team.")
        page.get_by_label("Data available").fill("Two years of missed-bin reports.")
        page.get_by_label("What success looks like").fill("The streets that miss most are known.")
        page.get_by_label("Owner official").select_option(label="Sam Official")
        page.locator("label", has_text="The owner commits to attend").click()
        page.get_by_role("button", name="Submit for review").click()
        expect(page.get_by_text("The challenge was submitted")).to_be_visible()
        expect(heading(page)).to_have_text(TITLE)
        assert_accessible(page)
        [submitted] = mail.outbox
        assert submitted.to == [world.civic_lead.email]

        # 2. The organiser publishes it; registration opens.
        switch_to(page, world.civic_lead.email)
        open_event(page)
        tab(page, "Challenges")
        page.get_by_role("table").get_by_role("link", name=CHALLENGE).click()
        expect(page.get_by_role("heading", name="Your review")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("group", name="Your decision").locator(
            "label", has_text="Publish it"
        ).click()
        page.get_by_label("Note to the institution").fill("A real problem, clearly put.")
        page.get_by_role("button", name="Save the decision").click()
        expect(page.get_by_text("The challenge is published.")).to_be_visible()
        assert_accessible(page)
        assert "published your challenge" in mail.outbox[-1].body

        tab(page, "Event")
        registration = page.get_by_role("region", name="Registration is closed")
        expect(registration).to_contain_text("1 challenge posed by an institution is published")
        assert_accessible(page)
        page.get_by_role("button", name="Open registration").click()
        expect(page.get_by_text("Registration is open: people register")).to_be_visible()
        expect(page.get_by_role("region", name="Registration is open")).to_be_visible()
        assert_accessible(page)
        public_url = page.get_by_role("link", name="Published").get_attribute("href")
        assert public_url is not None

        # 3. A visitor registers without an account and confirms by the e-mailed link.
        page.get_by_role("button", name="Sign out").click()
        page.goto(public_url)
        expect(heading(page)).to_have_text(TITLE)
        expect(page.get_by_role("heading", name=CHALLENGE)).to_be_visible()
        expect(page.get_by_text("30 places left of 30.")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Register").click()
        expect(heading(page)).to_have_text(f"Register for {TITLE}")
        assert_accessible(page)
        page.get_by_label("Your name").fill("Robin Resident")
        page.get_by_label("E-mail address").fill("robin@example.net")
        disciplines = page.get_by_role("group", name="What you bring")
        disciplines.locator("label", has_text="Designer").click()
        disciplines.locator("label", has_text="User or citizen").click()
        page.locator("label", has_text="I agree").click()
        traveller.shift(timedelta(seconds=5))  # a person takes a moment to fill it in
        page.get_by_role("button", name="Register").click()
        expect(page.get_by_text("Almost done: we sent a link to robin@example.net")).to_be_visible()
        assert_accessible(page)

        # The e-mail's link names the configured site; the path is what counts here.
        link = re.search(r"/registrations/\S+/confirm/", mail.outbox[-1].body)
        assert link, mail.outbox[-1].body
        page.goto(link.group(0))
        expect(heading(page)).to_have_text(f"Your registration for {TITLE}")
        assert_accessible(page)
        page.get_by_role("button", name="Confirm my registration").click()
        expect(page.get_by_role("heading", name="Your place is confirmed")).to_be_visible()
        assert_accessible(page)
        assert "Your place at" in mail.outbox[-1].body and "/cancel/" in mail.outbox[-1].body

        page.get_by_role("link", name=f"About {TITLE}").click()
        expect(page.get_by_text("29 places left of 30.")).to_be_visible()


# The last step (E5): a year of follow-ups starts with a link answered without an account.


def test_a_follow_up_link_answered_in_the_browser(page: Page, world, playbook):
    from civicbridge.core.dates import add_months
    from civicbridge.events.services.followups import run_follow_ups
    from civicbridge.events.tests.followupdata import EVENT_DAY, close, past_event, project

    one_month = datetime.combine(add_months(EVENT_DAY, 1), datetime.min.time(), tzinfo=UTC)
    with time_machine.travel(one_month + timedelta(hours=9), tick=True):
        event = past_event(world)
        project(world, event, "Bus times", contact="Ben Ode")
        close(world, event)
        run_follow_ups()
        [message] = mail.outbox
        link = re.search(r"/follow-ups/projects/\d+/\S+/", message.body)
        assert link, message.body

        page.goto(link.group(0))
        expect(heading(page)).to_have_text("What became of “Bus times”?")
        assert_accessible(page)
        page.get_by_role("group", name="What became of the project?").locator(
            "label", has_text="The institution adopted it"
        ).click()
        page.get_by_label("Evidence (a link)").fill("https://council.example/bus-times")
        page.get_by_label("Anything to add").fill("The council's web team runs it now.")
        page.get_by_role("button", name="Send the answer").click()
        expect(heading(page)).to_have_text("Thank you for your answer")
        assert_accessible(page)

        sign_in(page, world.civic_lead.email)
        page.goto(f"/collaborations/{event.collaboration_id}/follow-ups/")
        expect(page.get_by_role("heading", name="What became of each project")).to_be_visible()
        expect(page.get_by_role("table")).to_contain_text("Adopted by the institution")
        assert_accessible(page)
        tab(page, "Survival")
        expect(page.get_by_role("heading", name="Adopted by institutions")).to_be_visible()
        assert_accessible(page)
        page.goto("/public/events/survival/")
        expect(heading(page)).to_have_text("Do event projects survive?")
        assert_accessible(page)
