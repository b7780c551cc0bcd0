"""The pages every room shows the same way: a form, an add-or-change form that saves and
goes back, and a removal to confirm."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .forms import save_form


def form_page(
    request: HttpRequest,
    form: BaseForm,
    title: str,
    *,
    intro: str = "",
    submit: str | None = None,
    back: str = "",
) -> HttpResponse:
    """Render `form` under `title`, with a way `back` to the page it came from."""
    return render(
        request,
        "core/form.html",
        {"form": form, "title": title, "intro": intro, "submit": submit, "back": back},
    )


def edit_page(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    back: str,
    saved: str,
    intro: str = "",
) -> HttpResponse:
    """The body of an add-or-change view: on a valid POST `save` the form's data, say
    `saved` and go `back`; otherwise show the form, with the service's refusals in it."""
    if request.method == "POST" and save_form(form, save):
        messages.success(request, saved)
        return redirect(back)
    return form_page(request, form, title, intro=intro, back=back)


def delete_page(
    request: HttpRequest,
    remove: Callable[[], Any],
    *,
    title: str,
    description: str,
    back: str,
    removed: str,
) -> HttpResponse:
    """The body of a removal: ask first; on POST `remove`, say `removed` and go `back`."""
    if request.method == "POST":
        remove()
        messages.success(request, removed)
        return redirect(back)
    return render(
        request,
        "core/confirm_delete.html",
        {"title": title, "description": description, "back": back},
    )
