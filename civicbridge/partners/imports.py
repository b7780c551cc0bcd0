"""What every import shares: counts, failures that name the record, and the upload task."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext as _

MAX_REPORTED_ERRORS = 50

Progress = Callable[[str, int, int], None]


def no_progress(phase: str, done: int, total: int) -> None:
    """Progress callback that reports nowhere."""


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def line(self, kind: str) -> str:
        return _("%(kind)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "kind": kind,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


@dataclass
class Summary:
    counts: dict[str, Counts] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [counts.line(kind) for kind, counts in self.counts.items()]


class ImportFailed(Exception):
    """The file cannot be imported; nothing was changed. `errors` names each problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors[:MAX_REPORTED_ERRORS]
        if len(errors) > MAX_REPORTED_ERRORS:
            self.errors.append(
                _("… and %(count)d more problems.") % {"count": len(errors) - MAX_REPORTED_ERRORS}
            )
        super().__init__("\n".join(self.errors))


class DryRunRollback(Exception):
    """Raised inside the import's transaction to undo a dry run."""


def clean(obj, label: str) -> None:
    """Validate a model instance before it is saved; a failure names the record."""
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = "; ".join(
            f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items()
        )
        raise ImportFailed([f"{label}: {problems}"]) from None


def parse_json(raw: bytes | str) -> Any:
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        data = json.loads(text)
    except UnicodeDecodeError:
        raise ImportFailed([_("The file is not UTF-8 text.")]) from None
    except json.JSONDecodeError as error:
        raise ImportFailed(
            [
                _("The file is not valid JSON: %(problem)s at line %(line)d, column %(column)d.")
                % {"problem": error.msg, "line": error.lineno, "column": error.colno}
            ]
        ) from None
    if "\\u0000" in text or "\x00" in text:
        raise ImportFailed([_("The file contains a NUL character, which no text may hold.")])
    return data


def run_atomically(write: Callable[[], Summary], *, dry_run: bool) -> Summary:
    """Run `write` in one transaction; roll everything back on a dry run."""
    result: Summary | None = None
    try:
        with transaction.atomic():
            result = write()
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    assert result is not None
    return result


def import_file(kind: str, raw: bytes, **options: Any) -> Summary:
    """Import `raw` as a file of `kind` (an ImportKind value)."""
    from . import civic_orgs, popolo
    from .choices import ImportKind

    importer = {
        ImportKind.POPOLO: popolo.import_popolo,
        ImportKind.CIVIC_ORGS: civic_orgs.import_civic_orgs,
    }
    return importer[ImportKind(kind)](parse_json(raw), **options)


@task()
def process_import_run(run_id: int) -> None:
    """Import an uploaded file, recording progress and the outcome on its ImportRun."""
    from .choices import ImportStatus
    from .models import ImportRun

    # Claim the run, so that two workers never import the same file twice.
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING
    )
    if not claimed:
        return
    run = ImportRun.objects.get(pk=run_id)

    def progress(phase: str, done: int, total: int) -> None:
        run.phase, run.processed, run.total = phase, done, total
        run.save(update_fields=["phase", "processed", "total", "updated_at"])

    try:
        with run.file.open("rb") as upload:
            raw = upload.read()
        summary = import_file(
            run.kind,
            raw,
            actor=run.created_by,
            dry_run=run.dry_run,
            progress=progress,
            **run.options,
        )
    except ImportFailed as failure:
        run.status, run.errors = ImportStatus.FAILED, failure.errors
    except Exception:
        # Say so on the run page, then let the task record the traceback.
        run.status = ImportStatus.FAILED
        run.errors = [_("The import stopped on an unexpected error; nothing was changed.")]
        run.save(update_fields=["status", "errors", "updated_at"])
        raise
    else:
        run.status, run.summary = ImportStatus.DONE, summary.lines()
    run.save(update_fields=["status", "errors", "summary", "updated_at"])
