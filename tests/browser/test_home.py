"""Home as the people who land on it: the civic lead's portfolio, whose numbers open the
lists they count, and the platform admin's view of the platform's work; both accessible."""

import re

import pytest
from playwright.sync_api import Page, expect

from civicbridge.collaborations.tests.test_portfolio import mixed_portfolio
from tests.factories import ImportRunFactory

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_the_civic_lead_opens_the_list_behind_a_portfolio_number(
    page: Page, world, playbook, live_server
):
    mixed_portfolio(world)
    sign_in(page, world.civic_lead.email)
    page.goto("/")
    portfolio = page.get_by_role("region", name="Your portfolio at a glance")
    expect(portfolio).to_be_visible()
    expect(portfolio.get_by_role("table")).to_contain_text("Training programme")
    expect(portfolio.get_by_role("img").first).to_be_visible()
    assert_accessible(page)

    at_risk = portfolio.get_by_role("link", name=re.compile("collaborations at risk"))
    count = at_risk.inner_text().split()[0]
    at_risk.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Collaborations")
    expect(page.locator("#collaboration-count")).to_have_text(
        re.compile(rf"^{count} collaborations?$")
    )
    expect(page.get_by_label("At risk")).to_have_value("any")
    assert_accessible(page)


def test_the_platform_admin_lands_on_the_platforms_work(page: Page, world, playbook, live_server):
    ImportRunFactory.create(created_by=world.admin, filename="councils.json")
    sign_in(page, world.admin.email)
    page.goto("/")
    work = page.get_by_role("region", name="The platform's work")
    expect(work).to_be_visible()
    expect(work.get_by_role("link", name="councils.json")).to_be_visible()
    expect(work.get_by_role("link", name=re.compile("Tasks failed"))).to_be_visible()
    expect(page.get_by_text("Your account does not act for an organisation")).to_have_count(0)
    assert_accessible(page)
