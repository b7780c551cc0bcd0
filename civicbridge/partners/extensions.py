"""What the rooms above partners add to an organisation's pages, without partners naming them.

A room registers its additions in its AppConfig.ready(), as it adds tabs to collaborations:
a notice shown on the organisation's page (a template and the context it needs), and a
source of past work shown on the supplier profile.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Context = Callable[[Any, Any], dict[str, Any]]  # (user, organisation) -> template context
PastWorkSource = Callable[[Any, Any], list]  # (user, organisation) -> [PastWork]


@dataclass(frozen=True)
class Notice:
    template: str
    context: Context


_notices: list[Notice] = []
_past_work: list[PastWorkSource] = []


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
