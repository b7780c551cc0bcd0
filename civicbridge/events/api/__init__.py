"""Events through the API; each part of the room keeps its own router module."""

from ninja import Router

router = Router(tags=["events"])
