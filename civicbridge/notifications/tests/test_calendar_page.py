"""The calendar page: the address in a text box that works without JavaScript, a copy
button our own script reveals, and how to subscribe in the common calendar applications."""

import re

from django.contrib.staticfiles import finders
from django.urls import reverse


def _page(world, client_for) -> str:
    return client_for(world.official).get(reverse("notifications:calendar")).content.decode()


def test_the_address_is_in_a_read_only_text_box_with_a_copy_button_hidden_until_enhanced(
    world, client_for
):
    html = _page(world, client_for)
    assert re.search(
        r'<input class="usa-input" id="feed-url" type="text" readonly value="http', html
    )
    button = re.search(r"<button [^>]*data-copy-target=\"feed-url\"[^>]*>", html)
    assert button, "no copy button for the address"
    assert " hidden " in button.group(0), "without JavaScript the button would do nothing"
    assert 'data-copy-status="feed-url-status"' in button.group(0)
    assert re.search(r'id="feed-url-status" role="status" aria-live="polite"', html)


def test_the_copy_script_is_served_from_this_site(world, client_for):
    html = _page(world, client_for)
    script = re.search(r'<script src="([^"]*copy\.js)" nonce="[^"]+" defer>', html)
    assert script and script.group(1).startswith("/static/")
    source = finders.find("civicbridge/copy.js")
    assert source, "the script is a static file of the project"
    with open(source, encoding="utf-8") as handle:
        text = handle.read()
    assert "navigator.clipboard" in text and "button.hidden = false" in text


def test_the_page_says_how_to_subscribe_in_common_calendar_applications(world, client_for):
    html = _page(world, client_for)
    for application in ("Google Calendar", "Outlook", "Apple Calendar", "Thunderbird"):
        assert f">{application}</button>" in html, application
    assert "From URL" in html and "Subscribe from web" in html
    assert "New Calendar Subscription" in html and "On the Network" in html
