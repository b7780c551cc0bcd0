"""Commitments of an action plan from a CSV file in the shape the Open Government
Partnership publishes: one row per commitment (C1).

The columns are read through a declared mapping (`DEFAULT_COLUMNS`), which the person
importing may change; the columns no field takes stay on the commitment as they were
written (`Commitment.extra`). Every row is read and checked first; a file with a bad row
changes nothing and its report names the row, the column and the reason, unless the
person chose to skip bad rows, when the summary lists them. Importing again finds each
commitment by its unique identifier (else by its title) and changes only what changed.

Real action plans are untidy, and the reading here is made for them: dates written
M/D/YYYY, M/D/YY, “July 2014” or a bare year; “NA”, “ND”, “NR”, “N/A” and “Unclear” for
what is not known; titles of several sentences, kept whole; several institutions in one
cell; completion in any case and spacing.
"""

import calendar
import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.choices import Completion, Model, PracticeChange
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import record_activity
from civicbridge.core import audit
from civicbridge.core.limits import BoundedReader, LimitExceeded
from civicbridge.core.permissions import Decision, require
from civicbridge.partners.imports import ImportFailed, Progress, no_progress
from civicbridge.partners.models import ImportRun, Organisation
from civicbridge.partners.services import start_import

from .choices import InstitutionRole
from .models import Commitment, CommitmentAssessment
from .permissions import can_import_commitments
from .services import set_institutions

KIND = "commitments_csv"

# Each field of a commitment, and the column of OGP's published data that holds it.
DEFAULT_COLUMNS: dict[str, str] = {
    "identifier": "Commitment Unique Identifier",
    "title": "Commitment Title",
    "short_title": "Short Title",
    "text": "Full Text",
    "lead": "Lead Institution",
    "supporting": "Supporting Institution(s)",
    "country": "Country/Locality",
    "start_date": "Start Date",
    "end_date": "End Date",
    "completion": "Completion (End Of Term)",
    "practice_change": "Did It Open Government?",
    "url": "URL",
}
REQUIRED = ("title",)
# What action plans write where nothing is known: the value is left empty.
UNKNOWN = {"", "na", "n/a", "nd", "nr", "unclear", "-", "—", "none", "n.a."}
COMPLETION_WORDS = {
    "not started": Completion.NOT_STARTED,
    "limited": Completion.LIMITED,
    "substantial": Completion.SUBSTANTIAL,
    "complete": Completion.COMPLETE,
    "completed": Completion.COMPLETE,
    "withdrawn": Completion.WITHDRAWN,
}
# Words an institution's name starts with: " and " between two names is a list only when
# the name after it starts so ("Ministry of Justice and Ministry of Interior"), never in
# "Ministry of Trade and Industry".
HEAD_WORDS = {
    "ministry",
    "office",
    "department",
    "agency",
    "council",
    "commission",
    "authority",
    "bureau",
    "directorate",
    "secretariat",
    "institute",
    "court",
    "parliament",
    "national",
    "state",
    "federal",
    "central",
    "municipality",
    "city",
    "government",
    "presidency",
    "prime",
    "cabinet",
    "supreme",
}
PRACTICE_WORDS = {label.lower(): value for value, label in PracticeChange.choices} | {
    "did not change": PracticeChange.DID_NOT_CHANGE,
    "worsened": PracticeChange.DID_NOT_CHANGE,
}
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | {
    name.lower(): number for number, name in enumerate(calendar.month_abbr) if name
}
MAX_ROWS = 5000
MAX_VALUE = 100_000  # characters in one cell: a full text runs to pages
MAX_NAME = 300


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = _("Row %(row)d") % {"row": self.row}
        if self.column:
            where += _(", column “%(column)s”") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class Row:
    """One commitment as the file says it, checked."""

    number: int
    identifier: str
    title: str
    short_title: str
    text: str
    country: str
    start_date: date | None
    end_date: date | None
    url: str
    completion: str  # "" when the file does not say
    practice_change: str  # "" when the file does not say
    lead: list[str]
    supporting: list[str]
    extra: dict[str, str]


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[RowError] = field(default_factory=list)

    @property
    def skipped_rows(self) -> int:
        return len({error.row for error in self.skipped})

    def line(self) -> str:
        return (
            f"commitments: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped_rows} skipped"
        )

    def lines(self) -> list[str]:
        skipped = [_("Skipped: %(problem)s") % {"problem": error} for error in self.skipped]
        return [self.line(), *skipped]


class RowsRefused(ImportFailed):
    """Some rows are wrong and the import was not told to skip them: nothing changed."""

    def __init__(self, errors: list[RowError]) -> None:
        self.row_errors = errors
        super().__init__([str(error) for error in errors])


# Reading values


def is_unknown(value: str) -> bool:
    return value.strip().lower() in UNKNOWN


def parse_date(value: str, *, end: bool = False) -> date | None:
    """The day `value` names, or None when the plan does not know; ValueError when it is
    not a date. A month or a year alone is its first day, or its last for an end date."""
    value = value.strip()
    if is_unknown(value):
        return None
    for pattern in ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}", value):
        year = int(value)
        return date(year, 12, 31) if end else date(year, 1, 1)
    month_year = re.fullmatch(r"([A-Za-z]+)\.?,?\s+(\d{4})", value)
    if month_year and month_year.group(1).lower() in MONTHS:
        year, month = int(month_year.group(2)), MONTHS[month_year.group(1).lower()]
        return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    raise ValueError(value)


def parse_completion(value: str) -> str:
    """The completion `value` names in any case and spacing, "" when the plan does not
    know; ValueError when it names none."""
    if is_unknown(value):
        return ""
    words = " ".join(re.split(r"[\s_\-]+", value.strip().lower()))
    if words not in COMPLETION_WORDS:
        raise ValueError(value)
    return COMPLETION_WORDS[words]


def parse_practice_change(value: str) -> str:
    """Whether it opened government, as `value` says in any case, "" when the plan does
    not know; ValueError when it names no step of the scale."""
    if is_unknown(value):
        return ""
    words = " ".join(value.strip().lower().split())
    if words not in PRACTICE_WORDS:
        raise ValueError(value)
    return PRACTICE_WORDS[words]


def _starts_a_name(part: str) -> bool:
    words = part.split()
    return bool(words) and words[0].lower().strip("(") in HEAD_WORDS


def _on_and(part: str) -> list[str]:
    """Split "X and Y" only where Y starts as an institution's name does."""
    pieces = re.split(r"\s+and\s+(?:the\s+)?", part)
    names = [pieces[0]]
    for piece in pieces[1:]:
        if _starts_a_name(piece):
            names.append(piece)
        else:
            names[-1] = f"{names[-1]} and {piece}"
    return names


def split_institutions(value: str) -> list[str]:
    """The institutions a cell names, in order, each once.

    A semicolon or a new line always separates names. A comma separates them when the
    parts read as names: three or more parts, or two whose second starts as an
    institution's name does ("Ministry of Justice, Ministry of Interior"), but not
    "Ministry of Justice, Human Rights and Religious Affairs". " and " separates only
    before such a name.
    """
    if is_unknown(value):
        return []
    names: list[str] = []
    for chunk in re.split(r"[;\n]+", value):
        chunk = chunk.strip()
        if is_unknown(chunk):
            continue
        parts = [re.sub(r"^and\s+", "", p.strip()) for p in chunk.split(",")]
        parts = [p for p in parts if p]
        is_list = len(parts) > 1 and all(p[0].isupper() for p in parts)
        if is_list and not (len(parts) >= 3 or any(_starts_a_name(p) for p in parts[1:])):
            is_list = False
        for part in parts if is_list else [chunk]:
            names.extend(_on_and(part))
    unique: list[str] = []
    for name in (n.strip(" .") for n in names):
        if name and not is_unknown(name) and name.lower() not in {u.lower() for u in unique}:
            unique.append(name)
    return unique


# Reading the file


def _lines(raw: bytes | IO[bytes]) -> Iterator[str]:
    """The file's lines, decoded as they are read, within the upload size limit."""
    file = io.BytesIO(raw) if isinstance(raw, bytes) else raw
    bounded = BoundedReader(file, settings.FILE_UPLOAD_MAX_SIZE)
    for line in io.TextIOWrapper(io.BufferedReader(bounded), encoding="utf-8-sig", newline=""):
        if "\x00" in line:
            raise ValueError(_("The file contains a NUL character, which no text may hold."))
        yield line


class Reader:
    """The rows of a commitments file, checked against the column mapping."""

    def __init__(self, columns: Mapping[str, str]) -> None:
        self.columns = {
            name: columns.get(name) or DEFAULT_COLUMNS[name] for name in DEFAULT_COLUMNS
        }
        self.errors: list[RowError] = []

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def read(self, raw: bytes | IO[bytes]) -> list[Row]:
        reader = csv.reader(_lines(raw))
        try:
            return self._rows(reader)
        except UnicodeDecodeError:
            self.error(1, "", _("The file is not UTF-8 text: save it as “CSV UTF-8”."))
        except (LimitExceeded, ValueError) as refusal:
            self.error(1, "", str(refusal))
        except csv.Error as problem:
            self.error(
                reader.line_num,
                "",
                _("The file is not valid CSV: %(problem)s") % {"problem": problem},
            )
        return []

    def _header(self, header: list[str]) -> dict[str, int] | None:
        """Where each field's column is; None, with the problems, when one is missing."""
        found = {
            heading.strip().lower(): index
            for index, heading in enumerate(header)
            if heading.strip()
        }
        if len(found) != len([heading for heading in header if heading.strip()]):
            self.error(1, "", _("A column appears twice."))
        places: dict[str, int] = {}
        for name, column in self.columns.items():
            if column.strip().lower() in found:
                places[name] = found[column.strip().lower()]
            elif name in REQUIRED:
                self.error(
                    1, column, _("This column is missing: map the title to a column of the file.")
                )
        return None if self.errors else places

    def _rows(self, reader) -> list[Row]:
        header: list[str] = next(reader, [])
        places = self._header(header)
        if places is None:
            return []
        mapped = set(places.values())
        rows: list[Row] = []
        seen: dict[str, int] = {}
        for number, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue
            if len(rows) + len({e.row for e in self.errors}) >= MAX_ROWS:
                raise LimitExceeded(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
            # Spreadsheets drop trailing empty cells, or add some: only values count.
            if len(values) < len(header):
                values += [""] * (len(header) - len(values))
            elif len(values) > len(header) and not any(v.strip() for v in values[len(header) :]):
                values = values[: len(header)]
            if len(values) != len(header):
                self.error(
                    number,
                    "",
                    _("The row has %(got)d values for %(want)d columns.")
                    % {"got": len(values), "want": len(header)},
                )
                continue
            if any(len(value) > MAX_VALUE for value in values):
                self.error(
                    number, "", _("A value is longer than %(max)d characters.") % {"max": MAX_VALUE}
                )
                continue
            cells = {name: values[index].strip() for name, index in places.items()}
            extra = {
                header[index].strip()
                or _("Column %(number)d") % {"number": index + 1}: value.strip()
                for index, value in enumerate(values)
                if index not in mapped and value.strip()
            }
            row = self._row(number, cells, extra)
            if row is None:
                continue
            key = row.identifier.lower() or row.title.lower()
            if key in seen:
                column = self.columns["identifier" if row.identifier else "title"]
                self.error(
                    number,
                    column,
                    _("Row %(row)d has the same commitment already.") % {"row": seen[key]},
                )
                continue
            seen[key] = number
            rows.append(row)
        return rows

    def _row(self, number: int, cells: dict[str, str], extra: dict[str, str]) -> Row | None:
        problems = len(self.errors)
        column = self.columns

        def cell(name: str) -> str:
            return "" if is_unknown(cells.get(name, "")) else cells.get(name, "")

        title = cell("title")
        if not title:
            self.error(number, column["title"], _("Every commitment needs its title."))
        short_title = cell("short_title")
        if len(short_title) > 200:
            self.error(
                number,
                column["short_title"],
                _("A short title has at most 200 characters; this one has %(count)d.")
                % {"count": len(short_title)},
            )
        identifier = cell("identifier")
        if len(identifier) > 100:
            self.error(number, column["identifier"], _("An identifier has at most 100 characters."))
        country = cell("country")
        if len(country) > 200:
            self.error(number, column["country"], _("At most 200 characters, please."))
        dates: dict[str, date | None] = {}
        for name in ("start_date", "end_date"):
            try:
                dates[name] = parse_date(cells.get(name, ""), end=name == "end_date")
            except ValueError:
                dates[name] = None
                self.error(
                    number,
                    column[name],
                    _("“%(value)s” is not a date: write it as 7/1/2014, July 2014 or 2014.")
                    % {"value": cells[name]},
                )
        start, end = dates["start_date"], dates["end_date"]
        if start and end and end < start:
            self.error(number, column["end_date"], _("The end date is before the start date."))
        url = cell("url")
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                self.error(
                    number, column["url"], _("Write a full web address, starting with https://.")
                )
        try:
            completion = parse_completion(cells.get("completion", ""))
        except ValueError:
            completion = ""
            self.error(
                number,
                column["completion"],
                _(
                    "“%(value)s” is not a completion: write not started, limited, substantial, "
                    "complete or withdrawn."
                )
                % {"value": cells["completion"]},
            )
        try:
            practice_change = parse_practice_change(cells.get("practice_change", ""))
        except ValueError:
            practice_change = ""
            self.error(
                number,
                column["practice_change"],
                _(
                    "“%(value)s” is not an answer: write did not change, marginal, major or "
                    "outstanding."
                )
                % {"value": cells["practice_change"]},
            )
        institutions = {}
        for name in ("lead", "supporting"):
            institutions[name] = split_institutions(cells.get(name, ""))
            if any(len(found) > MAX_NAME for found in institutions[name]):
                self.error(
                    number,
                    column[name],
                    _("An institution's name has at most %(max)d characters.") % {"max": MAX_NAME},
                )
        if len(self.errors) > problems:
            return None
        return Row(
            number=number,
            identifier=identifier,
            title=title,
            short_title=short_title,
            text=cell("text"),
            country=country,
            start_date=start,
            end_date=end,
            url=url,
            completion=completion,
            practice_change=practice_change,
            lead=institutions["lead"],
            supporting=institutions["supporting"],
            extra=extra,
        )


# Writing


def can_import(user, collaboration: Collaboration) -> Decision:
    if collaboration.model != Model.POLICY:
        return False, _("Commitments belong to a policy development collaboration.")
    return can_import_commitments(user, collaboration)


def import_commitments(
    actor,
    collaboration: Collaboration,
    raw: bytes | IO[bytes],
    *,
    columns: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
    filename: str = "",
    progress: Progress = no_progress,
) -> Summary:
    """Check every row of `raw`, then import the commitments in one transaction.

    A bad row stops the import with RowsRefused, having changed nothing, unless
    `skip_invalid`: then the good rows are imported and the summary lists the bad ones.
    `actor` None is the system (the management command)."""
    if actor is not None:
        require(can_import(actor, collaboration))
    elif collaboration.model != Model.POLICY:
        raise ValidationError(_("Commitments belong to a policy development collaboration."))
    unknown = set(columns or {}) - set(DEFAULT_COLUMNS)
    if unknown:
        raise ImportFailed(
            [_("No field is called %(names)s.") % {"names": ", ".join(sorted(unknown))}]
        )
    progress(_("Checking every row"), 0, 0)
    reader = Reader(columns or {})
    rows = reader.read(raw)
    file_refused = any(error.row == 1 for error in reader.errors)
    if reader.errors and (file_refused or not skip_invalid):
        raise RowsRefused(reader.errors)
    summary = Summary(skipped=reader.errors)
    with transaction.atomic():
        organisations = _organisations(rows)
        for done, row in enumerate(rows, start=1):
            created, changed = _save(actor, collaboration, row, organisations, filename)
            if created:
                summary.created += 1
            elif changed:
                summary.updated += 1
            else:
                summary.unchanged += 1
            if done % 50 == 0 or done == len(rows):
                progress(_("Importing the commitments"), done, len(rows))
        if summary.created or summary.updated:
            record_activity(
                actor,
                collaboration,
                _("Commitments were imported from a CSV file: %(line)s.")
                % {"line": summary.line()},
                side=collaboration.civic_organisation_id,
            )
    return summary


def _organisations(rows: list[Row]) -> dict[str, Organisation]:
    """The organisations of the directory the file names, by lower-case name, in one query."""
    names = {name.lower() for row in rows for name in (*row.lead, *row.supporting)}
    found = Organisation.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=names)
    return {org.lower_name: org for org in found.order_by("pk")}  # type: ignore[attr-defined]


def _find(collaboration: Collaboration, row: Row) -> Commitment | None:
    commitments = Commitment.objects.filter(collaboration=collaboration)
    if row.identifier:
        return commitments.filter(identifier__iexact=row.identifier).order_by("pk").first()
    return commitments.filter(identifier="", title=row.title).order_by("pk").first()


def _save(
    actor,
    collaboration: Collaboration,
    row: Row,
    organisations: dict[str, Organisation],
    filename: str,
) -> tuple[bool, bool]:
    """Create or update the commitment of `row`; say whether it was created or changed."""
    commitment = _find(collaboration, row)
    created = commitment is None
    if commitment is None:
        commitment = Commitment(
            collaboration=collaboration,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
    else:
        commitment.collaboration = collaboration
    before = None if created else audit.snapshot(commitment)
    commitment.identifier = row.identifier
    commitment.title, commitment.short_title, commitment.text = row.title, row.short_title, row.text
    commitment.country, commitment.url = row.country, row.url
    commitment.start_date, commitment.end_date = row.start_date, row.end_date
    commitment.extra = row.extra
    from_completion, from_practice = commitment.completion, commitment.practice_change
    if row.completion:
        commitment.completion = row.completion
    if row.practice_change:
        commitment.practice_change = row.practice_change
    commitment.full_clean(exclude=["created_by"], validate_constraints=False)
    commitment.save()
    if before is None:
        audit.log_created(actor, commitment)
    else:
        audit.log_updated(actor, commitment, before)
    institutions = [
        (role, name, organisations.get(name.lower()))
        for role, names in (
            (InstitutionRole.LEAD, row.lead),
            (InstitutionRole.SUPPORTING, row.supporting),
        )
        for name in names
    ]
    changed = set_institutions(commitment, institutions)
    if (commitment.completion, commitment.practice_change) != (from_completion, from_practice):
        _assessed_by_file(actor, commitment, from_completion, from_practice, row, filename)
    return created, created or changed or before != audit.snapshot(commitment)


def _assessed_by_file(
    actor, commitment: Commitment, from_completion: str, from_practice: str, row: Row, filename: str
) -> None:
    """An assessment the file changes is dated today, with the file as its evidence."""
    assessment = CommitmentAssessment(
        commitment=commitment,
        on=timezone.localdate(),
        from_completion=from_completion,
        completion=commitment.completion,
        from_practice_change=from_practice,
        practice_change=commitment.practice_change,
        evidence=_("Imported from the file “%(file)s”, row %(row)d.")
        % {"file": filename or _("a CSV file"), "row": row.number},
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    assessment.save()
    audit.log_created(actor, assessment)


# The task worker


def allowed(user, options: dict) -> Decision:
    """Whether `user` may import commitments into the collaboration `options` names."""
    collaboration = Collaboration.objects.filter(pk=options.get("collaboration") or 0).first()
    if collaboration is None:
        return False, _("Choose the policy collaboration the commitments belong to.")
    return can_import(user, collaboration)


def queue_import(user, data: dict[str, Any]) -> ImportRun:
    """Queue the import of the upload form's file into its collaboration."""
    return start_import(
        user,
        kind=KIND,
        file=data["file"],
        options={
            "collaboration": data["collaboration"].pk,
            "columns": data["columns"],
            "skip_invalid": bool(data["skip_invalid"]),
        },
    )


def run_import(run: ImportRun, progress: Progress) -> list[str]:
    """Import an upload's commitments in the task worker."""
    collaboration = Collaboration.objects.select_related("civic_organisation", "institution").get(
        pk=run.options["collaboration"]
    )
    try:
        with run.file.open("rb") as upload:
            summary = import_commitments(
                run.created_by,
                collaboration,
                upload,
                columns=run.options.get("columns") or {},
                skip_invalid=run.options.get("skip_invalid", False),
                filename=run.filename,
                progress=progress,
            )
    except ValidationError as error:
        raise ImportFailed(error.messages) from None
    return summary.lines()
