"""The tabs of a collaboration's page: those every model shares, and those a room adds.

A room adds tabs for its model in its AppConfig.ready(), so this app names no model.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Tab:
    name: str
    label: str | Promise
    url_name: str  # takes the collaboration's pk


SHARED = (
    Tab("overview", _("Overview"), "collaborations:detail"),
    Tab("agreement", _("Agreement"), "collaborations:agreement"),
    Tab("people", _("People"), "collaborations:people"),
    Tab("checkins", _("Check-ins"), "collaborations:checkins"),
    Tab("goals", _("Goals"), "collaborations:goals"),
    Tab("handover", _("Handover"), "collaborations:handover"),
    Tab("credit", _("Credit and reforms"), "collaborations:credit"),
    Tab("activity", _("Activity"), "collaborations:activity"),
)

_by_model: dict[str, list[Tab]] = {}


def add_tab(model: str, tab: Tab) -> None:
    """Show `tab` on the pages of collaborations of `model`, after the overview."""
    tabs = _by_model.setdefault(model, [])
    if tab not in tabs:
        tabs.append(tab)


def tabs_for(model: str) -> list[Tab]:
    """The tabs of a collaboration of `model`, in the order the page shows them."""
    return [SHARED[0], *_by_model.get(model, []), *SHARED[1:]]


def tab_url(collaboration, name: str, anchor: str = "") -> str:
    """The address of the collaboration's tab called `name`, at `anchor` if given."""
    tab = next(tab for tab in tabs_for(collaboration.model) if tab.name == name)
    url = reverse(tab.url_name, args=[collaboration.pk])
    return f"{url}#{anchor}" if anchor else url
