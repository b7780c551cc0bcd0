"""A consulting engagement in Chromium, with axe-core on every page: the scope and the
institution's questions, a deliverable sent, sent back with a comment, sent again and
accepted by the institution, then a recommendation with its owner and an update on its
adoption that both sides read on its timeline."""

import pytest
from playwright.sync_api import Page, expect

from civicbridge.collaborations.choices import Model, Stage
from tests.factories import CollaborationFactory

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

TITLE = "Advice on open permits"
FIRST_LOAD_MS = 60_000
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def switch_to(page: Page, email: str) -> None:
    """Sign out whoever is signed in, then sign in as `email`."""
    sign_out = page.get_by_role("button", name="Sign out")
    if sign_out.count():
        sign_out.click()
    sign_in(page, email)


def open_tab(page: Page, collaboration, name: str) -> None:
    """Open the collaboration's page, then one of its tabs."""
    page.goto(f"/collaborations/{collaboration.pk}/")
    page.get_by_role("navigation", name="Parts of this collaboration").get_by_role(
        "link", name=name, exact=True
    ).click()
    expect(
        page.get_by_role("navigation", name="Parts of this collaboration").locator(
            "[aria-current=page]"
        )
    ).to_have_text(name)
    assert_accessible(page)


def send_version(page: Page, collaboration, name: str, note: str = "") -> None:
    open_tab(page, collaboration, "Engagement")
    page.get_by_role("link", name="Permit data review").click()
    assert_accessible(page)
    page.get_by_role("link", name="Send a version").click()
    expect(heading(page)).to_have_text("Send a version of “Permit data review”")
    assert_accessible(page)
    page.get_by_label("File").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": PDF}
    )
    if note:
        page.get_by_label("What is new").fill(note)
    page.get_by_role("button", name="Send the version").click()
    expect(
        page.get_by_text("The version went to Testshire Council for acceptance.")
    ).to_be_visible()
    assert_accessible(page)


def open_deliverable_as_institution(page: Page, collaboration) -> None:
    open_tab(page, collaboration, "Engagement")
    page.get_by_role("link", name="Permit data review").click()
    expect(page.get_by_role("heading", name="Waiting for Testshire Council")).to_be_visible()
    assert_accessible(page)


def test_a_consulting_engagement_from_a_deliverable_to_its_adoption(
    page: Page, page_problems, world, playbook
):
    collaboration = CollaborationFactory.create(
        model=Model.CONSULTING,
        title=TITLE,
        civic_organisation=world.civic,
        institution=world.institution,
        stage=Stage.ACTIVE,
    )

    # The live server's first answer builds its URLs and templates: on a busy machine that
    # alone can pass the per-step timeout, which is about the pages, not the start.
    page.goto("/accounts/login/", timeout=FIRST_LOAD_MS)

    # 1. The civic lead writes the scope and the questions, and plans a deliverable.
    sign_in(page, world.civic_lead.email)
    open_tab(page, collaboration, "Engagement")
    page.get_by_role("link", name="Write the scope and questions").click()
    expect(heading(page)).to_have_text("The scope and the institution's questions")
    assert_accessible(page)
    page.get_by_label("Scope").fill("Which permit data the council can publish, and how.")
    page.get_by_label("The institution's questions").fill(
        "Which permit data do residents ask for?\nWhat stops us publishing it?"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The engagement was saved.")).to_be_visible()
    expect(
        page.get_by_role("listitem").filter(has_text="What stops us publishing it?")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Plan a deliverable").click()
    expect(heading(page)).to_have_text("Plan a deliverable")
    assert_accessible(page)
    page.get_by_label("Title").fill("Permit data review")
    page.get_by_label("Kind").select_option(label="Review")
    page.get_by_label("Due on").fill("2031-05-30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The deliverable was planned.")).to_be_visible()
    table = page.get_by_role("table", name="What the civic organisation hands over")
    expect(table).to_contain_text("Not submitted yet")
    assert_accessible(page)

    # 2. The civic lead sends the first version.
    send_version(page, collaboration, "permit-review.pdf")

    # 3. The official asks for changes; a comment is required.
    switch_to(page, world.official.email)
    open_deliverable_as_institution(page, collaboration)
    page.get_by_role("link", name="Ask for changes").click()
    expect(heading(page)).to_have_text("Ask for changes to “Permit data review”")
    assert_accessible(page)
    page.get_by_role("button", name="Ask for changes").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What should change").fill("Add the fees charged for each permit.")
    page.get_by_role("button", name="Ask for changes").click()
    expect(page.get_by_text("The civic organisation was asked for changes.")).to_be_visible()
    assert_accessible(page)

    # 4. The civic lead reads the comment and sends a second version.
    switch_to(page, world.civic_lead.email)
    open_tab(page, collaboration, "Engagement")
    page.get_by_role("link", name="Permit data review").click()
    expect(page.get_by_text("Add the fees charged for each permit.")).to_be_visible()
    send_version(page, collaboration, "permit-review-v2.pdf", note="Fees added in chapter 3.")

    # 5. The official accepts it: accepted after changes.
    switch_to(page, world.official.email)
    open_deliverable_as_institution(page, collaboration)
    page.get_by_role("button", name="Accept this version").click()
    expect(
        page.get_by_text("“Permit data review” is accepted: Testshire Council owns the result.")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Accepted after changes")
    assert_accessible(page)

    # 6. The official records a recommendation of the review, owned by themself.
    page.get_by_role("link", name="Add a recommendation").click()
    expect(heading(page)).to_have_text("Add a recommendation")
    assert_accessible(page)
    page.get_by_label("Recommendation").fill("Publish the permit register every week.")
    page.get_by_label("The finding it rests on").fill("Residents ask for it by e-mail weekly.")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_label("Owner at the institution").select_option(label="Sam Official")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The recommendation was recorded.")).to_be_visible()
    expect(page.get_by_role("table", name="Every recommendation")).to_contain_text("Sam Official")
    assert_accessible(page)

    # 7. The official records where it stands, with the evidence.
    page.get_by_role("link", name="Publish the permit register every week.").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record an update").click()
    assert_accessible(page)
    page.get_by_role("group", name="How far is it done?").locator(
        "label", has_text="Substantial"
    ).click()
    page.get_by_role("group", name="Did it change how the institution works?").locator(
        "label", has_text="Major"
    ).click()
    page.get_by_label("Evidence (optional)", exact=True).fill(
        "The register is published every Monday."
    )
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("The update was recorded on the recommendation's timeline.")
    ).to_be_visible()
    assert_accessible(page)

    # 8. The civic lead reads the same timeline.
    switch_to(page, world.civic_lead.email)
    open_tab(page, collaboration, "Recommendations")
    page.get_by_role("link", name="Publish the permit register every week.").click()
    timeline = page.get_by_role("region", name="Timeline of its adoption").or_(
        page.locator("section", has=page.get_by_role("heading", name="Timeline of its adoption"))
    )
    expect(timeline).to_contain_text("The register is published every Monday.")
    expect(timeline).to_contain_text("Recorded by Sam Official for Testshire Council.")
    assert_accessible(page)
