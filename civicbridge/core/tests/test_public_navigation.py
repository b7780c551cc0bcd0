"""The public navigation leads a visitor without an account to every public page."""

import re

import pytest
from django.urls import reverse

PUBLIC_PAGES = {
    "Events": "events:public_list",
    "Survival": "events:public_survival",
    "Conflicts of interest": "procurement:register",
    "Open data": "procurement:open_data",
    "Playbook": "playbook:guidelines",
}


def _main_navigation(html: str) -> dict[str, str]:
    found = re.search(r'<ul class="usa-nav__primary usa-accordion">(.*?)</ul>', html, re.S)
    assert found
    return {
        label: href
        for href, label in re.findall(
            r'<a class="usa-nav-link[^"]*" href="([^"]+)"[^>]*><span>([^<]+)</span>', found.group(1)
        )
    }


def test_a_visitor_finds_every_public_page_in_the_navigation(playbook, client):
    links = _main_navigation(client.get(reverse("collaborations:home")).content.decode())
    for label, name in PUBLIC_PAGES.items():
        assert links.get(label) == reverse(name), label
    for name in PUBLIC_PAGES.values():
        assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.django_db
def test_the_navigation_marks_the_public_page_one_is_on(client):
    html = client.get(reverse("procurement:open_data")).content.decode()
    assert re.search(
        r'href="{}" aria-current="page"><span>Open data</span>'.format(
            re.escape(reverse("procurement:open_data"))
        ),
        html,
    )


def test_signed_in_people_find_the_public_pages_in_the_footer(world, client_for):
    html = client_for(world.fellow).get(reverse("collaborations:list")).content.decode()
    footer = html.split('aria-label="Public pages"')[1].split("</nav>")[0]
    for name in PUBLIC_PAGES.values():
        if name != "playbook:guidelines":
            assert f'href="{reverse(name)}"' in footer, name
