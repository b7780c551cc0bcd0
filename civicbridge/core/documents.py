"""Files a page offers for download: PDFs made from templates, and other attachments.

Drawing a PDF takes WeasyPrint seconds, while rendering its HTML takes milliseconds. So a
PDF is kept in the cache under a digest of the HTML it is drawn from: a second download of
an unchanged document serves the stored bytes, and any change to what it shows (a new
agreement version, a signature, an answer) makes a new digest. Each server process draws
at most PDF_RENDERS_AT_ONCE at a time; a request that waits longer than
PDF_RENDER_WAIT_SECONDS for its turn is told to try again.

WeasyPrint fetches only the app's own static files: never the network, never another file.
"""

import hashlib
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

_renders = threading.BoundedSemaphore(settings.PDF_RENDERS_AT_ONCE)


class Busy(Exception):
    """Every PDF slot of this process stayed taken while the request waited."""


def static_path(url: str) -> Path | None:
    """The file of the app's static files `url` names (a `/static/…` address of any host,
    or a `file://` path inside STATIC_ROOT or a static directory), or None."""
    parts = urlsplit(url)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if parts.scheme in ("http", "https") and parts.path.startswith(static_prefix):
        name = unquote(parts.path.removeprefix(static_prefix))
        try:
            found = finders.find(name)
        except SuspiciousFileOperation:
            return None
        candidate = Path(found) if isinstance(found, str) else Path(settings.STATIC_ROOT) / name
    elif parts.scheme == "file":
        candidate = Path(unquote(parts.path))
    else:
        return None
    resolved = candidate.resolve()
    roots = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    if resolved.is_file() and any(resolved.is_relative_to(root.resolve()) for root in roots):
        return resolved
    return None


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serve the app's static files and refuse every other address."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_path(url)
            if path is None:
                raise ValueError(f"Not one of the app's static files: {url[:200]}")
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return StaticOnlyFetcher()


def pdf(request: HttpRequest, template: str, context: dict) -> bytes:
    """Render `template` to a PDF with the print style sheet (WeasyPrint), or take the PDF
    of the same HTML from the cache. Raises Busy when no slot frees in time."""
    html = render_to_string(template, context, request)
    digest = hashlib.sha256(f"{template}\n{get_language()}\n{html}".encode()).hexdigest()
    key = f"pdf:{digest}"
    stored = cache.get(key)
    if stored is not None:
        return stored
    if not _renders.acquire(timeout=settings.PDF_RENDER_WAIT_SECONDS):
        raise Busy
    try:
        content = _draw(request, html)
    finally:
        _renders.release()
    cache.set(key, content, timeout=settings.PDF_CACHE_SECONDS)
    return content


def _draw(request: HttpRequest, html: str) -> bytes:
    return draw(html, request.build_absolute_uri("/"))


def draw(html: str, base_url: str) -> bytes:
    """Draw `html` as a PDF with the print style sheet; the task worker calls it directly,
    with the site's address, for documents it makes without a request."""
    from weasyprint import CSS, HTML  # slow to import; only PDF pages need it

    fetcher = _fetcher()
    stylesheet = CSS(filename=finders.find("civicbridge/print.css"), url_fetcher=fetcher)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet]
    )


def pdf_download(request: HttpRequest, template: str, context: dict, filename: str) -> HttpResponse:
    """The PDF of `template` as a download, or a page asking to try again in a moment."""
    try:
        content = pdf(request, template, context)
    except Busy:
        response = HttpResponse(
            _("Many documents are being prepared just now: try again in a minute."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "60"
        return response
    return download(content, "application/pdf", filename)


def download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A response the browser saves as `filename` (PDFs open in the browser)."""
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if content_type == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
