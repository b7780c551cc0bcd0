"""Read an uploaded OCDS file into its contracting processes, each with its releases and
its compiled current state, before anything is written.

A process remembers where each of its parts sits in the file, so a problem found later
can name the release (ocid and id) and the JSON path it concerns.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from urllib.parse import urldefrag

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicbridge.core.limits import LimitExceeded, Limits, read_json_bytes

from .compile import compile_releases
from .validation import OcdsError, check_package, json_path, release_label

# A step into the data: a key of an object, or ("id", value) for the item of a list
# whose `id` is value.
Step = str | tuple[str, str]
# The lists whose items the import limits count, and what a refusal calls them.
RECORDS = {"releases": gettext_lazy("releases"), "records": gettext_lazy("records")}


@dataclass(frozen=True)
class ReleaseRef:
    """One release of a process: what ImportedRelease keeps to know it again."""

    id: str
    date: str
    tags: list[str]


@dataclass
class Source:
    """A release, or a record's compiled release, and where it is in the file."""

    label: str
    prefix: list[Any]
    data: dict


@dataclass
class Process:
    """One contracting process of the file: its ocid, releases and current state."""

    ocid: str
    releases: list[ReleaseRef]
    compiled: dict
    sources: list[Source] = field(default_factory=list)

    def problem(self, steps: Sequence[Step], message: str) -> str:
        """A sentence naming the release and JSON path of the part `steps` lead to."""
        label, path = self.locate(steps)
        return _("%(owner)s, at %(path)s: %(message)s") % {
            "owner": label,
            "path": path,
            "message": message,
        }

    def locate(self, steps: Sequence[Step]) -> tuple[str, str]:
        """The latest release holding the part `steps` lead to, and its JSON path there."""
        for source in reversed(self.sources):
            found = _walk(source.data, steps)
            if found is not None:
                return source.label, json_path(source.prefix + found)
        latest = self.sources[-1]
        return latest.label, json_path(
            latest.prefix + [s if isinstance(s, str) else s[1] for s in steps]
        )


def _walk(data: Any, steps: Sequence[Step]) -> list[Any] | None:
    """The concrete path (keys and list indexes) of `steps` in `data`, if it has it all."""
    path: list[Any] = []
    for step in steps:
        if isinstance(step, tuple):
            if not isinstance(data, list):
                return None
            index = next(
                (
                    i
                    for i, item in enumerate(data)
                    if isinstance(item, dict) and str(item.get("id")) == step[1]
                ),
                None,
            )
            if index is None:
                return None
            path.append(index)
            data = data[index]
        else:
            if not isinstance(data, dict) or step not in data:
                return None
            path.append(step)
            data = data[step]
    return path


def read_json(raw: bytes | IO[bytes]) -> Any:
    """The file's JSON, numbers with a fraction read as Decimal so no cent is lost.

    The file is read as a stream first and refused at the first import limit it crosses
    (size, nesting, releases or records, values), before any of it is built.
    """
    try:
        raw = read_json_bytes(raw, Limits.from_settings(), RECORDS)
    except LimitExceeded as refusal:
        raise OcdsError([str(refusal)]) from None
    try:
        # Only the text is kept: the bytes go as soon as they are decoded.
        text, raw = raw.decode("utf-8-sig"), b""
    except UnicodeDecodeError:
        raise OcdsError([_("The file is not UTF-8 text, as OCDS files are.")]) from None
    if "\x00" in text or "\\u0000" in text:
        raise OcdsError([_("The file contains a NUL character, which no text may hold.")])
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise OcdsError(
            [
                _("The file is not valid JSON: %(problem)s at line %(line)d, column %(column)d.")
                % {"problem": error.msg, "line": error.lineno, "column": error.colno}
            ]
        ) from None
    except ValueError as error:
        raise OcdsError([str(error)]) from None


def _refuse_constant(name: str) -> None:
    raise ValueError(_("The file is not valid JSON: %(name)s is not a number.") % {"name": name})


def read_processes(raw: bytes | IO[bytes]) -> list[Process]:
    """The file's processes, after the whole file passed the official schema."""
    data = read_json(raw)
    kind = check_package(data)
    processes = _from_releases(data) if kind == "release" else _from_records(data)
    duplicates = _duplicate_release_ids(processes)
    if duplicates:
        raise OcdsError(duplicates)
    return processes


def _from_releases(package: dict) -> list[Process]:
    by_ocid: dict[str, list[tuple[int, dict]]] = {}
    for index, release in enumerate(package["releases"]):
        by_ocid.setdefault(release["ocid"], []).append((index, release))
    processes = []
    for ocid, indexed in by_ocid.items():
        releases = [release for _index, release in indexed]
        dated = sorted(indexed, key=lambda pair: pair[1]["date"])
        processes.append(
            Process(
                ocid=ocid,
                releases=[_ref(release) for release in releases],
                compiled=compile_releases(releases),
                sources=[
                    Source(release_label(release), ["releases", index], release)
                    for index, release in dated
                ],
            )
        )
    return processes


def _ref(release: dict) -> ReleaseRef:
    return ReleaseRef(str(release["id"]), release["date"], list(release["tag"]))


def _from_records(package: dict) -> list[Process]:
    processes: list[Process] = []
    seen: set[str] = set()
    for index, record in enumerate(package["records"]):
        ocid = record.get("ocid")
        label = _("Record “%(ocid)s”") % {"ocid": ocid}
        if not ocid:
            raise OcdsError([_("Record %(index)d has no ocid.") % {"index": index}])
        if ocid in seen:
            raise OcdsError([_("%(record)s appears twice in the file.") % {"record": label}])
        seen.add(ocid)
        processes.append(_record_process(index, record, label))
    return processes


def _record_process(index: int, record: dict, label: str) -> Process:
    """A record's process: its releases, embedded or linked by URL, and its state."""
    items = record.get("releases", [])
    embedded = [item for item in items if "ocid" in item and "id" in item]
    refs = [_ref(item) if item in embedded else _linked(item) for item in items]
    sources = [
        Source(release_label(item), ["records", index, "releases", position], item)
        for position, item in enumerate(items)
        if item in embedded
    ]
    compiled = record.get("compiledRelease")
    if compiled is not None:
        sources.append(Source(label, ["records", index, "compiledRelease"], compiled))
    elif embedded:
        compiled = compile_releases(embedded)
    else:
        raise OcdsError(
            [
                _(
                    "%(record)s has neither a compiled release nor its releases: there is "
                    "nothing to read the contract from."
                )
                % {"record": label}
            ]
        )
    return Process(ocid=record["ocid"], releases=refs, compiled=compiled, sources=sources)


def _linked(item: dict) -> ReleaseRef:
    """A release a record links to: its id is the fragment of its URL, as the standard
    recommends, or the whole URL when it has none."""
    url = item.get("url") or ""
    release_id = urldefrag(url).fragment or url or item["date"]
    return ReleaseRef(release_id, item["date"], list(item.get("tag") or []))


def _duplicate_release_ids(processes: list[Process]) -> list[str]:
    problems = []
    for process in processes:
        ids = [ref.id for ref in process.releases]
        for release_id in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(
                _(
                    "Two releases of “%(ocid)s” share the id “%(id)s”: a release id names one release."
                )
                % {"ocid": process.ocid, "id": release_id}
            )
    return problems
