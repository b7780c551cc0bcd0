"""Collaborations through the API: the same permission helpers, forms and services as the
web pages, so a script meets exactly the rules a user meets in the browser.

One module per tab, as the pages and the services are split; this router gathers them.
"""

from ninja import Router

from . import agreement, checkins, core, credit, goals, handover, people

router = Router(tags=["collaborations"])
for module in (core, agreement, people, checkins, goals, handover, credit):
    router.add_router("", module.router)
