"""What every import shares: counts, failures that name the record, the registry of the
kinds of file the task worker imports, and the task that imports an upload."""

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicbridge.core.limits import LimitExceeded, Limits, read_json_bytes
from civicbridge.core.permissions import Decision

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import ImportRun

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


def first_errors(errors: Iterable[str]) -> list[str]:
    """The first problems of `errors`, enough to report, and a line saying checking stopped
    if there were more: a file with a million wrong values is not checked to its end."""
    kept = list(islice(errors, MAX_REPORTED_ERRORS))
    if len(kept) == MAX_REPORTED_ERRORS and next(iter(errors), None) is not None:
        kept[-1] = _("… and more problems: checking stopped after %(count)d.") % {
            "count": MAX_REPORTED_ERRORS - 1
        }
    return kept


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


def parse_json(raw: bytes | str | IO[bytes], records: Mapping[str, Any] | None = None) -> Any:
    """The file's JSON, read as a stream first and refused at the first import limit it
    crosses (size, nesting, the records of `records`' lists, values)."""
    try:
        if not isinstance(raw, str):
            raw = read_json_bytes(raw, Limits.from_settings(), records)
    except LimitExceeded as refusal:
        raise ImportFailed([str(refusal)]) from None
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


def import_file(kind: str, raw: bytes | IO[bytes], **options: Any) -> Summary:
    """Import `raw` as a file of `kind` (an ImportKind value)."""
    from . import civic_orgs, popolo
    from .choices import ImportKind

    importer = {
        ImportKind.POPOLO: popolo.import_popolo,
        ImportKind.CIVIC_ORGS: civic_orgs.import_civic_orgs,
    }
    return importer[ImportKind(kind)](parse_json(raw, RECORDS[ImportKind(kind)]), **options)


RECORDS = {
    "popolo": {
        "organizations": gettext_lazy("organisations"),
        "persons": gettext_lazy("persons"),
        "memberships": gettext_lazy("memberships"),
    },
    "civic_orgs": {"": gettext_lazy("organisations")},
}


# The registry of what the task worker imports: each app registers its kinds of file.


@dataclass(frozen=True)
class Importer:
    """A kind of file the task worker imports, with the run page's words and links.

    `run` imports the run's file(s) and returns the summary's lines, or raises ImportFailed
    having changed nothing; `allowed` says whether a user may start it with these options.
    """

    label: "StrOrPromise"
    run: Callable[["ImportRun", Progress], list[str]]
    allowed: Callable[[Any, dict], Decision]
    upload_url: str  # the URL name of the page to import another file
    result_url: str = ""  # the URL name of what an import changes, linked when it is done
    result_label: "StrOrPromise" = ""


_importers: dict[str, Importer] = {}


class ImporterAlreadyRegistered(Exception):
    pass


def register_importer(kind: str, importer: Importer) -> None:
    """Let the task worker import files of `kind` (at most 16 characters); registering the
    same importer again (an app made ready twice) changes nothing."""
    if _importers.get(kind, importer) != importer:
        raise ImporterAlreadyRegistered(kind)
    _importers[kind] = importer


def importer_for(kind: str) -> Importer:
    return _importers[kind]


def _run_partners_file(run: "ImportRun", progress: Progress) -> list[str]:
    with run.file.open("rb") as upload:
        summary = import_file(
            run.kind,
            upload,
            actor=run.created_by,
            dry_run=run.dry_run,
            progress=progress,
            **run.options,
        )
    return summary.lines()


def _platform_admins(user, options: dict) -> Decision:
    from .permissions import can_import

    return can_import(user)


for _kind, _label in (
    ("popolo", gettext_lazy("Popolo JSON (organisations, people, memberships)")),
    ("civic_orgs", gettext_lazy("Civic organisations (Code for America format)")),
):
    register_importer(
        _kind,
        Importer(
            label=_label,
            run=_run_partners_file,
            allowed=_platform_admins,
            upload_url="partners:import_upload",
            result_url="partners:directory",
            result_label=gettext_lazy("See the organisations"),
        ),
    )


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
        lines = importer_for(run.kind).run(run, progress)
    except ImportFailed as failure:
        run.status, run.errors = ImportStatus.FAILED, failure.errors
    except Exception:
        # Say so on the run page, then let the task record the traceback.
        run.status = ImportStatus.FAILED
        run.errors = [_("The import stopped on an unexpected error; nothing was changed.")]
        run.save(update_fields=["status", "errors", "updated_at"])
        raise
    else:
        run.status, run.summary = ImportStatus.DONE, lines
    run.save(update_fields=["status", "errors", "summary", "updated_at"])


def fail_lost_runs(before: datetime) -> int:
    """Mark failed the runs still processing whose last word came before `before`: their
    worker was stopped (the task is marked failed too). Says how many."""
    from .choices import ImportStatus
    from .models import ImportRun

    return ImportRun.objects.filter(status=ImportStatus.RUNNING, updated_at__lt=before).update(
        status=ImportStatus.FAILED,
        errors=[_("The import stopped: the worker running it was ended. Nothing was changed.")],
        updated_at=timezone.now(),
    )
