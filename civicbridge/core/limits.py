"""How large an uploaded file may be, checked while it is read, before anything is built
from it.

A file within its size can still exhaust a worker: twenty megabytes hold millions of empty
JSON objects, or brackets nested deeper than Python's recursion. So an import first reads
the file as a stream (`ijson`, which builds nothing) and stops at the first limit it
crosses: the size in bytes, the depth of nesting, the number of records in the lists the
caller names and the number of values in all. Only a file within every limit is then
parsed whole.
"""

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

import ijson
from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MEGABYTE = 1024 * 1024
CHUNK = 64 * 1024
BOM = b"\xef\xbb\xbf"


class LimitExceeded(Exception):
    """The file crosses one of the import limits; the message names it."""


@dataclass(frozen=True)
class Limits:
    """The largest file an import reads: bytes, depth, records of a list, values in all."""

    max_bytes: int
    max_depth: int
    max_records: int
    max_values: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_bytes=settings.FILE_UPLOAD_MAX_SIZE,
            max_depth=settings.IMPORT_MAX_DEPTH,
            max_records=settings.IMPORT_MAX_RECORDS,
            max_values=settings.IMPORT_MAX_VALUES,
        )


def too_large(max_bytes: int) -> LimitExceeded:
    return LimitExceeded(
        _("The file is larger than %(size)s MB.") % {"size": _megabytes(max_bytes)}
    )


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:g}"


class BoundedReader(io.RawIOBase):
    """A binary file read through, refusing at the first byte past `max_bytes`."""

    def __init__(self, file: IO[bytes], max_bytes: int) -> None:
        self.file = file
        self.max_bytes = max_bytes
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        chunk = self.file.read(len(buffer))
        self.count += len(chunk)
        if self.count > self.max_bytes:
            raise too_large(self.max_bytes)
        buffer[: len(chunk)] = chunk
        return len(chunk)


def read_bounded(file: IO[bytes], max_bytes: int) -> bytes:
    """The whole file, refused as soon as it passes `max_bytes`."""
    return BoundedReader(file, max_bytes).read()


def _without_bom(file: io.RawIOBase) -> IO[bytes]:
    stream = io.BufferedReader(file, CHUNK)
    if stream.peek(3)[:3] == BOM:
        stream.read(3)
    return stream


def check_json(
    file: IO[bytes], limits: Limits, records: "Mapping[str, StrOrPromise] | None" = None
) -> None:
    """Read the JSON file `file` through once, building nothing, and raise LimitExceeded
    at the first limit it crosses.

    `records` names the lists of the top object whose items are counted ("releases":
    "releases"), or "" for the items of a top-level list. A file that is not JSON passes:
    the parser that builds it says where it breaks, and everything before that point is
    within the limits.
    """
    records = records or {}
    events = ijson.basic_parse(_without_bom(BoundedReader(file, limits.max_bytes)), buf_size=CHUNK)
    try:
        _walk(events, limits, records)
    except ijson.JSONError:
        return


def _walk(events: Iterator[tuple[str, object]], limits: Limits, records: Mapping) -> None:
    depth = values = counted = 0
    key = None  # the key of the top object being read
    counting = None  # the name of the records counted, while reading their list
    counting_depth = 0
    for event, value in events:
        if event == "map_key":
            if depth == 1:
                key = value
            continue
        if event in ("end_map", "end_array"):
            depth -= 1
            if depth < counting_depth:
                counting, counting_depth = None, 0
            continue
        values += 1
        if values > limits.max_values:
            raise LimitExceeded(
                _("The file holds more than %(max)d values.") % {"max": limits.max_values}
            )
        if counting is not None and depth == counting_depth:
            counted += 1
            if counted > limits.max_records:
                raise LimitExceeded(
                    _("The file has more than %(max)d %(records)s.")
                    % {"max": limits.max_records, "records": counting}
                )
        if event in ("start_map", "start_array"):
            depth += 1
            if depth > limits.max_depth:
                raise LimitExceeded(
                    _("The file is nested deeper than %(max)d levels.") % {"max": limits.max_depth}
                )
            if event == "start_array" and depth == 1 and "" in records:
                counting, counting_depth, counted = records[""], 1, 0
            elif event == "start_array" and depth == 2 and key in records:
                counting, counting_depth, counted = records[key], 2, 0


def read_json_bytes(file: IO[bytes] | bytes, limits: Limits, records=None) -> bytes:
    """Check the file against `limits` while reading it, then give its bytes to parse."""
    if isinstance(file, bytes):
        file = io.BytesIO(file)
    start = file.tell() if file.seekable() else 0
    check_json(file, limits, records)
    file.seek(start)
    return read_bounded(file, limits.max_bytes)
