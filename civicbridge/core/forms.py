"""Form rendering in the U.S. Web Design System's markup.

Every form renders through templates/core/forms/: a label, a hint, inline errors, and an
error summary at the top that links to each field in error.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.RadioSelect, "usa-radio__input"),
    (forms.Select, "usa-select"),
    (forms.Textarea, "usa-textarea"),
    (forms.CheckboxInput, "usa-checkbox__input"),
    # Left native: the design system's file-input script renames the control.
    (forms.FileInput, ""),
]
ERROR_CLASS = {
    "usa-input": "usa-input--error",
    "usa-select": "usa-input--error",
    "usa-textarea": "usa-input--error",
}


class StyledFormMixin:
    """Give every widget the design system's class and point fields in error at their message."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            css = next((c for kind, c in WIDGET_CLASSES if isinstance(widget, kind)), "usa-input")
            if css:
                widget.attrs.setdefault("class", css)
            if isinstance(widget, forms.RadioSelect):
                widget.template_name = "core/forms/radio.html"
                widget.option_template_name = "core/forms/radio_option.html"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            bound = self[name]  # type: ignore[index]
            widget = bound.field.widget
            if isinstance(widget, forms.RadioSelect):
                continue  # the fieldset carries the description
            css = widget.attrs.get("class", "")
            error_class = ERROR_CLASS.get(css.split(" ")[0])
            if error_class and error_class not in css:
                widget.attrs["class"] = f"{css} {error_class}"
            described_by = [f"{bound.auto_id}_error"]
            if bound.help_text:
                described_by.append(f"{bound.auto_id}_helptext")
            widget.attrs["aria-describedby"] = " ".join(described_by)


class Form(StyledFormMixin, forms.Form):
    pass


class ModelForm(StyledFormMixin, forms.ModelForm):
    pass


def save_form(form: forms.BaseForm, save: Callable[[dict], Any]) -> Any | None:
    """Run a service on a valid form and return what it saved; on a validation error,
    put the errors back on the form and return None."""
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error.messages)
            return None
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return None
