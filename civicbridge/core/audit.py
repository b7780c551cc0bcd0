"""Record every create, update and delete as an AuditEntry.

Service functions call these after they write; imports pass many records at once.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from .choices import AuditAction
from .models import AuditEntry

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime | Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name
    return value


def snapshot(obj: models.Model) -> Snapshot:
    """Return the audited field values of `obj` as JSON-ready data."""
    skip = {"id", "created_at", "updated_at", *getattr(obj, "audit_exclude", ())}
    return {
        field.attname: _plain(getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if field.attname not in skip
    }


def changed_fields(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def _entry(actor, obj: models.Model, action: str, changes: dict) -> AuditEntry:
    return AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        organisation_id=getattr(obj, "audit_organisation_id", None),
        changes=changes,
    )


def log_created(actor, obj: models.Model) -> None:
    after = snapshot(obj)
    _entry(actor, obj, AuditAction.CREATE, {k: [None, v] for k, v in after.items()}).save()


def log_updated(actor, obj: models.Model, before: Snapshot) -> None:
    changes = changed_fields(before, snapshot(obj))
    if changes:
        _entry(actor, obj, AuditAction.UPDATE, changes).save()


def log_worded(actor, obj: models.Model, changes: dict[str, list[Any]]) -> None:
    """Record an update in words the caller gives, for a field whose values stay out of the
    log (a password: the entry says it changed, never what to)."""
    _entry(actor, obj, AuditAction.UPDATE, changes).save()


def log_deleted(actor, obj: models.Model, pk: Any) -> None:
    before = snapshot(obj)
    entry = _entry(actor, obj, AuditAction.DELETE, {k: [v, None] for k, v in before.items()})
    entry.object_id = str(pk)
    entry.save()


def log_many(actor, changes: Iterable[tuple[models.Model, str, Snapshot | None]]) -> int:
    """Record (object, action, snapshot-before) triples in one insert; return the count."""
    entries = []
    for obj, action, before in changes:
        after = snapshot(obj)
        diff = (
            {k: [None, v] for k, v in after.items()}
            if before is None
            else changed_fields(before, after)
        )
        entries.append(_entry(actor, obj, action, diff))
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)
