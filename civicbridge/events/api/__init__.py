"""Events through the API; each part of the room keeps its own router module."""

from ninja import Router

from . import events, followups, projects

router = Router(tags=["events"])
router.add_router("", events.router)
router.add_router("", projects.router)
router.add_router("", followups.router)
