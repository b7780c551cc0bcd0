"""PDFs are kept by what they show, and WeasyPrint fetches only the app's static files."""

import pytest
from django.test import RequestFactory

from civicbridge.core import documents


@pytest.fixture
def template(tmp_path, settings):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}, *settings.TEMPLATES[1:]]
    return tmp_path


def write(directory, name: str, html: str) -> str:
    (directory / name).write_text(html)
    return name


def test_an_external_or_local_file_image_is_never_fetched(template, monkeypatch):
    fetched: list[str] = []
    refused: list[str] = []
    original = documents.static_path

    def watch(url: str):
        path = original(url)
        (fetched if path else refused).append(url)
        return path

    monkeypatch.setattr(documents, "static_path", watch)
    name = write(
        template,
        "outside.html",
        '<img src="https://example.org/tracker.png"><img src="file:///etc/passwd">'
        '<img src="file:///etc/hostname"><img src="/static/civicbridge/print.css">',
    )
    content = documents.pdf(RequestFactory().get("/"), name, {})
    assert content.startswith(b"%PDF")
    assert refused == [
        "https://example.org/tracker.png",
        "file:///etc/passwd",
        "file:///etc/hostname",
    ]
    assert fetched == ["http://testserver/static/civicbridge/print.css"]


def test_only_static_files_resolve():
    assert documents.static_path("file:///etc/passwd") is None
    assert documents.static_path("http://testserver/static/../../etc/passwd") is None
    assert documents.static_path("https://example.org/static/civicbridge/print.css") is not None
    assert documents.static_path("ftp://example.org/x") is None


def test_a_repeated_document_is_served_from_the_cache(template, monkeypatch):
    drawn: list[str] = []

    def draw(request, html: str) -> bytes:
        drawn.append(html)
        return b"%PDF-1"

    monkeypatch.setattr(documents, "_draw", draw)
    request = RequestFactory().get("/")
    name = write(template, "doc.html", "<p>Version {{ version }}</p>")
    assert documents.pdf(request, name, {"version": 1}) == b"%PDF-1"
    documents.pdf(request, name, {"version": 1})
    documents.pdf(request, name, {"version": 2})
    assert drawn == ["<p>Version 1</p>", "<p>Version 2</p>"]


def test_a_busy_server_asks_to_try_again(template, monkeypatch, settings):
    settings.PDF_RENDER_WAIT_SECONDS = 0
    monkeypatch.setattr(documents, "_renders", documents.threading.BoundedSemaphore(1))
    documents._renders.acquire()
    name = write(template, "busy.html", "<p>Busy</p>")
    response = documents.pdf_download(RequestFactory().get("/"), name, {}, "busy.pdf")
    assert response.status_code == 503 and response["Retry-After"] == "60"
