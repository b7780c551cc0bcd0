"""Every write to the playbook: loading a document and editing one of its items."""

import copy
import hashlib
import json
from typing import Any

from django.db import transaction

from civicbridge.core import audit
from civicbridge.core.permissions import require
from civicbridge.playbook import checks

from . import permissions
from .document import InvalidPlaybook, problems
from .models import PlaybookVersion


def content_hash(document: dict) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def save_version(
    actor, document: Any, note: str = "", *, based_on: PlaybookVersion | None = None
) -> tuple[PlaybookVersion, bool]:
    """Store `document` as the next version, unless it equals the current one.

    Return the current version and whether it is new. An invalid document raises
    InvalidPlaybook and changes nothing; so does an edit `based_on` a version that is no
    longer the current one (someone saved in between).
    """
    errors = problems(document, checks.registered())
    if errors:
        raise InvalidPlaybook(errors)
    return store_valid_version(actor, document, content_hash(document), note, based_on=based_on)


@transaction.atomic
def store_valid_version(
    actor, document: Any, digest: str, note: str = "", *, based_on: PlaybookVersion | None = None
) -> tuple[PlaybookVersion, bool]:
    """Store a document already found valid, with its content hash, as `save_version` does."""
    current = PlaybookVersion.objects.select_for_update().order_by("-number").first()
    if based_on is not None and current is not None and current.number != based_on.number:
        raise InvalidPlaybook(
            [
                f"Someone saved playbook version {current.number} while you were editing "
                f"version {based_on.number}. Open the item again to edit the latest text."
            ]
        )
    if current is not None and current.content_hash == digest:
        return current, False
    version = PlaybookVersion.objects.create(
        number=(current.number + 1) if current else 1,
        content=document,
        content_hash=digest,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        note=note[:300],
    )
    audit.log_created(actor, version)
    return version, True


EDITABLE_TEXT = {
    "conditions": ("statement",),
    "challenges": ("statement",),
    "mitigations": ("text",),
}
EDITABLE_NUMBERS = {"conditions": ("met_at", "weight", "blocking")}


def edit_item(
    actor, version: PlaybookVersion, item_id: str, language: str, changes: dict[str, Any]
) -> tuple[PlaybookVersion, bool]:
    """Change one condition, challenge or mitigation of `version`: a new version."""
    require(permissions.can_edit_playbook(actor))
    document = copy.deepcopy(version.content)
    for model in document["models"]:
        for kind in EDITABLE_TEXT:
            for item in model[kind]:
                if item["id"] != item_id:
                    continue
                for field in EDITABLE_TEXT[kind]:
                    if field in changes:
                        item[field] = {**item[field], language: changes[field]}
                for field in EDITABLE_NUMBERS.get(kind, ()):
                    if field in changes:
                        item[field] = changes[field]
                note = changes.get("note") or f"Edited {item_id}"
                return save_version(actor, document, note, based_on=version)
    raise KeyError(item_id)
