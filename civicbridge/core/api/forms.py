"""The web pages' forms, read by the API: a request is valid exactly when the form is."""

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from ninja import Schema


def validated(form: BaseForm) -> dict[str, Any]:
    """The form's cleaned data, or a ValidationError with its errors (answered as 422)."""
    if not form.is_valid():
        raise ValidationError(
            {field: [str(e) for e in errors] for field, errors in form.errors.items()}
        )
    return form.cleaned_data


def changed[F: BaseForm](form_class: type[F], payload: Schema, **kwargs: Any) -> F:
    """`form_class` bound to what the web form would show now, with the fields the payload
    names put over it: a change keeps every field it leaves out."""
    current = form_class(**kwargs)
    data = {name: current[name].value() for name in current.fields}
    data.update(payload.dict(exclude_unset=True))
    return form_class(data, **kwargs)
