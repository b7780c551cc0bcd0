"""The playbook's public pages in Chromium, with axe-core on each: the guidelines, a
model, the version history and a comparison, and an editor's edit form."""

import pytest
from playwright.sync_api import Page, expect

from civicbridge.playbook.services import edit_item

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_a_visitor_reads_the_guidelines_and_the_version_history(page: Page, world, playbook):
    edit_item(world.admin, playbook, "fellowship.mou_ready", "en", {"weight": 4})

    page.goto("/playbook/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Civic Bridge playbook")
    assert_accessible(page)

    page.get_by_role("link", name="Fellowship", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guidelines: Fellowship")
    expect(page.get_by_text("Also MOUs should be signed by both parties").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Version history").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Playbook versions")
    assert_accessible(page)

    page.get_by_role("link", name="Compare with version 1").click()
    expect(page.get_by_role("rowheader", name="fellowship.mou_ready")).to_be_visible()
    assert_accessible(page)


def test_an_editor_opens_the_edit_form(page: Page, world, playbook):
    sign_in(page, world.admin.email)
    page.goto("/playbook/fellowship/")
    page.get_by_role("link", name="Edit this condition").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit fellowship.")
    assert_accessible(page)
    page.get_by_role("button", name="Save as a new version").click()
    # No note given: the form says so, and nothing is saved.
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)
