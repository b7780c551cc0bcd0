"""Writes every room shares: create or update one record, validated and audited."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from . import audit


class Stale(ValidationError):
    """The record moved on since the actor read it: its version or its words are no longer
    the ones named. A page shows it as any refusal; the API answers 409."""


def create_record[M: models.Model](actor, model: type[M], **fields: Any) -> M:
    """Create a `model` row from `fields`, validated, with its audit entry."""
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    audit.log_created(actor, obj)
    return obj


def update_record[M: models.Model](actor, obj: M, **fields: Any) -> M:
    """Set `fields` on `obj`, validate, save, and audit what changed.

    The old values come from the database: a ModelForm may already have changed `obj`.
    """
    before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    audit.log_updated(actor, obj, before)
    return obj
