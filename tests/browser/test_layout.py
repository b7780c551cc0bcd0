"""Pages that fit, at 1280 px and on a phone (390 px): nothing of the main content is cut
off or pushes the page wider, tables stack or wrap, the stage indicator keeps its labels,
the heading's action does not overlap the heading; and the calendar page's copy button."""

import itertools
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from civicbridge.collaborations.choices import Stage
from civicbridge.events.tests.eventdata import confirmed, open_event
from tests.factories import PASSWORD, CollaborationFactory

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LONG = "Accessible planning permits for residents of the Testshire hinterland and its islands"


@pytest.fixture
def portfolio(world, playbook):
    """Collaborations with long titles and names, an active fellowship, and a full event."""
    today = timezone.localdate()
    world.civic.name = "Code for Testing and the Civic Technologists of the Southern Regions"
    world.civic.save(update_fields=["name"])
    for number in range(4):
        CollaborationFactory.create(
            title=f"{LONG} ({number})",
            civic_organisation=world.civic,
            institution=world.institution,
        )
    active = CollaborationFactory.create(
        title="Open data fellowship",
        civic_organisation=world.civic,
        institution=world.institution,
        stage=Stage.ACTIVE,
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=150),
    )
    event = open_event(world, capacity=1, title=f"{LONG}: the hackathon")
    confirmed(event, "Ann")
    return {"fellowship": active, "event": event}


def overflow(page: Page) -> dict:
    """How far the page, and each table region, reach past their width (0: they fit)."""
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            const main = document.querySelector("main");
            const regions = [...document.querySelectorAll(".usa-table-container--scrollable")];
            return {
                page: root.scrollWidth - root.clientWidth,
                main: main.scrollWidth - main.clientWidth,
                tables: regions.map((region) => region.scrollWidth - region.clientWidth),
            };
        }"""
    )


def assert_fits(page: Page, *, tables_fit: bool) -> None:
    found = overflow(page)
    assert found["page"] <= 0 and found["main"] <= 0, f"{page.url} is too wide: {found}"
    if tables_fit:
        assert all(extra <= 1 for extra in found["tables"]), f"{page.url} cuts a table: {found}"


def inside_viewport(page: Page, locator) -> bool:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return (
        box is not None and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= width
    )


def pages(world, portfolio) -> list[str]:
    return [
        "/collaborations/",
        "/events/",
        portfolio["fellowship"].get_absolute_url(),
        world.civic.get_absolute_url(),
        f"/organisations/{world.institution.pk}/people/",
        f"/organisations/{world.civic.pk}/collaborations/",
        "/notifications/calendar/",
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_main_pages_fit_the_screen(page: Page, world, portfolio, viewport):
    sign_in(page, world.civic_lead.email)  # at 1280 px, where the header shows who it is
    page.set_viewport_size(viewport)
    for path in pages(world, portfolio):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        # At 1280 px every table fits; on a phone it stacks (or scrolls in its own region).
        assert_fits(page, tables_fit=True)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_last_columns_of_the_lists_are_on_screen(page: Page, world, portfolio, viewport):
    sign_in(page, world.civic_lead.email)  # at 1280 px, where the header shows who it is
    page.set_viewport_size(viewport)
    page.goto("/collaborations/")
    stages = page.locator("main td[data-label='Stage']")
    expect(stages.first).to_be_visible()
    assert all(inside_viewport(page, stages.nth(i)) for i in range(stages.count()))
    page.goto("/events/")
    registration = page.locator("main td[data-label='Registration']").first
    expect(registration).to_have_text("Full — waiting list")
    assert inside_viewport(page, registration)
    assert_accessible(page)


def test_on_a_phone_the_action_does_not_overlap_the_heading(page: Page, world, portfolio):
    sign_in(page, world.civic_lead.email)
    page.set_viewport_size(PHONE)
    page.goto("/collaborations/")
    heading = page.get_by_role("heading", level=1).bounding_box()
    button = page.get_by_role("link", name="Propose a collaboration").bounding_box()
    assert heading and button
    side_by_side = button["x"] >= heading["x"] + heading["width"]
    below = button["y"] >= heading["y"] + heading["height"]
    assert side_by_side or below, (heading, button)
    assert button["x"] + button["width"] <= PHONE["width"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_stage_indicator_keeps_its_labels(page: Page, world, portfolio, viewport):
    sign_in(page, world.civic_lead.email)  # at 1280 px, where the header shows who it is
    page.set_viewport_size(viewport)
    page.goto(portfolio["fellowship"].get_absolute_url())
    labels = page.locator(".usa-step-indicator__segment-label")
    assert labels.count() == 6
    for index in range(6):
        label = labels.nth(index)
        expect(label).to_be_visible()
        assert inside_viewport(page, label), label.text_content()
    boxes = [labels.nth(index).bounding_box() for index in range(6)]
    for left, right in itertools.pairwise(boxes):
        assert left and right and left["x"] + left["width"] <= right["x"] + 1, "labels overlap"
    assert_accessible(page)


def test_the_calendar_address_is_copied_by_its_button(page: Page, context, world, live_server):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, world.official.email)
    page.goto("/notifications/calendar/")
    address = page.get_by_label("Your private calendar address")
    expected = address.input_value()
    assert expected.endswith(".ics")
    page.get_by_role("button", name="Copy the address").click()
    expect(page.get_by_role("status")).to_have_text(
        "The address is copied: paste it into your calendar application."
    )
    assert page.evaluate("() => navigator.clipboard.readText()") == expected
    page.get_by_role("button", name="Google Calendar").click()
    expect(page.get_by_text("“From URL”", exact=False)).to_be_visible()
    assert_accessible(page)


def test_without_javascript_the_calendar_page_offers_the_address_and_no_dead_button(
    browser, world, live_server
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        # Signed in by hand: axe, which sign_in runs, needs JavaScript.
        page.goto("/accounts/login/")
        page.get_by_label("E-mail address").fill(world.official.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
        page.goto("/notifications/calendar/")
        address = page.get_by_label("Your private calendar address")
        expect(address).to_have_value(
            re.compile(rf"^{re.escape(live_server.url)}/calendar/.+\.ics$")
        )
        expect(page.get_by_role("button", name="Copy the address")).to_be_hidden()
        expect(page.get_by_text("New Calendar Subscription", exact=False)).to_be_visible()
    finally:
        context.close()


def test_moving_before_the_end_date_is_confirmed_on_its_own_page(
    page: Page, world, portfolio, monkeypatch
):
    from civicbridge.playbook import checks

    monkeypatch.setattr(checks, "_registry", {**checks._registry})
    checks._registry["collaborations.agreement_signed"] = lambda c: (True, "Signed.")
    sign_in(page, world.civic_lead.email)
    page.goto(portfolio["fellowship"].get_absolute_url())
    page.get_by_role("button", name="Move to “Closing” before the end date…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Move to “Closing” before the end date?"
    )
    assert_accessible(page)
    page.get_by_role("link", name="No, keep it as it is").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data fellowship")
    expect(page.get_by_text("Active", exact=True).first).to_be_visible()


def test_the_new_pages_are_accessible(page: Page, world, portfolio):
    for path in ("/public/events/", "/open-data/", "/conflicts-of-interest/"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    sign_in(page, world.civic_lead.email)
    for path in (
        world.civic.get_absolute_url(),
        f"/organisations/{world.civic.pk}/people/",
        f"/organisations/{world.civic.pk}/supplier/",
    ):
        page.goto(path)
        expect(
            page.get_by_role("navigation", name=f"Sections of {world.civic.name}")
        ).to_be_visible()
        assert_accessible(page)
