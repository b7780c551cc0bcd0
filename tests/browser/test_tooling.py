"""Checks on the browser-test tooling itself: axe-core works under the site's CSP and can fail."""

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import assert_accessible, axe_violations

pytestmark = pytest.mark.browser


def test_axe_runs_under_the_content_security_policy_and_can_fail(page: Page, live_server):
    response = page.goto("/accounts/login/")
    assert response is not None and response.ok
    policy = response.headers["content-security-policy"]
    assert re.search(r"script-src 'self' 'nonce-[^']+'", policy), policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, policy

    # axe-core loads through page.evaluate (the DevTools protocol, outside the page's CSP)
    # and passes on the real page...
    assert_accessible(page)
    assert page.evaluate("() => typeof window.axe.run") == "function"

    # ...and fails, naming the rule, its impact and the element, once the page is broken.
    page.evaluate(
        """() => {
            const img = document.createElement("img");
            img.id = "probe-image";
            img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
            document.querySelector("main").append(img);
        }"""
    )
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "image-alt [critical]" in message
    assert "#probe-image" in message


def test_page_fixture_records_csp_violations(page: Page, live_server, page_problems):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineScriptRan = true";
            document.body.append(script);
        }"""
    )
    assert page.evaluate("() => window.inlineScriptRan") is None, "the CSP let an inline script run"
    for _ in range(40):  # the console message arrives asynchronously
        if any("Content Security Policy" in e for e in page_problems.console_errors):
            break
        page.wait_for_timeout(50)
    else:
        pytest.fail(f"no CSP violation was recorded: {page_problems.console_errors}")
    # Expected here; without this the page fixture would fail the test at teardown.
    page_problems.console_errors.clear()
