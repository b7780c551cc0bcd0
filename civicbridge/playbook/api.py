"""The playbook through the API: its current version, read only."""

from datetime import datetime
from typing import Any

from django.http import Http404
from ninja import Router, Schema

from civicbridge.core.api.schemas import ERROR_CODES, ApiRequest, ErrorOut

from .models import PlaybookVersion

router = Router(tags=["playbook"])


class PlaybookOut(Schema):
    number: int
    created_at: datetime
    note: str
    content: dict[str, Any]


@router.get("/playbook", response={200: PlaybookOut, ERROR_CODES: ErrorOut}, url_name="playbook")
def current_playbook(request: ApiRequest):
    """The current version of the playbook: models, conditions, challenges, mitigations."""
    version = PlaybookVersion.objects.current()
    if version is None:
        raise Http404
    return version
