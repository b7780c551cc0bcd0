"""The pages of one's own account: API tokens, inbox, reminder choices, calendar feed."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_token_inbox_preferences_and_calendar_pages(page: Page, world, playbook, live_server):
    sign_in(page, world.civic_lead.email)

    page.goto(f"{live_server.url}/accounts/tokens/")
    assert_accessible(page)
    page.get_by_label("Name").fill("Nightly report")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("cb_", exact=False).first).to_be_visible()
    assert_accessible(page)

    for path in ("/notifications/", "/notifications/preferences/", "/notifications/calendar/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)

    page.goto(f"{live_server.url}/api/docs")
    expect(page.locator(".swagger-ui")).to_be_visible()
