"""The frame of a collaboration's page that every tab shares, for the rooms' tabs too."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civicbridge.partners.permissions import is_platform_admin

from . import lifecycle, permissions
from .choices import Stage
from .models import Collaboration
from .tabs import tabs_for


def page(
    request: HttpRequest,
    collaboration: Collaboration,
    tab: str,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render one tab of a collaboration's page, with its header, stage and tabs."""
    stage_index = lifecycle.STAGES.index(collaboration.stage)
    steps = [
        {"label": label, "done": i < stage_index, "current": i == stage_index}
        for i, (_value, label) in enumerate(Stage.choices)
    ]
    side = permissions.side_of(request.user, collaboration)
    return render(
        request,
        template,
        {
            "collaboration": collaboration,
            "tab": tab,
            "tabs": tabs_for(collaboration.model),
            "steps": steps,
            "stage_number": stage_index + 1,
            "stage_count": len(steps),
            "side": side,
            "can_edit": side is not None,
            # Seen through a room (an event's partner institution), not as one of the sides.
            "observer": side is None and not is_platform_admin(request.user),
            # After closing, the collaboration stays under follow-up while any is unanswered.
            "under_follow_up": collaboration.stage == Stage.CLOSED
            and collaboration.follow_ups.filter(answered_at__isnull=True).exists(),
            **(context or {}),
        },
        status=status,
    )
