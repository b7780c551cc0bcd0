"""A whole training programme in Chromium, with axe-core on every page: proposed, its
curriculum and officials of two departments, a session, capacity rated before by link,
agreed and active, attendance taken on the day, rated again after, certificates made,
closed, and the follow-ups at three and six months answered by link."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from playwright.sync_api import Page, expect

from civicbridge.training.models import SelfAssessment
from civicbridge.training.services.capacity import answer_path
from tests.factories import DepartmentFactory

from .helpers import PDF_TIMEOUT_MS, assert_accessible, sign_in
from .test_fellowship import advance, expect_stage, heading, tab

pytestmark = pytest.mark.browser

PROPOSED_ON = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
AFTER_THE_SESSION = datetime(2031, 3, 20, 14, 0, tzinfo=UTC)
AFTER_THE_END = datetime(2031, 5, 2, 9, 0, tzinfo=UTC)
SIX_MONTHS_ON = datetime(2031, 9, 25, 9, 0, tzinfo=UTC)
TITLE = "Open data for officials"


def answer_by_link(page: Page, official: str, moment: str, score: str) -> None:
    """The official opens their link, without an account, and rates every objective."""
    assessment = SelfAssessment.objects.get(participant__person__name=official, moment=moment)
    page.goto(answer_path(assessment))
    expect(heading(page)).to_have_text(f"Your capacity: {TITLE}")
    assert_accessible(page)
    for group in page.get_by_role("group").all():
        group.locator("label", has_text=score).click()
    page.get_by_role("button", name="Send my answers").click()
    expect(heading(page)).to_have_text("Thank you")
    assert_accessible(page)


def add_participant(page: Page, name: str) -> None:
    page.get_by_role("link", name="Add a participant").click()
    expect(heading(page)).to_have_text("Add a participant")
    assert_accessible(page)
    page.get_by_label("Official").select_option(label=name)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The participant was added.")).to_be_visible()


def add_module(page: Page, title: str, objective: str, *, required: bool) -> None:
    page.get_by_role("link", name="Add a module").click()
    expect(heading(page)).to_have_text("Add a module")
    assert_accessible(page)
    page.get_by_label("Title").fill(title)
    if not required:
        page.locator("label", has_text="Required for the certificate").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The module was added.")).to_be_visible()
    page.get_by_role("link", name=f"Add a learning objective to {title}").click()
    assert_accessible(page)
    page.get_by_label("Learning objective").fill(objective)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The learning objective was added.")).to_be_visible()


def test_a_whole_training_programme_from_proposal_to_follow_ups(
    page: Page, page_problems, world, playbook
):
    from tests.factories import MembershipFactory, PersonFactory

    planning = DepartmentFactory.create(organisation=world.institution, name="Planning")
    lee = PersonFactory.create(name="Lee Planner", email="lee@council.example")
    MembershipFactory.create(person=lee, organisation=world.institution, department=planning)

    with time_machine.travel(PROPOSED_ON, tick=True) as traveller:
        # 1. The civic lead proposes the programme.
        sign_in(page, world.civic_lead.email)
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Collaborations"
        ).click()
        page.get_by_role("link", name="Propose a collaboration").click()
        expect(heading(page)).to_have_text("Propose a collaboration")
        page.get_by_label("Model").select_option(label="Training programme")
        page.get_by_label("Title", exact=True).fill(TITLE)
        page.get_by_label("Civic organisation").select_option(label="Code for Testing")
        page.get_by_label("Institution", exact=True).select_option(label="Testshire Council")
        page.get_by_label("Start date").fill("2031-03-10")
        page.get_by_label("End date").fill("2031-04-30")
        page.get_by_role("button", name="Save").click()
        expect(heading(page)).to_have_text(TITLE)
        assert_accessible(page)
        advance(page, "Preparing")
        expect_stage(page, "Preparing")

        # 2. The curriculum: a required module and an optional one.
        tab(page, "Curriculum")
        expect(page.get_by_role("heading", name="No modules yet")).to_be_visible()
        assert_accessible(page)
        add_module(page, "Open data basics", "Choose a licence", required=True)
        add_module(page, "Dashboards", "Build a dashboard", required=False)
        expect(page.get_by_text("Required", exact=True)).to_be_visible()
        expect(page.get_by_text("Optional", exact=True)).to_be_visible()
        assert_accessible(page)

        # 3. Officials of two departments.
        tab(page, "Participants")
        assert_accessible(page)
        add_participant(page, "Sam Official")
        add_participant(page, "Lee Planner")
        table = page.get_by_role("table", name=re.compile("^Participants"))
        expect(table).to_contain_text("Digital Services")
        expect(table).to_contain_text("Planning")
        assert_accessible(page)

        # 4. A session on the 20th of March.
        tab(page, "Sessions")
        assert_accessible(page)
        page.get_by_role("link", name="Plan a session").click()
        expect(heading(page)).to_have_text("Plan a session")
        assert_accessible(page)
        page.get_by_label("Title").fill("Day one")
        page.get_by_label("Starts at").fill("2031-03-20T09:00")
        page.get_by_label("Ends at").fill("2031-03-20T13:00")
        page.get_by_label("Place").fill("Town hall, room 2")
        page.get_by_label("Seats").fill("10")
        page.locator("label", has_text="Open data basics").click()
        page.locator("label", has_text="Dashboards").click()
        page.locator("label", has_text="Alex Lead").click()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("The session was planned.")).to_be_visible()
        page.get_by_role("link", name="Day one").click()
        assert_accessible(page)
        page.locator("label", has_text="Sam Official").click()
        page.locator("label", has_text="Lee Planner").click()
        page.get_by_role("button", name="Invite").click()
        expect(page.get_by_text("2 officials were invited.")).to_be_visible()
        assert_accessible(page)

        # 5. Both rate their capacity before, by link, without an account.
        page.get_by_role("button", name="Sign out").click()
        answer_by_link(page, "Sam Official", "before", "2 — I know a little")
        answer_by_link(page, "Lee Planner", "before", "1 — I cannot do this yet")

        sign_in(page, world.civic_lead.email)
        page.goto(f"/collaborations/{_programme_pk()}/")
        advance(page, "Agreed")
        expect_stage(page, "Agreed")
        assert_accessible(page)

        # 6. The day of the session: active, and attendance on the tablet.
        traveller.move_to(AFTER_THE_SESSION)
        page.goto("/")
        sign_in(page, world.civic_lead.email)
        page.goto(f"/collaborations/{_programme_pk()}/")
        advance(page, "Active")
        expect_stage(page, "Active")
        tab(page, "Sessions")
        page.get_by_role("link", name="Day one").click()
        page.get_by_role("link", name="Take attendance").click()
        expect(heading(page)).to_have_text(TITLE)
        assert_accessible(page)
        page.locator("label", has_text="Sam Official").click()
        page.locator("label", has_text="Lee Planner").click()
        page.get_by_role("button", name="Save attendance").click()
        expect(page.get_by_text("Attendance saved: 2 came, 0 did not.")).to_be_visible()
        assert_accessible(page)

        # 7. Both rate again after; the capacity tab keeps a group of two back.
        page.get_by_role("button", name="Sign out").click()
        answer_by_link(page, "Sam Official", "after", "4 — I can do it on my own")
        answer_by_link(page, "Lee Planner", "after", "3 — I can do it with help")
        sign_in(page, world.civic_lead.email)
        page.goto(f"/collaborations/{_programme_pk()}/")
        tab(page, "Capacity")
        expect(
            page.get_by_text("fewer than 5 answers: not shown, to protect participants").first
        ).to_be_visible()
        assert_accessible(page)

        # 8. Certificates, made by the task worker, with a progress page.
        tab(page, "Participants")
        page.get_by_role("button", name="Make the certificates").click()
        expect(page.get_by_role("heading", name="The certificates are made")).to_be_visible(
            timeout=PDF_TIMEOUT_MS
        )
        assert_accessible(page)
        page.get_by_role("link", name="Download them from the participants").click()
        expect(page.get_by_role("link", name="Download (PDF) Sam Official")).to_be_visible()
        assert_accessible(page)

        # 9. After the end: closing, closed; the follow-ups are planned.
        traveller.move_to(AFTER_THE_END)
        page.goto("/")
        sign_in(page, world.civic_lead.email)
        page.goto(f"/collaborations/{_programme_pk()}/")
        advance(page, "Closing")
        expect_stage(page, "Closing")
        advance(page, "Closed")
        expect_stage(page, "Closed")
        tab(page, "Capacity")
        expect(page.get_by_text("Three months on: 0 of 2 answered")).to_be_visible()
        assert_accessible(page)

        # 10. Six months on, both follow-ups are answered by link.
        traveller.move_to(SIX_MONTHS_ON)  # the civic lead's session has ended by now
        for moment in ("3m", "6m"):
            answer_by_link(page, "Sam Official", moment, "5 — I can teach others")
            answer_by_link(page, "Lee Planner", moment, "4 — I can do it on my own")
        sign_in(page, world.civic_lead.email)
        page.goto(f"/collaborations/{_programme_pk()}/")
        tab(page, "Capacity")
        expect(page.get_by_text("Six months on: 2 of 2 answered")).to_be_visible()
        assert_accessible(page)
    assert page_problems.report() == ""


def _programme_pk() -> int:
    from civicbridge.collaborations.models import Collaboration

    return Collaboration.objects.get(title=TITLE).pk
