"""Import civic organisations in the Code for America brigade-information format.

The format has no ids, so each organisation is keyed by a Popolo id made from its name.
"""

from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from civicbridge.core import audit
from civicbridge.core.choices import AuditAction
from civicbridge.core.validation import describe

from .choices import OrganisationKind
from .imports import (
    Counts,
    ImportFailed,
    Progress,
    Summary,
    clean,
    first_errors,
    no_progress,
    run_atomically,
)
from .models import Organisation
from .schemas import civic_orgs_validator

ID_PREFIX = "civic-orgs/"


def popolo_id_for(name: str) -> str:
    return ID_PREFIX + slugify(name)


def _website(value: str) -> str:
    """Return the address with a scheme: the data set has a few like "codeforokc.org/"."""
    value = value.strip()
    return value if not value or "://" in value else f"http://{value}"


def _text(value: Any) -> str:
    """A text field the schema leaves undescribed: its text, or nothing."""
    return value.strip() if isinstance(value, str) else ""


def _values(record: dict) -> dict[str, Any]:
    location = record.get("location")
    if not isinstance(location, dict):  # the schema does not describe "location"
        location = {}
    tags = record.get("tags") or []
    government = "Government" in tags or record.get("type") == "Government"
    return {
        "name": record["name"].strip(),
        "website": _website(record.get("website") or ""),
        "city": _text(location.get("city")) or _text(record.get("city")),
        "country": _text(location.get("country")),
        "tags": tags,
        "kind": OrganisationKind.GOVERNMENT if government else OrganisationKind.CIVIC,
    }


def import_civic_orgs(
    data: Any, *, actor=None, dry_run: bool = False, progress: Progress = no_progress
) -> Summary:
    """Import a brigade-information list atomically; raise ImportFailed naming every problem."""
    progress(_("Checking the file against its schema"), 0, 0)

    def explained(error) -> str:
        path = list(error.absolute_path)
        record = data[path[0]] if path and isinstance(data, list) else None
        where = (
            f"[{path[0]}]" + (f" “{record.get('name')}”" if isinstance(record, dict) else "")
            if path
            else ""
        )
        return f"{where or _('The file')}: {describe(error, skip=1)}"

    errors = first_errors(map(explained, civic_orgs_validator().iter_errors(data)))
    if errors:
        raise ImportFailed(errors)
    ids = [popolo_id_for(record["name"]) for record in data]
    first_index: dict[str, int] = {}
    for index, ident in enumerate(ids):
        if ident in first_index:
            errors.append(
                _("[%(index)d] “%(name)s”: has the same name as [%(first)d] “%(other)s”.")
                % {
                    "index": index,
                    "name": data[index]["name"],
                    "first": first_index[ident],
                    "other": data[first_index[ident]]["name"],
                }
            )
        first_index.setdefault(ident, index)
    if errors:
        raise ImportFailed(errors)
    progress(_("Saving"), 0, 0)

    def write() -> Summary:
        counts = Counts()
        existing = {o.popolo_id: o for o in Organisation.objects.filter(popolo_id__in=ids)}
        changes: list[tuple[Any, str, dict | None]] = []
        for ident, record in zip(ids, data, strict=True):
            values = _values(record)
            organisation = existing.get(ident)
            if organisation is None:
                organisation = Organisation(popolo_id=ident, **values)
                clean(organisation, f"“{organisation.name}”")
                organisation.save()
                counts.created += 1
                changes.append((organisation, AuditAction.CREATE, None))
                continue
            before = audit.snapshot(organisation)
            values.pop("kind")  # a person may have corrected the kind by hand
            changed = [
                name for name, value in values.items() if getattr(organisation, name) != value
            ]
            if not changed:
                counts.unchanged += 1
                continue
            for name in changed:
                setattr(organisation, name, values[name])
            clean(organisation, f"“{organisation.name}”")
            organisation.save()
            counts.updated += 1
            changes.append((organisation, AuditAction.UPDATE, before))
        audit.log_many(actor, changes)
        return Summary({"organizations": counts})

    return run_atomically(write, dry_run=dry_run)
