"""What a deliverable's file may be, recognised by its first bytes (`core/uploads.py`).

Reports, reviews and slides come as PDF, as office documents (OpenDocument or Office Open
XML) or as images (PNG, JPEG).
"""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from civicbridge.core import uploads

KINDS = (
    uploads.PDF,
    uploads.PNG,
    uploads.JPEG,
    uploads.DOCX,
    uploads.XLSX,
    uploads.PPTX,
    uploads.ODT,
    uploads.ODS,
    uploads.ODP,
)
ACCEPT = uploads.accept(KINDS)


def max_megabytes() -> int:
    return settings.DELIVERABLE_MAX_BYTES // uploads.MEGABYTE


def deliverable_type(upload: UploadedFile) -> str:
    """The content type of an upload, read from its first bytes; ValidationError if the
    file is empty, too large, or of a kind not accepted."""
    return uploads.content_type_of(
        upload,
        KINDS,
        settings.DELIVERABLE_MAX_BYTES,
        _(
            "Upload a PDF, an office document (Word, OpenDocument, spreadsheet, slides), "
            "or a PNG or JPEG image: other kinds of file are not accepted."
        ),
    )
