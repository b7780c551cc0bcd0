"""What the rooms above partners add to an organisation's pages, without partners naming them.

A room registers its additions in its AppConfig.ready(), as it adds tabs to collaborations:
a notice shown on the organisation's page (a template and the context it needs), a source
of past work shown on the supplier profile, and a section of the organisation's
sub-navigation (overview, people, collaborations, money, supplier profile, audit).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Context = Callable[[Any, Any], dict[str, Any]]  # (user, organisation) -> template context
PastWorkSource = Callable[[Any, Any], list]  # (user, organisation) -> [PastWork]
# (user, organisation) -> the section's address for this user, or None where it is not theirs
SectionUrl = Callable[[Any, Any], str | None]


@dataclass(frozen=True)
class Notice:
    template: str
    context: Context


@dataclass(frozen=True)
class Section:
    """One entry of an organisation's sub-navigation; `names` are the URL names of its pages,
    so the entry is current on each of them."""

    key: str
    label: Any
    order: int
    url: SectionUrl
    names: tuple[str, ...] = ()


_notices: list[Notice] = []
_past_work: list[PastWorkSource] = []
_sections: dict[str, Section] = {}


def add_notice(template: str, context: Context) -> None:
    """Show `template`, with `context(user, organisation)`, on every organisation's page."""
    notice = Notice(template, context)
    if notice not in _notices:
        _notices.append(notice)


def notices(user, organisation) -> list[tuple[str, dict[str, Any]]]:
    """Each registered notice of the organisation's page, as (template, context)."""
    return [(notice.template, notice.context(user, organisation)) for notice in _notices]


def add_past_work(source: PastWorkSource) -> None:
    """Add the rows `source(user, organisation)` to the supplier profile's past work."""
    if source not in _past_work:
        _past_work.append(source)


def past_work_from_rooms(user, organisation) -> list:
    """The past work every registered source holds for the organisation, as `user` sees it."""
    return [row for source in _past_work for row in source(user, organisation)]


def add_section(section: Section) -> None:
    """Add `section` to every organisation's sub-navigation, in its `order`."""
    _sections[section.key] = section


def sections(user, organisation, current_url_name: str) -> list[tuple[Section, str, bool]]:
    """The sections this user may open for the organisation, in order, each with its address
    and whether the page at `current_url_name` is one of its pages."""
    shown = []
    for section in sorted(_sections.values(), key=lambda section: section.order):
        url = section.url(user, organisation)
        if url is not None:
            shown.append((section, url, current_url_name in section.names))
    return shown
