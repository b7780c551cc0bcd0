"""Files a page offers for download: PDFs made from templates, and other attachments."""

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def pdf(request: HttpRequest, template: str, context: dict) -> bytes:
    """Render `template` to a PDF with the print style sheet (WeasyPrint)."""
    from weasyprint import CSS, HTML  # slow to import; only PDF pages need it

    html = render_to_string(template, context, request)
    stylesheet = CSS(filename=finders.find("civicbridge/print.css"))
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[stylesheet]
    )


def download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A response the browser saves as `filename` (PDFs open in the browser)."""
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if content_type == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
