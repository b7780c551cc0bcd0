"""What a deliverable's file may be: recognised by its first bytes, not by its name.

Reports, reviews and slides come as PDF, as office documents (OpenDocument or Office Open
XML, both ZIP archives) or as images (PNG, JPEG). SVG is refused because an SVG image can
carry script, and every file is served only as a download.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

ZIP = b"PK\x03\x04"
# The kinds of file by their first bytes; an archive by the name's ending, as its type
# is inside it.
MAGIC = {
    b"%PDF-": {".pdf": "application/pdf"},
    b"\x89PNG\r\n\x1a\n": {".png": "image/png"},
    b"\xff\xd8\xff": {".jpg": "image/jpeg", ".jpeg": "image/jpeg"},
    ZIP: {
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".odt": "application/vnd.oasis.opendocument.text",
        ".ods": "application/vnd.oasis.opendocument.spreadsheet",
        ".odp": "application/vnd.oasis.opendocument.presentation",
    },
}
ACCEPT = ",".join(suffix for kinds in MAGIC.values() for suffix in kinds)


def max_megabytes() -> int:
    return settings.DELIVERABLE_MAX_BYTES // (1024 * 1024)


def deliverable_type(upload: UploadedFile) -> str:
    """The content type of an upload, read from its first bytes; ValidationError if the
    file is empty, too large, or of a kind not accepted."""
    if not upload.size:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > settings.DELIVERABLE_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)d MB: make it smaller, or split it.")
                % {"mb": max_megabytes()}
            }
        )
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    name = (upload.name or "").lower()
    if name.endswith(".svg") or b"<svg" in head.lower():
        raise ValidationError(
            {"file": _("SVG images can carry scripts: export the drawing as PNG or PDF.")}
        )
    for magic, kinds in MAGIC.items():
        if head.startswith(magic):
            for suffix, content_type in kinds.items():
                if name.endswith(suffix):
                    return content_type
            raise ValidationError(
                {
                    "file": _("The file's name does not match its content: name it %(suffix)s.")
                    % {"suffix": _(" or ").join(kinds)}
                }
            )
    raise ValidationError(
        {
            "file": _(
                "Upload a PDF, an office document (Word, OpenDocument, spreadsheet, slides), "
                "or a PNG or JPEG image: other kinds of file are not accepted."
            )
        }
    )
