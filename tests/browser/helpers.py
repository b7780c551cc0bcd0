"""Helpers the browser tests share: signing in, the axe-core accessibility check and
submitting a form by keyboard with its focus in sight."""

from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.factories import PASSWORD

AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TARGETS_SHOWN = 3
# WeasyPrint takes longer than a page: on a busy two-core machine, more than 10 seconds.
PDF_TIMEOUT_MS = 60_000


@cache
def axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def inject_axe(page: Page) -> None:
    """Load axe-core into the page unless it is there already.

    page.evaluate() runs the source through the DevTools protocol, which the page's
    Content-Security-Policy (script-src 'self' 'nonce-…') does not govern, so the site
    needs neither a nonce for axe nor a context with bypass_csp.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the page as it is now; return its WCAG 2.x A/AA violations."""
    inject_axe(page)
    results = page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                targets: v.nodes.map((n) => n.target.join(" ")),
            }));
        }""",
        WCAG_TAGS,
    )
    return results


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = violation["targets"]
        shown = ", ".join(targets[:TARGETS_SHOWN])
        more = f" (+{len(targets) - TARGETS_SHOWN} more)" if len(targets) > TARGETS_SHOWN else ""
        lines.append(
            f"- {violation['id']} [{violation['impact']}]: {violation['help']}\n"
            f"    on {shown}{more}\n    see {violation['helpUrl']}"
        )
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail if axe-core finds any WCAG 2.0/2.1/2.2 A or AA violation on the page."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} accessibility violation(s) on {page.url}:\n"
        + format_violations(violations)
    )


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form (checking the form is accessible on the way)."""
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {email}")).to_be_visible()


# What the focused element shows: its text, whether it is :focus-visible, and its ring.
FOCUS_STYLE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        text: (el.innerText || el.value || "").trim(),
        focusVisible: el.matches(":focus-visible"),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
        shadow: !["", "none"].includes(style.boxShadow),
    };
}"""


def submit_by_keyboard(page: Page, button: str, *, start: Locator | None = None) -> None:
    """Tab from `start` (or the focused field) to the form's `button`, check the focus shows,
    press Enter. A date field takes several Tab presses, one per part of the date."""
    if start is not None:
        start.focus()
    for _ in range(8):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        if focused["text"] == button:
            break
    else:
        pytest.fail(f"Tabbing never reached the button “{button}”")
    assert focused["focusVisible"], f"the button “{button}” is focused but not :focus-visible"
    assert focused["outline"] or focused["shadow"], f"“{button}” shows no focus: {focused}"
    page.keyboard.press("Enter")
