"""Schemas every router shares: the error body, cursor pagination and changes."""

from typing import Annotated, Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import model_validator
from pydantic_core import PydanticCustomError


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


# Every 4xx answer has the same body; the OpenAPI description lists them on every operation.
ERROR_CODES = frozenset({400, 401, 403, 404, 409, 422, 429})


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


class ChangeRefusingFixed(Schema):
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
