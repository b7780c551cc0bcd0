"""Service delivery through the API; each part of the room keeps its own router module."""

from ninja import Router

from . import contracts, ocds, routes

router = Router(tags=["service delivery"])
router.add_router("", routes.router)
router.add_router("", ocds.router)
router.add_router("", contracts.router)
