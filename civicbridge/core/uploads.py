"""What an uploaded document may be, recognised by its first bytes and never by the name
it came with: the one rule for every room that keeps people's files (an event's design
artefacts, a consulting deliverable's versions, a consultation response).

SVG is refused whatever a room accepts, because an SVG image can carry script; every kept
file is served only as a download.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from .limits import MEGABYTE

ZIP = b"PK\x03\x04"  # office documents are ZIP archives: their name says which


@dataclass(frozen=True)
class Kind:
    """A kind of file: its content type, its first bytes and the names it may have."""

    content_type: str
    magic: bytes
    suffixes: tuple[str, ...]


PDF = Kind("application/pdf", b"%PDF-", (".pdf",))
PNG = Kind("image/png", b"\x89PNG\r\n\x1a\n", (".png",))
JPEG = Kind("image/jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg"))
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, (".docx",)
)
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, (".xlsx",))
PPTX = Kind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP, (".pptx",)
)
ODT = Kind("application/vnd.oasis.opendocument.text", ZIP, (".odt",))
ODS = Kind("application/vnd.oasis.opendocument.spreadsheet", ZIP, (".ods",))
ODP = Kind("application/vnd.oasis.opendocument.presentation", ZIP, (".odp",))


def accept(kinds: Iterable[Kind]) -> str:
    """The names a file input offers for `kinds` (its `accept` attribute)."""
    return ",".join(suffix for kind in kinds for suffix in kind.suffixes)


def content_type_of(upload: File, kinds: Iterable[Kind], max_bytes: int, accepted: str) -> str:
    """The content type of `upload` among `kinds`, read from its first bytes; a
    ValidationError on `file` when it is empty, larger than `max_bytes`, an SVG image,
    named for another kind than its content, or of no kind accepted (`accepted` says
    which are)."""
    if not upload.size:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > max_bytes:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)d MB: make it smaller.")
                % {"mb": max_bytes // MEGABYTE}
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
    matching = [kind for kind in kinds if head.startswith(kind.magic)]
    for kind in matching:
        if name.endswith(kind.suffixes):
            return kind.content_type
    if matching:
        names = _(" or ").join(suffix for kind in matching for suffix in kind.suffixes)
        raise ValidationError(
            {
                "file": _("The file's name does not match its content: name it %(suffix)s.")
                % {"suffix": names}
            }
        )
    raise ValidationError({"file": accepted})
