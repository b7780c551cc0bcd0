"""An upload is what its first bytes say, whatever its name: the one rule every room that
keeps people's files applies."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from civicbridge.core import uploads

KINDS = (uploads.PDF, uploads.PNG, uploads.DOCX, uploads.ODT)
PDF = b"%PDF-1.4\n%\xe2\xe3\n"


def kind_of(name: str, content: bytes, max_bytes: int = 1024) -> str:
    return uploads.content_type_of(
        SimpleUploadedFile(name, content), KINDS, max_bytes, "Upload a PDF."
    )


def refusal(name: str, content: bytes, max_bytes: int = 1024) -> str:
    with pytest.raises(ValidationError) as refused:
        kind_of(name, content, max_bytes)
    return refused.value.message_dict["file"][0]


def test_a_file_is_taken_for_what_its_bytes_and_name_agree_on():
    assert kind_of("report.PDF", PDF) == "application/pdf"
    assert kind_of("notes.odt", b"PK\x03\x04rest") == uploads.ODT.content_type
    assert kind_of("notes.docx", b"PK\x03\x04rest") == uploads.DOCX.content_type


def test_a_file_is_refused_for_what_it_is_not():
    assert refusal("empty.pdf", b"") == "The file is empty."
    assert refusal("big.pdf", PDF + b"x" * 2048, max_bytes=1024).startswith(
        "The file is larger than"
    )
    assert "SVG images can carry scripts" in refusal("logo.png", b"<svg onload=alert(1)>")
    assert refusal("report.png", PDF) == (
        "The file's name does not match its content: name it .pdf."
    )
    assert ".docx or .odt" in refusal("notes.zip", b"PK\x03\x04rest")
    assert refusal("page.html", b"<html>") == "Upload a PDF."


def test_an_input_offers_the_names_of_its_kinds():
    assert uploads.accept(KINDS) == ".pdf,.png,.docx,.odt"
