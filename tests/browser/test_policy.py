"""Policy development in Chromium, with axe-core on every page: the civic lead records a
change of the procurement rules and follows it from draft through consultation and adoption
to in force, each stage dated with its source; then imports the action plan's commitments
from an OGP-shaped CSV file through the upload page, skipping its bad rows, and finds them
on the Commitments tab."""

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from civicbridge.collaborations.choices import Model
from tests.factories import CollaborationFactory

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parents[2] / "civicbridge/policy/tests/data/commitments.csv"
TITLE = "Towards agile procurement"
CHANGE = "Allow challenge-based procurement"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def tab(page: Page, name: str) -> None:
    tabs = page.get_by_role("navigation", name="Parts of this collaboration")
    tabs.get_by_role("link", name=name, exact=True).click()
    expect(tabs.locator("[aria-current=page]")).to_have_text(name)
    assert_accessible(page)


def days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def record_change(page: Page) -> None:
    tab(page, "Policy changes")
    page.get_by_role("link", name="Record a policy change").click()
    expect(heading(page)).to_have_text("Record a policy change")
    assert_accessible(page)
    page.get_by_label("Title").fill(CHANGE)
    page.get_by_label("Instrument").select_option(label="Procurement rule")
    page.get_by_label("The body that decides").fill("Testshire Council, full meeting")
    page.get_by_label("The current text").fill("Every purchase above 100,000 goes to tender.")
    page.get_by_label("The proposed change").fill("Digital services up to 250,000 by challenge.")
    page.get_by_label("On", exact=True).fill(days_ago(60))
    page.get_by_label("Source (text)").fill("Draft amendment, version 1.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The policy change was recorded as a draft.")).to_be_visible()
    expect(page.get_by_test_id("policy-stage")).to_have_text("Draft")
    assert_accessible(page)


def move(page: Page, stage: str, days: int) -> None:
    page.get_by_role("link", name="Record the next stage").click()
    expect(heading(page)).to_have_text(f"Record the next stage of “{CHANGE}”")
    assert_accessible(page)
    page.get_by_label("New stage").select_option(label=stage)
    page.get_by_label("On", exact=True).fill(days_ago(days))
    page.get_by_label("Source (link)").fill(
        f"https://example.org/{stage.lower().replace(' ', '-')}"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The new stage was recorded.")).to_be_visible()
    expect(page.get_by_test_id("policy-stage")).to_have_text(stage)
    assert_accessible(page)


def first_rows(tmp_path: Path, count: int) -> Path:
    """The fixture's header and first `count` commitments (row 59, a bad one, among them):
    enough for a page and a half of the plan, quick to import on a busy machine."""
    with FIXTURE.open(newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))[: count + 1]
    path = tmp_path / "plan.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return path


def import_commitments(page: Page, file: Path) -> None:
    tab(page, "Commitments")
    expect(page.get_by_text("No commitment yet.")).to_be_visible()
    page.get_by_role("link", name="Import commitments from a CSV file").click()
    expect(heading(page)).to_have_text("Import commitments")
    assert_accessible(page)
    page.get_by_label("Policy collaboration").select_option(label=TITLE)
    page.get_by_label("Commitments (CSV)").set_input_files(str(file))
    skip = page.get_by_label("Skip the rows with problems and import the others")
    page.locator("label", has_text="Skip the rows with problems").click()  # the styled box
    expect(skip).to_be_checked()
    page.get_by_role("button", name="Check and import").click()
    summary = page.get_by_test_id("import-summary")
    expect(summary).to_contain_text("commitments: 69 created, 0 updated, 0 unchanged, 1 skipped")
    expect(summary).to_contain_text("Row 59")
    assert_accessible(page)


def test_a_change_through_its_stages_and_an_action_plan_imported(
    page: Page, world, playbook, tmp_path
):
    policy = CollaborationFactory(
        model=Model.POLICY,
        title=TITLE,
        civic_organisation=world.civic,
        institution=world.institution,
    )
    sign_in(page, world.civic_lead.email)
    page.goto(f"/collaborations/{policy.pk}/")
    expect(heading(page)).to_have_text(TITLE)
    assert_accessible(page)

    record_change(page)
    move(page, "Consultation", 40)
    move(page, "Adopted", 20)
    move(page, "In force", 5)
    stages = page.get_by_role("table", name="Each stage the change reached, with its source")
    expect(stages.get_by_role("row")).to_have_count(5)  # the header and four stages
    expect(page.get_by_role("link", name="Record the next stage")).to_have_count(0)
    tab(page, "Consultation")

    page.goto(f"/collaborations/{policy.pk}/")
    import_commitments(page, first_rows(tmp_path, 70))
    page.goto(f"/collaborations/{policy.pk}/")
    tab(page, "Commitments")
    plan = page.get_by_role("table", name="The commitments of the action plan")
    expect(plan.get_by_role("row")).to_have_count(51)  # the header and a page of 50
    plan.get_by_role("link").first.click()
    expect(page.get_by_test_id("commitment-completion")).to_be_visible()
    assert_accessible(page)
