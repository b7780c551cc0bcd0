"""Schemas every router shares: request bodies, the error body, cursor pagination and changes."""

from functools import cache
from typing import Annotated, Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from ninja import Field, Schema
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import ModelWrapValidatorHandler, ValidationError, ValidationInfo, model_validator
from pydantic_core import (
    InitErrorDetails,
    PydanticCustomError,
    PydanticSerializationError,
    to_jsonable_python,
)

from civicbridge.core.validation import TYPE_NAMES


class ApiRequest(HttpRequest):
    """A request the API authenticated: `auth` is the user it acts as."""

    auth: Any


# Ids fit a 64-bit column; text has no NUL, which PostgreSQL refuses to store or compare.
MAX_ID = 2**62
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
NO_NUL = r"^[^\x00]*$"


def text(max_length: int, default: str | None = "", min_length: int = 0) -> Any:
    """A text field of at most `max_length` characters, without NUL."""
    return Field(
        ... if default is None else default,
        min_length=min_length,
        max_length=max_length,
        pattern=NO_NUL,
    )


def _without_default(field_schema: dict[str, Any]) -> None:
    field_schema.pop("default", None)


def unchanged(**constraints: Any) -> Any:
    """A field a change may leave out, to keep what is there (read with `exclude_unset`).

    The description shows no default: a field left out keeps its value, it takes none.
    """
    return Field(None, json_schema_extra=_without_default, **constraints)


def unchanged_text(max_length: int, min_length: int = 0) -> Any:
    """A text field a change may leave out; at most `max_length` characters, without NUL."""
    return unchanged(min_length=min_length, max_length=max_length, pattern=NO_NUL)


class Body(Schema):
    """A request body: a JSON object whose every value has the type its description says.

    Pydantic alone reads a body leniently: `0` or "yes" as a boolean, `5` as a string, and
    (through ninja's Schema, which reads any value's attributes) a list or a number as an
    object with every field left out, so `[null, null]` made an empty change. A body is
    checked against the JSON Schema the OpenAPI description publishes for it first, and only
    what that schema accepts is read on: an ISO date string as a date, "12.50" as a decimal.
    (Pydantic's strict mode cannot do this here: ninja validates bodies as Python values,
    where strict mode refuses an ISO date string and a choice's text too.)
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        # Replaces ninja's validator of the same name, which reads attributes of any value.
        if isinstance(values, cls):
            return values
        found = _validator_for(cls).iter_errors(_as_json(values))
        errors = sorted(found, key=lambda error: [str(part) for part in error.path])
        if errors:
            raise ValidationError.from_exception_data(
                cls.__name__, [_error_details(error) for error in errors]
            )
        return handler(values)


def _as_json(values: Any) -> Any:
    """The value as JSON carries it: a body built in Python has dates, not ISO strings."""
    try:
        return to_jsonable_python(values)
    except PydanticSerializationError:
        return values


@cache
def _validator_for(body: type[Body]) -> Draft202012Validator:
    schema = body.model_json_schema(schema_generator=NinjaGenerateJsonSchema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _error_details(error: Any) -> InitErrorDetails:
    """A JSON Schema error as pydantic reports one: where, and what is wrong."""
    loc = tuple(error.absolute_path)
    if error.validator == "type":
        names = [str(TYPE_NAMES.get(name, name)) for name in _as_list(error.validator_value)]
        message = _("Should be %(expected)s.") % {"expected": _(" or ").join(names)}
    elif error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        loc, message = (*loc, *missing[:1]), _("This field is required.")
    elif error.validator in {"anyOf", "oneOf"} and error.context:
        # A field that may be null: say what is wrong with the value for the other choice.
        not_null = [e for e in error.context if e.schema != {"type": "null"}]
        return _error_details(best_match(not_null or error.context))
    elif error.validator in {"anyOf", "oneOf"}:
        message = _("Is none of the values its description allows.")
    elif error.validator in _MESSAGES:
        message = str(_MESSAGES[error.validator]) % {"limit": _as_list(error.validator_value)[0]}
    else:
        message = _("Does not match its description (%(rule)s).") % {"rule": error.validator}
    return {
        "type": PydanticCustomError("body_type", message),
        "loc": loc,
        "input": error.instance,
    }


# Said without the value sent, which may be a password.
_MESSAGES = {
    "minimum": _lazy("Should be at least %(limit)s."),
    "maximum": _lazy("Should be at most %(limit)s."),
    "minLength": _lazy("Should have at least %(limit)s characters."),
    "maxLength": _lazy("Should have at most %(limit)s characters."),
    "format": _lazy("Should be a valid %(limit)s, written as ISO 8601 writes it."),
    "pattern": _lazy("Has a character or a form its description does not allow."),
    "enum": _lazy("Is not one of the choices its description lists."),
}


def _as_list(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


# Every 4xx answer has the same body. Every operation can answer these; `api/main.py`
# says in the OpenAPI description when each one comes.
ERROR_CODES = frozenset({400, 401, 403, 404, 422, 429})
# An operation on a record with a state or a version can also find that the record moved on.
CONFLICT_CODES = ERROR_CODES | {409}

# When each error comes, as the OpenAPI description says on every operation that can give it.
ERROR_DESCRIPTIONS = {
    400: "The body is not JSON.",
    401: "No session and no valid token: sign in, or send `Authorization: Bearer <token>`.",
    403: "Signed in, but not allowed to do this: `detail` says why.",
    404: "Not found, or not yours to see.",
    409: (
        "The record moved on: its state or version is no longer the one named (a gate "
        "refuses the next stage, or the words changed since they were read). `detail` says "
        "what holds now; `errors` lists a refused gate's conditions."
    ),
    429: "Too many requests: try again after `Retry-After` seconds.",
}
# A request that matches the description can still break a rule of the service (a date
# before another, a record of someone else's): those operations say so.
REFUSED_BY_RULES = (
    "The request breaks a rule of the service, or does not match this description: each "
    "problem is named by field in `errors`."
)
INVALID_ONLY = (
    "The request does not match this description: each problem is named by field in `errors`."
)


class FieldError(Schema):
    field: str | None = Field(None, description="The field in error, if the error has one.")
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, Any]] = Field(
        default_factory=list, description="Field errors, or a refused gate's conditions."
    )


class Page[T](Schema):
    """One page of a list, by id; `next` is the cursor of the page after it."""

    items: list[T]
    next: int | None = Field(
        ..., description="Send it as `cursor` for the next page; null on the last page."
    )


class PageParams(Schema):
    cursor: int | None = Field(
        None, ge=0, le=MAX_ID, description="The `next` value of the previous page."
    )
    limit: int = Field(50, ge=1, le=100)


def page(queryset: QuerySet, params: PageParams) -> dict[str, Any]:
    """One page of `queryset` by id: the same queries at any depth, whatever the data."""
    rows = queryset.order_by("id")
    if params.cursor is not None:
        rows = rows.filter(id__gt=params.cursor)
    items = list(rows[: params.limit + 1])
    more = len(items) > params.limit
    items = items[: params.limit]
    return {"items": items, "next": items[-1].pk if more else None}


FIXED_FIELD = "fixed_field"


class ChangeRefusingFixed(Body):
    """A change body that refuses, with `fixed_message`, any field named in `fixed`.

    A field the server would only ignore misleads a script into thinking it changed
    something: a body naming one is answered 422 and changes nothing.
    """

    fixed: ClassVar[tuple[str, ...]] = ()
    fixed_message: ClassVar[Any] = ""  # text, or a lazy translation

    @model_validator(mode="before")
    @classmethod
    def _refuse_fixed(cls, data: Any) -> Any:
        # Ninja hands the body over wrapped in a DjangoGetter.
        body = getattr(data, "_obj", data)
        named = sorted(set(cls.fixed).intersection(body)) if isinstance(body, dict) else []
        if named:
            # The API's error handler answers one error per field named in `fields`.
            raise PydanticCustomError(
                FIXED_FIELD,
                "{message}",
                {"fields": named, "message": str(cls.fixed_message)},
            )
        return data
