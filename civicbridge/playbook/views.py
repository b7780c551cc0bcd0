import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicbridge.core import documents
from civicbridge.core.documents import download
from civicbridge.core.permissions import require

from . import permissions, services
from .document import InvalidPlaybook, differences, guide
from .forms import ConditionForm, ItemForm
from .models import PlaybookVersion
from .templatetags.playbook import tr


class NoPlaybook(Http404):
    """No version has been loaded: the pages say so instead of a bare "not found"."""


def _version(number: int | None = None) -> PlaybookVersion:
    """The version asked for, or the current one; 404 when there is none."""
    versions = PlaybookVersion.objects.all()
    if number is not None:
        return get_object_or_404(versions, number=number)
    current = versions.current()
    if current is None:
        raise NoPlaybook
    return current


def _needs_playbook(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 404 with a plain message when no playbook has been loaded yet.

    The site's 404 handler shows a generic page, so the reason is rendered here.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NoPlaybook:
            context = {
                "title": _("No playbook yet"),
                "body": _(
                    "No playbook has been loaded yet. An admin loads it with "
                    "“manage.py load_playbook”."
                ),
            }
            return render(request, "core/error.html", context, status=404)

    return wrapper


def _guidelines_context(version: PlaybookVersion, model_id: str | None) -> dict:
    playbook = version.playbook
    if model_id is not None and model_id not in playbook.models:
        raise Http404(_("The playbook has no model called “%(id)s”.") % {"id": model_id})
    model_ids = [model_id] if model_id else list(playbook.models)
    return {
        "version": version,
        "playbook": playbook.document,
        "factors": playbook.document["factors"],
        "scales": playbook.document["scales"],
        "models": [guide(playbook, m) for m in model_ids],
        "single": model_id is not None,
        "is_current": version.number == PlaybookVersion.objects.current_number(),
    }


@require_GET
@_needs_playbook
def guidelines(request: HttpRequest, model_id: str | None = None, number: int | None = None):
    """The playbook as practical guidelines: all models, or one; any version."""
    context = _guidelines_context(_version(number), model_id)
    context["can_edit"] = permissions.can_edit_playbook(request.user)[0]
    return render(request, "playbook/guidelines.html", context)


def _filename(version: PlaybookVersion, model_id: str | None, extension: str) -> str:
    return f"civic-bridge-guidelines-{model_id or 'all'}-v{version.number}.{extension}"


@require_GET
@_needs_playbook
def guidelines_markdown(request: HttpRequest, model_id: str | None = None) -> HttpResponse:
    version = _version()
    text = render_to_string("playbook/guidelines.md", _guidelines_context(version, model_id))
    return download(text, "text/markdown; charset=utf-8", _filename(version, model_id, "md"))


@require_GET
@_needs_playbook
def guidelines_pdf(request: HttpRequest, model_id: str | None = None) -> HttpResponse:
    version = _version()

    # The PDF is kept by what it shows (documents.pdf): a version never changes, so each
    # version's guidelines are drawn once.
    return documents.pdf_download(
        request,
        "playbook/guidelines_print.html",
        _guidelines_context(version, model_id),
        _filename(version, model_id, "pdf"),
    )


@require_GET
def versions(request: HttpRequest) -> HttpResponse:
    history = PlaybookVersion.objects.select_related("created_by__person").defer("content")
    return render(request, "playbook/versions.html", {"versions": history})


@require_GET
def compare(request: HttpRequest, old: int, new: int) -> HttpResponse:
    before, after = _version(old), _version(new)
    return render(
        request,
        "playbook/compare.html",
        {
            "old": before,
            "new": after,
            "changes": [
                {
                    "change": change,
                    "fields": [
                        (name, _shown(was), _shown(now)) for name, was, now in change.fields
                    ],
                }
                for change in differences(before.content, after.content)
            ],
        },
    )


def _shown(value: Any) -> str | None:
    """A field's value for the compare page: texts as text, not as Python data."""
    if value is None:
        return None
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        if len(value) == 1:
            return next(iter(value.values()))
        return " · ".join(f"[{language}] {text}" for language, text in value.items())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@login_required
@require_http_methods(["GET", "POST"])
def edit_item(request: HttpRequest, item_id: str) -> HttpResponse:
    require(permissions.can_edit_playbook(request.user))
    version = _version()
    playbook = version.playbook
    if item_id not in playbook.by_id or playbook.by_id[item_id][0] not in services.EDITABLE_TEXT:
        raise Http404(
            _("The playbook has no condition, challenge or mitigation “%(id)s”.") % {"id": item_id}
        )
    kind, item = playbook.by_id[item_id]
    field = services.EDITABLE_TEXT[kind][0]
    language = (get_language() or playbook.language).split("-")[0]
    initial = {"text": tr(item[field], playbook.language), "version": version.number}
    if kind == "conditions" and "question" in item:
        # A condition an assessment asks about has a scale, a weight and may block; one only
        # the running collaboration can satisfy has its statement alone to edit.
        question = playbook.questions[item["question"]]
        scale = [
            (o["value"], f"{o['value']}: {tr(o['label'])}")
            for o in playbook.document["scales"][question["scale"]]
        ]
        initial |= {
            "met_at": item["met_at"],
            "weight": item["weight"],
            "blocking": item["blocking"],
        }
        form: ItemForm = ConditionForm(request.POST or None, initial=initial, scale=scale)
    else:
        form = ItemForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and form.cleaned_data["version"] != version.number
    ):
        form.add_error(
            None,
            _(
                "Someone saved a newer version of the playbook (version %(number)d) while you "
                "were editing. Open this item again to edit the latest text."
            )
            % {"number": version.number},
        )
    elif request.method == "POST" and form.is_valid():
        changes = {
            key: value for key, value in form.cleaned_data.items() if key not in ("text", "version")
        }
        if form.cleaned_data["text"] != initial["text"]:
            # Only a changed text is stored under the page's language: an untouched text
            # may be the fallback in another language, not a translation.
            changes[field] = form.cleaned_data["text"]
        try:
            new, created = services.edit_item(request.user, version, item_id, language, changes)
        except InvalidPlaybook as invalid:
            for error in invalid.errors:
                form.add_error(None, error)
        else:
            if created:
                messages.success(
                    request, _("Saved as playbook version %(number)d.") % {"number": new.number}
                )
            else:
                messages.info(request, _("Nothing changed, so no new version was made."))
            return redirect("playbook:model", model_id=playbook.model_of(item_id))
    return render(
        request,
        "playbook/edit_item.html",
        {
            "form": form,
            "item": item,
            "kind": kind,
            "version": version,
            "model_id": playbook.model_of(item_id),
        },
    )
