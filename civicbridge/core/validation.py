"""Plain-language messages for JSON Schema errors, shared by every import."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from jsonschema.exceptions import ValidationError as JsonSchemaError

TYPE_NAMES = {
    "string": _lazy("text"),
    "integer": _lazy("a whole number"),
    "number": _lazy("a number"),
    "array": _lazy("a list"),
    "object": _lazy("an object"),
    "boolean": _lazy("true or false"),
    "null": _lazy("empty"),
}


def describe(error: JsonSchemaError, *, skip: int = 0) -> str:
    """Say what a JSON Schema error means in a sentence, with where it is.

    `skip` leaves out the first parts of the path, which the caller has named already.
    """
    where = "/".join(str(part) for part in list(error.absolute_path)[skip:])
    where = f"“{where}” " if where else ""
    if error.validator == "type":
        expected = error.validator_value
        names = [
            str(TYPE_NAMES.get(t, t))
            for t in (expected if isinstance(expected, list) else [expected])
        ]
        return _("%(where)sshould be %(expected)s.") % {
            "where": where,
            "expected": _(" or ").join(names),
        }
    if error.validator == "required":
        return _("%(where)sneeds %(missing)s.") % {
            "where": where,
            "missing": ", ".join(
                f"“{k}”" for k in error.validator_value if k not in error.instance
            ),
        }
    if error.validator == "format":
        return _("%(where)sis not a valid %(format)s: %(value)r.") % {
            "where": where,
            "format": error.validator_value,
            "value": error.instance,
        }
    if error.validator == "pattern":
        return _("%(where)sis not in the expected form: %(value)r.") % {
            "where": where,
            "value": error.instance,
        }
    return f"{where}{error.message}"
