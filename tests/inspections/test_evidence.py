"""Evidence kinds are told by content: documents and images in, markup and programs out."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from inspections import evidence


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in members.items():
            package.writestr(name, content)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("plan.pdf", b"%PDF-1.7\n", evidence.PDF),
        ("photo.png", b"\x89PNG\r\n\x1a\n....", evidence.PNG),
        ("photo.jpeg", b"\xff\xd8\xff\xe0JFIF", evidence.JPEG),
        ("chart.gif", b"GIF89a....", evidence.GIF),
        ("minutes.docx", DOCX, evidence.DOCX),
        ("figures.xlsx", _xlsx(), evidence.XLSX),
        ("minutes.odt", ODT, evidence.ODT),
        ("figures.csv", "\ufeffArea,Done\nCustody,Yes\n".encode(), evidence.CSV),
        ("notes.txt", "Agreed on 3 March – see “minutes”.\n".encode(), evidence.TXT),
        ("photo", b"\x89PNG\r\n\x1a\n....", evidence.PNG),  # no name needed for binary kinds
    ],
)
def test_documents_and_images_are_known_by_their_content(name, content, kind):
    assert evidence.kind_of(io.BytesIO(content), name) == kind


@pytest.mark.parametrize(
    "name, content",
    [
        ("page.html", b"<!doctype html><script>alert(1)</script>"),
        ("page.txt", b"  <html><script>alert(1)</script>"),  # markup named as text
        ("logo.svg", b"<svg onload='alert(1)'/>"),
        ("tool.exe", b"MZ\x90\x00"),
        ("notes", b"plain words"),  # text must say which kind of text it is
        ("notes.txt", b"\xff\xfe not UTF-8"),
        ("notes.txt", b"null \x00 inside"),
        ("macro.docm", _zip({"[Content_Types].xml": b"", "word/vbaProject.bin": b""})),
        ("archive.zip", _zip({"readme.txt": b"hello"})),
        ("broken.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_anything_else_is_refused_whatever_its_name(name, content):
    assert evidence.kind_of(io.BytesIO(content), name) is None


def test_the_stored_name_takes_the_extension_of_the_kind_found():
    assert evidence.stored_name("minutes.html", evidence.PDF) == "minutes.pdf"
    assert evidence.content_type("evidence/finding-1/minutes.pdf") == "application/pdf"
    assert evidence.content_type("evidence/finding-1/old.html") == "application/octet-stream"
