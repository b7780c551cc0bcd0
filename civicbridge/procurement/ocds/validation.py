"""Check OCDS packages against the official 1.1.5 schemas, offline, and say what is wrong
in plain words: which release, where in the file, and what belongs there.

The schemas refer to each other by URL; they are loaded from `schema/` into a
`referencing` registry under those URLs, so no validation ever reaches the network.
"""

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError
from referencing import Registry
from referencing.jsonschema import DRAFT4

from civicbridge.core.validation import TYPE_NAMES

SCHEMA_DIR = Path(__file__).parent / "schema"
SCHEMA_BASE = "https://standard.open-contracting.org/schema/1__1__5/"
SCHEMA_FILES = (
    "release-schema.json",
    "release-package-schema.json",
    "record-package-schema.json",
    "versioned-release-validation-schema.json",
)
RELEASE_PACKAGE = "release-package-schema.json"
RECORD_PACKAGE = "record-package-schema.json"
MAX_PROBLEMS = 50
KEPT_ERRORS = 200

# RFC 3339, which JSON Schema's "date-time" means: a date, a time and an offset or Z.
DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII
)
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value: Any) -> bool:
    """A date and time with its offset, on a day the calendar has."""
    if not isinstance(value, str):
        return True
    if not DATE_TIME.fullmatch(value):
        return False
    datetime.fromisoformat(value.upper())
    return True


@FORMATS.checks("uri")
def is_uri(value: Any) -> bool:
    """An absolute URI: a scheme, a colon and no spaces."""
    return not isinstance(value, str) or bool(URI.fullmatch(value))


@FORMATS.checks("email")
def is_email(value: Any) -> bool:
    return not isinstance(value, str) or "@" in value


class OcdsError(Exception):
    """The package cannot be used; `problems` names each problem in plain words."""

    def __init__(self, problems: Sequence[str], more: int = 0) -> None:
        self.problems = list(problems[:MAX_PROBLEMS])
        beyond = len(problems) - len(self.problems) + more
        if beyond:
            self.problems.append(_("… and %(count)d more problems.") % {"count": beyond})
        super().__init__("\n".join(self.problems))


@cache
def registry() -> Registry:
    """The four official schemas under their canonical URLs, and nothing to fetch."""
    resources = []
    for name in SCHEMA_FILES:
        contents = json.loads((SCHEMA_DIR / name).read_text())
        resources.append((contents["id"], DRAFT4.create_resource(contents)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft4Validator:
    """A Draft 4 validator, as the OCDS schemas declare, for one of `SCHEMA_FILES`."""
    schema = registry().contents(SCHEMA_BASE + name)
    return Draft4Validator(schema, registry=registry(), format_checker=FORMATS)


def package_kind(data: Any) -> str:
    """ "release" or "record": the package's kind, read from its shape."""
    if isinstance(data, dict) and "releases" in data:
        return "release"
    if isinstance(data, dict) and "records" in data:
        return "record"
    if isinstance(data, dict) and "ocid" in data and "tag" in data:
        raise OcdsError(
            [_("The file is a single release: put it in a release package, under “releases”.")]
        )
    raise OcdsError(
        [
            _(
                "The file is not an OCDS package: a release package is a JSON object with "
                "“releases”, a record package one with “records”."
            )
        ]
    )


def check_package(data: Any) -> str:
    """Validate a release or record package whole; return its kind or raise OcdsError."""
    kind = package_kind(data)
    schema = RELEASE_PACKAGE if kind == "release" else RECORD_PACKAGE
    errors = iter(validator(schema).iter_errors(data))
    # A schema error holds much of the schema and the data: keep a few to explain and only
    # count the rest, so a file of thousands of broken releases stays small in memory.
    kept = list(islice(errors, KEPT_ERRORS))
    more = sum(1 for _error in errors)
    found = problems(data, kept)
    if found:
        raise OcdsError(found, more=more)
    return kind


def problems(package: Any, errors: Iterable[SchemaError]) -> list[str]:
    """One sentence per error, in file order, naming the release and the JSON path."""
    lines = []
    for error in sorted(errors, key=_file_order):
        for leaf in _leaves(error):
            lines += [
                _("%(owner)s, at %(path)s: %(message)s")
                % {"owner": owner(package, path), "path": json_path(path), "message": message}
                for path, message in _explain(leaf)
            ]
    return lines


def _file_order(error: SchemaError) -> list[tuple[int, Any]]:
    return [(0, part) if isinstance(part, int) else (1, str(part)) for part in error.absolute_path]


def _leaves(error: SchemaError) -> list[SchemaError]:
    """The errors that tell, inside a `oneOf` or `anyOf` that nothing matched: those of
    the alternative that came closest, with the fewest errors."""
    if not error.context:
        return [error]
    branches: dict[Any, list[SchemaError]] = defaultdict(list)
    for inner in error.context:
        branches[inner.relative_schema_path[0]].append(inner)
    closest = min(branches.values(), key=len)
    return [leaf for inner in closest for leaf in _leaves(inner)]


def _explain(error: SchemaError) -> list[tuple[list[Any], str]]:
    """Where the error is and what it means, one (path, sentence) per problem."""
    path = list(error.absolute_path)
    value, rule = error.instance, error.validator
    if rule == "required":
        return [
            ([*path, key], _("is missing."))
            for key in error.validator_value
            if isinstance(value, dict) and key not in value
        ]
    if rule == "type":
        expected = error.validator_value
        names = [
            str(TYPE_NAMES.get(t, t))
            for t in ([expected] if isinstance(expected, str) else expected)
        ]
        message = _("should be %(expected)s, not %(value)s.") % {
            "expected": _(" or ").join(names),
            "value": shown(value),
        }
    elif rule == "format" and error.validator_value == "date-time":
        message = _("should be a date and time such as 2024-05-01T09:30:00Z, not %(value)s.") % {
            "value": shown(value)
        }
    elif rule == "format":
        message = _("should be a valid %(format)s, not %(value)s.") % {
            "format": error.validator_value,
            "value": shown(value),
        }
    elif rule == "enum":
        message = _("%(value)s is not one of the codes the standard allows here.") % {
            "value": shown(value)
        }
    elif rule == "minLength":
        message = _("should not be empty.")
    elif rule == "minItems":
        message = _("should list at least one item.")
    elif rule == "uniqueItems":
        message = _("lists the same item twice.")
    elif rule == "pattern":
        message = _("is not in the expected form: %(value)s.") % {"value": shown(value)}
    else:
        message = error.message
    return [(path, message)]


def shown(value: Any) -> str:
    """A value as the file wrote it, cut short."""
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def json_path(path: Sequence[Any]) -> str:
    """`releases[3].contracts[0].value.amount` for ["releases", 3, "contracts", 0, …]."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or _("the top level")


def owner(package: Any, path: Sequence[Any]) -> str:
    """Which release or record of `package` the `path` is in, named by ocid and id."""
    parts = list(path)
    for size in (4, 2):
        if (
            len(parts) >= size
            and parts[size - 2] == "releases"
            and isinstance(parts[size - 1], int)
        ):
            release = _at(package, parts[:size])
            if isinstance(release, dict) and ("id" in release or "ocid" in release):
                return release_label(release)
    if len(parts) >= 2 and parts[0] == "records" and isinstance(parts[1], int):
        record = _at(package, parts[:2])
        ocid = record.get("ocid") if isinstance(record, dict) else None
        return _("Record “%(ocid)s”") % {"ocid": ocid} if ocid else _("A record without an ocid")
    return _("The package")


def release_label(release: dict) -> str:
    """A release as people find it again: its id and its process's ocid."""
    ident, ocid = release.get("id"), release.get("ocid")
    if not ocid:
        return _("Release “%(id)s” (without an ocid)") % {"id": ident}
    if not ident:
        return _("A release of “%(ocid)s” without an id") % {"ocid": ocid}
    return _("Release “%(id)s” of “%(ocid)s”") % {"id": ident, "ocid": ocid}


def _at(data: Any, path: Sequence[Any]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
