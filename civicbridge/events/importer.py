"""Past events and their projects from two CSV files (deliverable 8).

Every row of both files is read and checked first; any problem, in any row, stops the
import with a report naming the file, the row and the column, and nothing is saved. Then
everything is written in one transaction. Importing again updates what the first import
made: an event is the same event when its web address is, else when its name and start
day are; a project is the same project of its event when its web address is, else when
its title is. The README lists the columns.

An imported event is a closed event of the importing civic organisation with the
institution chosen for the import. A project with a contact's e-mail address gets the
follow-ups still ahead of it.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.choices import Model, Stage
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import record_activity
from civicbridge.collaborations.services.checkins import refresh_owed_checkins
from civicbridge.core import audit
from civicbridge.core.dates import add_months
from civicbridge.core.limits import MEGABYTE, BoundedReader, LimitExceeded
from civicbridge.core.permissions import Decision, require
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.imports import ImportFailed as ImportRefused
from civicbridge.partners.imports import Progress
from civicbridge.partners.models import ImportRun, Organisation
from civicbridge.partners.services import start_import

from .choices import EventKind, Respondent
from .models import Criterion, Event, Project, Team
from .permissions import can_create_event
from .services.followups import Person, event_day, project_follow_up_months, schedule_project

EVENT_COLUMNS = {
    "name": True,  # required?
    "url": False,
    "start": True,
    "end": False,
    "participants": False,
    "themes": False,
    "judging criteria": False,
    "prizes": False,
    "kind": False,
}
PROJECT_COLUMNS = {
    "title": True,
    "url": False,
    "event": True,
    "team members": False,
    "technologies": False,
    "winner": False,
    "repository url": False,
    "contact name": False,
    "contact email": False,
}
SEPARATOR = ";"
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
MAX_ROWS = 5000
MAX_VALUE = 5000  # characters: the longest column (prizes) holds as many
MAX_REPORTED = 100
EVENTS_FILE, PROJECTS_FILE = "events", "projects"


@dataclass(frozen=True)
class RowError:
    file: str
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = _("%(file)s file, row %(row)d") % {"file": self.file, "row": self.row}
        if self.column:
            where += _(", column “%(column)s”") % {"column": self.column}
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """Nothing was imported; `errors` names each problem by file, row and column."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors[:MAX_REPORTED]))

    @property
    def shown(self) -> list[RowError]:
        return self.errors[:MAX_REPORTED]


@dataclass
class EventRow:
    row: int
    name: str
    url: str
    start: date
    end: date
    participants: int | None
    themes: list[str]
    criteria: list[str]
    prizes: str
    kind: str


@dataclass
class ProjectRow:
    row: int
    title: str
    url: str
    event: EventRow
    members: list[str]
    technologies: list[str]
    winner: bool
    repository_url: str
    contact_name: str
    contact_email: str


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


@dataclass
class Summary:
    events: Counts = field(default_factory=Counts)
    projects: Counts = field(default_factory=Counts)
    follow_ups: int = 0
    imported: list[Collaboration] = field(default_factory=list)

    def lines(self) -> list[str]:
        line = _("%(kind)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
        return [
            line % {"kind": _("Events"), **vars(self.events)},
            line % {"kind": _("Projects"), **vars(self.projects)},
            _("Follow-ups planned: %(count)d.") % {"count": self.follow_ups},
        ]


class NulCharacter(Exception):
    pass


def _lines(raw: bytes | str | IO[bytes]) -> Iterator[str]:
    """The file's lines, decoded as they are read, within EVENT_IMPORT_MAX_MB."""
    if isinstance(raw, str):
        lines: Iterable[str] = io.StringIO(raw, newline="")
    else:
        file = io.BytesIO(raw) if isinstance(raw, bytes) else raw
        bounded = BoundedReader(file, settings.EVENT_IMPORT_MAX_MB * MEGABYTE)
        lines = io.TextIOWrapper(io.BufferedReader(bounded), encoding="utf-8-sig", newline="")
    for line in lines:
        if "\x00" in line:
            raise NulCharacter
        yield line


class Reader:
    """One CSV file's rows, and the problems found in them."""

    def __init__(self, name: str, raw: bytes | str | IO[bytes], columns: dict[str, bool]) -> None:
        self.name = name
        self.errors: list[RowError] = []
        self.rows: list[tuple[int, dict[str, str]]] = []
        reader = csv.reader(_lines(raw))
        # The file is read a line at a time: its size, its rows and each value are limited
        # as they come, so a file of millions of empty rows stops at the first one too many.
        try:
            self._read(reader, columns)
        except UnicodeDecodeError:
            self.error(1, "", _("The file is not UTF-8 text: save it as “CSV UTF-8”."))
        except LimitExceeded as refusal:
            self.error(1, "", str(refusal))
        except NulCharacter:
            self.error(1, "", _("The file contains a NUL character, which no text may hold."))
        except csv.Error as problem:
            self.error(
                reader.line_num,
                "",
                _("The file is not valid CSV: %(problem)s") % {"problem": problem},
            )

    def _read(self, reader, columns: dict[str, bool]) -> None:
        header = [heading.strip().lower() for heading in next(reader, [])]
        for heading in header:
            if heading not in columns:
                self.error(1, heading, _("This column is unknown; the README lists the columns."))
        for heading, required in columns.items():
            if required and heading not in header:
                self.error(1, heading, _("This column is missing."))
        if len(set(header)) != len(header):
            self.error(1, "", _("A column appears twice."))
        if self.errors:
            return
        for number, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue
            if len(self.rows) == MAX_ROWS:
                raise LimitExceeded(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
            if len(values) != len(header):
                self.error(
                    number,
                    "",
                    _("The row has %(got)d values for %(want)d columns.")
                    % {"got": len(values), "want": len(header)},
                )
                continue
            long = next(
                (h for h, v in zip(header, values, strict=True) if len(v) > MAX_VALUE), None
            )
            if long is not None:
                self.error(
                    number,
                    long,
                    _("A value is longer than %(max)d characters.") % {"max": MAX_VALUE},
                )
                continue
            self.rows.append((number, dict(zip(header, (v.strip() for v in values), strict=True))))

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(self.name, row, column, message))

    def text(self, number: int, values: dict[str, str], column: str, max_length: int) -> str:
        value = values.get(column, "")
        if len(value) > max_length:
            self.error(
                number, column, _("At most %(max)d characters, please.") % {"max": max_length}
            )
        return value

    def required(self, number: int, values: dict[str, str], column: str, max_length: int) -> str:
        value = self.text(number, values, column, max_length)
        if not value:
            self.error(number, column, _("This value is required."))
        return value

    def url(self, number: int, values: dict[str, str], column: str) -> str:
        value = self.text(number, values, column, 500)
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                self.error(number, column, _("Write a full web address, starting with https://."))
        return value

    def day(self, number: int, values: dict[str, str], column: str) -> date | None:
        value = values.get(column, "")
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.error(number, column, _("Write the date as YYYY-MM-DD, such as 2024-03-16."))
            return None

    def items(self, number: int, values: dict[str, str], column: str, max_length: int) -> list[str]:
        found: list[str] = []
        for item in values.get(column, "").split(SEPARATOR):
            item = item.strip()
            if len(item) > max_length:
                self.error(
                    number,
                    column,
                    _("Each item has at most %(max)d characters.") % {"max": max_length},
                )
            elif item and item.lower() not in {f.lower() for f in found}:
                found.append(item)
        return found


def read_events(raw: bytes | str | IO[bytes], today: date) -> tuple[list[EventRow], list[RowError]]:
    """The events file's rows, checked; a row with a problem is left out and reported."""
    reader = Reader(EVENTS_FILE, raw, EVENT_COLUMNS)
    events: list[EventRow] = []
    keys: dict[tuple, int] = {}
    for number, values in reader.rows:
        problems = len(reader.errors)
        name = reader.required(number, values, "name", 200)
        url = reader.url(number, values, "url")
        start = reader.day(number, values, "start")
        if not values.get("start"):
            reader.error(number, "start", _("This value is required."))
        end = reader.day(number, values, "end") or start
        if start and end and end < start:
            reader.error(number, "end", _("The end is before the start."))
        if end and end > today:
            reader.error(number, "end", _("Only past events are imported: this one has not ended."))
        participants = None
        if values.get("participants"):
            try:
                participants = int(values["participants"])
                if participants < 0:
                    raise ValueError
            except ValueError:
                reader.error(number, "participants", _("Write a whole number, such as 80."))
        kind = values.get("kind", "").lower() or EventKind.HACKATHON
        if kind not in EventKind.values:
            reader.error(
                number,
                "kind",
                _("Write one of: %(kinds)s.") % {"kinds": ", ".join(EventKind.values)},
            )
        row = EventRow(
            row=number,
            name=name,
            url=url,
            start=start or today,
            end=end or today,
            participants=participants,
            themes=reader.items(number, values, "themes", 100),
            criteria=reader.items(number, values, "judging criteria", 200),
            prizes=reader.text(number, values, "prizes", 5000),
            kind=kind,
        )
        key = event_key(row)
        if key in keys:
            reader.error(
                number,
                "url" if url else "name",
                _("Row %(row)d has the same event already.") % {"row": keys[key]},
            )
        if len(reader.errors) == problems:
            keys[key] = number
            events.append(row)
    return events, reader.errors


def event_key(row: EventRow) -> tuple:
    return ("url", row.url) if row.url else ("name", row.name.lower(), row.start)


def read_projects(
    raw: bytes | str | IO[bytes], events: list[EventRow]
) -> tuple[list[ProjectRow], list[RowError]]:
    """The projects file's rows, checked, each with the event row it belongs to."""
    reader = Reader(PROJECTS_FILE, raw, PROJECT_COLUMNS)
    by_url = {event.url: event for event in events if event.url}
    by_name: dict[str, list[EventRow]] = {}
    for row in events:
        by_name.setdefault(row.name.lower(), []).append(row)
    projects: list[ProjectRow] = []
    keys: dict[tuple, int] = {}
    for number, values in reader.rows:
        problems = len(reader.errors)
        title = reader.required(number, values, "title", 300)
        url = reader.url(number, values, "url")
        reference = reader.required(number, values, "event", 500)
        named = by_name.get(reference.lower(), [])
        event = by_url.get(reference) or (named[0] if len(named) == 1 else None)
        if reference and event is None:
            reader.error(
                number,
                "event",
                _("Two events of the events file have this name: write the event's URL.")
                if named
                else _("No event of the events file has this name or URL."),
            )
        winner = values.get("winner", "").lower()
        if winner not in YES | NO:
            reader.error(number, "winner", _("Write yes or no."))
        email = reader.text(number, values, "contact email", 254)
        if email:
            try:
                EmailValidator()(email)
            except ValidationError:
                reader.error(number, "contact email", _("This is not an e-mail address."))
        contact_name = reader.text(number, values, "contact name", 200)
        if email and not contact_name:
            reader.error(number, "contact name", _("Name the contact whose address this is."))
        members = reader.items(number, values, "team members", 200)
        technologies = reader.items(number, values, "technologies", 100)
        repository_url = reader.url(number, values, "repository url")
        if event is None:
            continue
        # Within one event, a web address or a title names one project.
        mine = {"url": (event.row, "url", url), "title": (event.row, "title", title.lower())}
        for column, key in mine.items():
            if key[2] and key in keys:
                reader.error(
                    number,
                    column,
                    _("Row %(row)d has this %(column)s for the same event already.")
                    % {"row": keys[key], "column": column},
                )
        keys.update({key: number for key in mine.values() if key[2] and key not in keys})
        if len(reader.errors) > problems:
            continue
        projects.append(
            ProjectRow(
                row=number,
                title=title,
                url=url,
                event=event,
                members=members,
                technologies=technologies,
                winner=winner in YES,
                repository_url=repository_url,
                contact_name=contact_name,
                contact_email=email,
            )
        )
    return projects, reader.errors


def can_import(user, organisation: Organisation) -> Decision:
    """A civic organisation's members import its past events, as they create new ones."""
    if organisation.kind == OrganisationKind.GOVERNMENT:
        return False, _("Events are imported by the civic organisation that ran them.")
    return can_create_event(user, organisation)


def import_events(
    actor,
    organisation: Organisation,
    institution: Organisation,
    events_csv: bytes | str | IO[bytes],
    projects_csv: bytes | str | IO[bytes] | None = None,
    *,
    today: date | None = None,
) -> Summary:
    """Check both files, then import them in one transaction, or raise ImportFailed.

    `actor` None is the system (the management command); a user must be a member of
    `organisation`.
    """
    if actor is not None:
        require(can_import(actor, organisation))
    elif organisation.kind == OrganisationKind.GOVERNMENT:
        raise ValidationError(_("Events are imported by the civic organisation that ran them."))
    today = today or timezone.localdate()
    events, errors = read_events(events_csv, today)
    projects: list[ProjectRow] = []
    if projects_csv is not None:
        projects, project_errors = read_projects(projects_csv, events)
        errors += project_errors
    if institution.kind != OrganisationKind.GOVERNMENT:
        errors.insert(0, RowError("", 0, "", _("The institution must be a government body.")))
    if errors:
        raise ImportFailed(errors)
    try:
        with transaction.atomic():
            return _write(actor, organisation, institution, events, projects, today)
    except IntegrityError:
        # A race with another import of the same events: the checks above cannot see it.
        raise ImportFailed(
            [RowError("", 0, "", _("Another import changed these events meanwhile: try again."))]
        ) from None


def allowed(user, options: dict) -> Decision:
    """Whether `user` may import past events for the organisation `options` names."""
    organisation = Organisation.objects.filter(pk=options.get("organisation") or 0).first()
    if organisation is None:
        return False, _("Choose the organisation that ran the events.")
    return can_import(user, organisation)


def queue_import(user, data: dict) -> ImportRun:
    """Queue the import of the upload form's files for its organisation and institution."""
    return start_import(
        user,
        kind="events_csv",
        file=data["events"],
        second_file=data["projects"] or None,
        options={"organisation": data["organisation"].pk, "institution": data["institution"].pk},
    )


def run_import(run: ImportRun, progress: Progress) -> list[str]:
    """Import an upload's events file, and its projects file if any, in the task worker."""
    organisation = Organisation.objects.get(pk=run.options["organisation"])
    institution = Organisation.objects.get(pk=run.options["institution"])
    progress(_("Checking every row"), 0, 0)
    try:
        with run.file.open("rb") as events, ExitStack() as stack:
            projects = stack.enter_context(run.second_file.open("rb")) if run.second_file else None
            summary = import_events(run.created_by, organisation, institution, events, projects)
    except ImportFailed as failure:
        raise ImportRefused([str(error) for error in failure.errors]) from None
    except ValidationError as error:
        raise ImportRefused(error.messages) from None
    return summary.lines()


def _write(actor, organisation, institution, events, projects, today: date) -> Summary:
    summary = Summary()
    saved: dict[int, Event] = {}  # by the row's number
    errors: list[RowError] = []
    for row in events:
        event, created, changed = _save_event(actor, organisation, institution, row)
        saved[row.row] = event
        summary.events.add(created, changed)
        summary.imported.append(event.collaboration)
    for row in projects:
        event = saved[row.event.row]
        try:
            project, created, changed = _save_project(actor, event, row)
        except ValidationError as error:
            errors.extend(
                RowError(PROJECTS_FILE, row.row, column, " ".join(messages))
                for column, messages in error.message_dict.items()
            )
            continue
        summary.projects.add(created, changed)
        if row.contact_email:
            summary.follow_ups += _plan_follow_ups(actor, event, project, row, today)
    if errors:
        raise ImportFailed(errors)
    return summary


def _find_event(organisation: Organisation, row: EventRow) -> Event | None:
    events = Event.objects.select_related("collaboration").filter(
        collaboration__civic_organisation=organisation
    )
    if row.url:
        found = events.filter(url=row.url).order_by("pk").first()
        if found is not None:
            return found
    return (
        events.filter(collaboration__title__iexact=row.name, collaboration__start_date=row.start)
        .order_by("pk")
        .first()
    )


def _save_event(actor, organisation, institution, row: EventRow) -> tuple[Event, bool, bool]:
    """Create or update the event of `row`, with its collaboration and rubric."""
    event = _find_event(organisation, row)
    created = event is None
    if event is None:
        collaboration = Collaboration(
            model=Model.EVENT,
            civic_organisation=organisation,
            institution=institution,
            stage=Stage.CLOSED,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        event = Event(collaboration=collaboration)
    collaboration = event.collaboration
    before = None if created else (audit.snapshot(collaboration), audit.snapshot(event))
    collaboration.title = row.name
    collaboration.start_date, collaboration.end_date = row.start, row.end
    if created:
        collaboration.closed_on = row.end
    event.kind, event.url, event.themes = row.kind, row.url, row.themes
    event.prizes, event.reported_participants = row.prizes, row.participants
    collaboration.full_clean(exclude=["created_by"])  # none when the system imports
    collaboration.save()
    refresh_owed_checkins(collaboration)
    event.collaboration = collaboration
    event.full_clean()
    event.save()
    changed = _save_criteria(actor, event, row.criteria)
    if before is None:
        audit.log_created(actor, collaboration)
        audit.log_created(actor, event)
        record_activity(
            actor,
            collaboration,
            _("The event was imported from a CSV file of past events."),
            side=organisation.pk,
        )
        return event, True, True
    audit.log_updated(actor, collaboration, before[0])
    audit.log_updated(actor, event, before[1])
    changed = changed or before != (audit.snapshot(collaboration), audit.snapshot(event))
    return event, False, changed


def _save_criteria(actor, event: Event, names: list[str]) -> bool:
    """Make the rubric the file's list, in its order; a criterion already scored stays."""
    existing = {criterion.name.lower(): criterion for criterion in event.criteria.all()}
    changed = False
    for order, name in enumerate(names):
        criterion = existing.pop(name.lower(), None)
        if criterion is None:
            criterion = Criterion(event=event, name=name, order=order)
            criterion.full_clean()
            criterion.save()
            audit.log_created(actor, criterion)
            changed = True
        elif criterion.order != order:
            criterion.order = order
            criterion.save(update_fields=["order", "updated_at"])
            changed = True
    for criterion in existing.values():
        if not criterion.scores.exists():
            pk = criterion.pk
            criterion.delete()
            audit.log_deleted(actor, criterion, pk)
            changed = True
    return changed


def _find_project(event: Event, row: ProjectRow) -> Project | None:
    if row.url:
        found = event.projects.filter(url=row.url).order_by("pk").first()
        if found is not None:
            return found
    return event.projects.filter(title__iexact=row.title).order_by("pk").first()


def _save_project(actor, event: Event, row: ProjectRow) -> tuple[Project, bool, bool]:
    """Create or update the project of `row`, with a team holding the members' names."""
    project = _find_project(event, row)
    created = project is None
    if project is None:
        project = Project(event=event)
    elif event.projects.filter(title__iexact=row.title).exclude(pk=project.pk).exists():
        raise ValidationError({"title": _("Another project of this event has this title.")})
    before = None if created else audit.snapshot(project)
    project.title, project.url = row.title, row.url
    project.technologies, project.winner = row.technologies, row.winner
    project.repository_url = row.repository_url
    project.full_clean(validate_constraints=False)
    project.save()
    members_changed = _save_team(actor, event, project, row.members)
    if before is None:
        audit.log_created(actor, project)
        return project, True, True
    audit.log_updated(actor, project, before)
    return project, False, members_changed or before != audit.snapshot(project)


def _save_team(actor, event: Event, project: Project, members: list[str]) -> bool:
    """Keep the members' names on the project's team, made for it if need be."""
    text = "\n".join(members)
    team = project.team
    if team is None:
        if not members:
            return False
        team = Team(event=event, name=project.title[:200], members_text=text)
        if event.teams.filter(name=team.name).exists():
            raise ValidationError({"team members": _("A team of this event has this name.")})
        team.full_clean(validate_constraints=False)
        team.save()
        audit.log_created(actor, team)
        project.team = team
        project.save(update_fields=["team", "updated_at"])
        return True
    if team.members_text == text:
        return False
    before = audit.snapshot(team)
    team.members_text = text
    team.save(update_fields=["members_text", "updated_at"])
    audit.log_updated(actor, team, before)
    return True


def _plan_follow_ups(actor, event: Event, project: Project, row: ProjectRow, today: date) -> int:
    """The follow-ups still ahead of a project whose contact the file names: an event
    imported long after it ended is not asked about periods long gone."""
    since = event_day(event.collaboration)
    if since is None:
        return 0
    months = [
        period
        for period in project_follow_up_months(event.collaboration)
        if add_months(since, period) >= today
    ]
    person = Person(Respondent.TEAM, row.contact_name, row.contact_email)
    return len(schedule_project(actor, project, [person], months, since, today))
