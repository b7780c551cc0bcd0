"""End-to-end journeys through Civic Bridge in Chromium, with axe-core on every page."""

import json
import re
import signal
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

import conftest as root_conftest
from civicbridge.partners.models import ImportRun
from tests.factories import PASSWORD

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

POPOLO_FILE = (
    Path(root_conftest.__file__).parent
    / "civicbridge"
    / "partners"
    / "data"
    / "tas_local_councillor_popolo.json"
)
SCREENSHOTS = Path("/tmp")


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def test_sign_in_browse_and_export(page: Page, world, live_server):
    sign_in(page, world.civic_lead.email)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {world.civic_lead.email}")
    expect(page.get_by_role("link", name="Code for Testing", exact=True)).to_be_visible()
    assert_accessible(page)

    main_nav(page).get_by_role("link", name="Organisations").click()
    expect(page).to_have_url(f"{live_server.url}/organisations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    expect(page.get_by_role("table")).to_contain_text("3 organisations")
    assert_accessible(page)

    page.get_by_label("Search by name or city").fill("Testshire")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/organisations/\?q=Testshire"))
    results = page.get_by_role("table")
    expect(results.locator("caption")).to_have_text("1 organisation")
    expect(results.get_by_role("rowheader")).to_have_text(["Testshire Council"])
    assert_accessible(page)

    results.get_by_role("link", name="Testshire Council").click()
    expect(page).to_have_url(f"{live_server.url}/organisations/{world.institution.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Testshire Council")
    sections = page.get_by_role("navigation", name="Sections of Testshire Council")
    sections.get_by_role("link", name="People").click()
    expect(sections.locator("[aria-current=page]")).to_have_text("People")
    people = page.get_by_role("table", name="People in Testshire Council")
    expect(people.get_by_role("rowheader")).to_have_text(["Jo Fellow", "Sam Official"])
    page.screenshot(path=SCREENSHOTS / "civicbridge-organisation.png", full_page=True)
    assert_accessible(page)

    people.get_by_role("link", name="Sam Official").click()
    expect(page).to_have_url(f"{live_server.url}/people/{world.official.person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Official")
    memberships = page.get_by_role("table", name="Memberships of Sam Official")
    expect(memberships.get_by_role("rowheader")).to_have_text(["Testshire Council"])
    assert_accessible(page)

    memberships.get_by_role("link", name="Testshire Council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Testshire Council")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as Popolo JSON").click()
    download = download_info.value
    assert download.suggested_filename == f"popolo-organisation-{world.institution.pk}.json"
    assert download.failure() is None
    popolo = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert "Testshire Council" in [o["name"] for o in popolo["organizations"]]
    assert "Digital Services" in [o["name"] for o in popolo["organizations"]]
    assert sorted(p["name"] for p in popolo["persons"]) == ["Jo Fellow", "Sam Official"]
    assert "Code for Testing" not in [o["name"] for o in popolo["organizations"]]


def upload_popolo(page: Page, *, country: str) -> None:
    """Fill and send the import form on /imports/."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Import organisations and people")
    format_group = page.get_by_role("group", name="File format")
    # USWDS hides the native radio off-screen and draws its own: choose it by its label.
    format_group.locator("label", has_text="Popolo JSON").click()
    expect(format_group.get_by_role("radio", name=re.compile("^Popolo JSON"))).to_be_checked()
    # The native file input keeps the name its label gives it.
    page.get_by_label("File", exact=True).set_input_files(POPOLO_FILE)
    page.get_by_label("Country of new organisations").fill(country)
    expect(page.get_by_role("checkbox", name=re.compile("^Check only"))).not_to_be_checked()
    page.get_by_role("button", name="Upload and import").click()


def summary_lines(page: Page) -> list[str]:
    return page.get_by_test_id("import-summary").get_by_role("listitem").all_inner_texts()


def run_db_worker_once() -> None:
    """Run the django-tasks-db worker in this process until the queue is empty."""
    handlers = {
        sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    try:
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
        )
    finally:
        # The worker installs its own shutdown handlers; give pytest its Ctrl+C back.
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def test_admin_imports_popolo_with_progress(page: Page, world, live_server, settings):
    sign_in(page, world.admin.email)
    main_nav(page).get_by_role("link", name="Import").click()
    expect(page).to_have_url(f"{live_server.url}/imports/")
    expect(page.get_by_text("No imports yet.")).to_be_visible()
    assert_accessible(page)

    # First upload: tasks run immediately (the autouse fixture), so the page is done at once.
    upload_popolo(page, country="Australia")
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import of tas_local_councillor_popolo.json"
    )
    expect(page.get_by_test_id("import-summary")).to_be_visible()
    lines = summary_lines(page)
    for expected in (
        "organizations: 33 created, 0 updated, 0 unchanged",
        "persons: 263 created, 0 updated, 0 unchanged",
        "memberships: 317 created, 0 updated, 0 unchanged",
    ):
        assert expected in lines, f"{expected!r} not in the summary {lines!r}"
    expect(page.locator("progress")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / "civicbridge-import-summary.png", full_page=True)
    assert_accessible(page)

    # Second upload: a real queue, so the page must wait for a worker and then update itself.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page.get_by_role("link", name="Import another file").click()
    expect(page.get_by_role("table", name="The ten most recent imports")).to_contain_text(
        "tas_local_councillor_popolo.json"
    )
    assert_accessible(page)
    upload_popolo(page, country="Australia")
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    second = ImportRun.objects.latest("pk")
    assert page.url.endswith(f"/imports/{second.pk}/")
    assert second.status == "pending"

    waiting = page.locator("#import-progress")
    expect(page.get_by_role("status")).to_contain_text("Waiting for a worker to start the import…")
    progress = waiting.locator("progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_accessible_name("Waiting for a worker to start the import…")
    expect(waiting).to_have_attribute("hx-trigger", "every 1s")
    page.screenshot(path=SCREENSHOTS / "civicbridge-import-waiting.png", full_page=True)
    assert_accessible(page)

    # Mark this document: a reload or navigation would lose the mark.
    page.evaluate("() => { window.__sameDocument = true; }")
    navigations: list[str] = []

    def on_navigation(frame) -> None:
        if frame == page.main_frame:
            navigations.append(frame.url)

    page.on("framenavigated", on_navigation)

    # Prove the page polls while it waits (htmx sends HX-Request on each poll).
    def is_poll(response) -> bool:
        return response.url.endswith(f"/imports/{second.pk}/") and bool(
            response.request.headers.get("hx-request")
        )

    with page.expect_response(is_poll) as poll:
        pass
    assert poll.value.ok
    # Still pending after the poll: the worker has not run yet.
    expect(page.locator("progress")).to_be_visible()
    expect(waiting).to_contain_text("Waiting for a worker to start the import…")

    run_db_worker_once()
    second.refresh_from_db()
    assert second.status == "done", second.errors

    summary = page.get_by_test_id("import-summary")
    expect(summary).to_be_visible(timeout=5_000)
    expect(summary.get_by_role("listitem")).to_contain_text(
        [
            "organizations: 0 created, 0 updated, 33 unchanged",
            "persons: 0 created, 0 updated, 263 unchanged",
            "memberships: 0 created, 0 updated, 317 unchanged",
        ]
    )
    expect(page.locator("progress")).to_have_count(0)
    assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded"
    assert navigations == [], f"the page navigated instead of updating in place: {navigations}"
    # Once finished the fragment stops polling.
    expect(page.locator("#import-progress")).not_to_have_attribute("hx-trigger", re.compile("."))
    page.screenshot(path=SCREENSHOTS / "civicbridge-import-updated.png", full_page=True)
    assert_accessible(page)


FOCUSED = """() => {
    const el = document.activeElement;
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        text: (el.innerText || el.value || "").trim().slice(0, 40),
        inMain: Boolean(el.closest("main")),
    };
}"""

FOCUS_STYLE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    return {
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth) || 0,
        boxShadow: style.boxShadow,
        focusVisible: el.matches(":focus-visible"),
        top: rect.top, left: rect.left, width: rect.width, height: rect.height,
    };
}"""


def assert_visible_focus(page: Page, what: str) -> None:
    # The USWDS skip link slides into view with a short CSS transition: let it finish.
    page.wait_for_function(
        "() => document.activeElement.getBoundingClientRect().top >= 0", timeout=2_000
    )
    style = page.evaluate(FOCUS_STYLE)
    assert style["focusVisible"], f"{what} is focused but not :focus-visible: {style}"
    has_outline = style["outlineStyle"] != "none" and style["outlineWidth"] > 0
    has_shadow = style["boxShadow"] not in ("", "none")
    assert has_outline or has_shadow, f"{what} shows no focus indicator: {style}"
    assert style["width"] > 0 and style["height"] > 0 and style["top"] >= 0, (
        f"{what} is focused off-screen: {style}"
    )


def test_keyboard_only_login(page: Page, world, live_server):
    page.goto("/accounts/login/")
    assert_accessible(page)

    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Skip to main content"
    assert_visible_focus(page, "the skip link")

    # Enter follows the skip link: focus moves to <main>, past the header and navigation.
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main-content$"))
    assert page.evaluate("() => document.activeElement.id") == "main-content"

    path = []
    for _ in range(10):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        path.append(focused)
        if focused["id"] == "id_username":
            break
    else:
        pytest.fail(f"Tabbing never reached the e-mail field; focus went through {path}")
    assert all(step["inMain"] for step in path), f"Tab left the main content: {path}"
    assert page.evaluate("() => document.activeElement.labels[0].innerText") == "E-mail address"
    assert_visible_focus(page, "the e-mail field")
    page.keyboard.type(world.fellow.email)

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_password"
    assert_visible_focus(page, "the password field")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {world.fellow.email}")
    expect(page.get_by_text(f"Signed in as {world.fellow.email}")).to_be_visible()
    assert_accessible(page)


def test_login_errors_are_announced(page: Page, world, live_server):
    page.goto("/accounts/login/")
    assert_accessible(page)
    form = page.get_by_role("main")
    summary = page.locator("#error-summary")

    # Empty form: one problem per field, each linked to its field.
    form.get_by_role("button", name="Sign in").click()
    # The summary takes focus (so a screen reader reads it at once) and is an alert.
    expect(summary).to_be_focused()
    alert = page.get_by_role("alert")
    expect(alert).to_have_count(1)
    expect(alert.get_by_role("heading")).to_have_text("There is a problem")
    expect(alert.get_by_role("link")).to_have_text(
        ["E-mail address: This field is required.", "Password: This field is required."]
    )
    email = page.get_by_label("E-mail address")
    # Each field shows its own message next to it, tied to it by aria-describedby.
    expect(page.locator(".usa-form-group--error .usa-error-message")).to_have_text(
        ["This field is required.", "This field is required."]
    )
    expect(email).to_have_accessible_description("This field is required.")
    expect(email).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    # Following the summary's link moves focus to the field in error.
    alert.get_by_role("link", name=re.compile("^E-mail address")).click()
    expect(email).to_be_focused()
    expect(page).to_have_url(re.compile("#id_username$"))

    # A wrong password: a single message that does not say which of the two was wrong.
    # The form posts to its own URL without the #id_username fragment the link left, or
    # the browser would scroll to that field and skip the summary's autofocus.
    email.fill(world.civic_lead.email)
    page.get_by_label("Password").fill("not the password")
    form.get_by_role("button", name="Sign in").click()
    expect(summary).to_be_focused()
    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading")).to_have_text("There is a problem")
    expect(alert).to_contain_text(
        "That e-mail address and password do not match an account. Check both and try again."
    )
    expect(page.get_by_label("E-mail address")).to_have_value(world.civic_lead.email)
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    assert_accessible(page)


def test_directory_and_empty_states(page: Page, world, live_server):
    sign_in(page, world.outsider.email)

    empty = page.get_by_role("region", name="Your account does not act for an organisation yet")
    expect(empty).to_be_visible()
    expect(page.get_by_role("link", name="Code for Testing")).to_have_count(0)
    assert_accessible(page)

    empty.get_by_role("link", name="Browse organisations").click()
    expect(page).to_have_url(f"{live_server.url}/organisations/")
    expect(page.get_by_role("table").locator("caption")).to_have_text("3 organisations")
    # The outsider acts for no organisation, so cannot add one.
    expect(page.get_by_role("link", name="Add an organisation")).to_have_count(0)
    assert_accessible(page)

    search = page.get_by_role("search", name="Filter organisations")
    search.get_by_label("Search by name or city").fill("Testshire")
    search.get_by_label("Kind").select_option(label="Civic organisation")
    search.get_by_role("button", name="Filter").click()
    no_match = page.get_by_role("status")
    expect(no_match).to_contain_text("No organisation matches these filters.")
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_label("Search by name or city")).to_have_value("Testshire")
    assert_accessible(page)

    no_match.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(f"{live_server.url}/organisations/")
    expect(page.get_by_role("table").locator("caption")).to_have_text("3 organisations")
    assert_accessible(page)


def test_two_forms_on_one_page_report_their_errors(page: Page, world, live_server):
    """The add-a-person page holds two forms; each error summary needs its own id."""
    sign_in(page, world.civic_lead.email)
    page.goto(f"/organisations/{world.civic.pk}/people/")
    page.get_by_role("link", name="Add a person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a person to Code for Testing")
    assert_accessible(page)

    # No name (the person form) and an end before the start (the membership form).
    page.get_by_label("Start date").fill("2024-05-01")
    page.get_by_label("End date").fill("2024-01-01")
    page.get_by_role("button", name="Save").click()
    summaries = page.locator(".usa-alert--error")
    expect(summaries).to_have_count(2)
    ids = summaries.evaluate_all("(elements) => elements.map((e) => e.id)")
    assert len(set(ids)) == 2, f"the two error summaries share an id: {ids}"
    expect(summaries.first).to_be_focused()
    alerts = page.get_by_role("alert")
    expect(alerts.first).to_contain_text("Name: This field is required.")
    expect(alerts.last).to_contain_text("End date")
    assert_accessible(page)
