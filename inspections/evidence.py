"""Which evidence files are accepted: documents and images, told by their content, not their name.

A few lines of our own rather than a dependency: each kind is known by a fixed signature
(PDF, PNG, JPEG, GIF), by the parts inside its ZIP (Office Open XML, OpenDocument), or by being
readable UTF-8 text (CSV, plain text). Anything else, HTML, SVG and programs among them, is
refused, whatever its name says. Accepted files are stored under the extension of the kind
found, and served as attachments of that kind.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.http import FileResponse

from pfcc import text

MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str


PDF = Kind("pdf", "application/pdf")
PNG = Kind("png", "image/png")
JPEG = Kind("jpg", "image/jpeg")
GIF = Kind("gif", "image/gif")
DOCX = Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = Kind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
ODT = Kind("odt", "application/vnd.oasis.opendocument.text")
ODS = Kind("ods", "application/vnd.oasis.opendocument.spreadsheet")
ODP = Kind("odp", "application/vnd.oasis.opendocument.presentation")
CSV = Kind("csv", "text/csv; charset=utf-8")
TXT = Kind("txt", "text/plain; charset=utf-8")
KINDS = (PDF, PNG, JPEG, GIF, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV, TXT)
ACCEPTED = "PDF, Word, Excel, PowerPoint, OpenDocument, CSV, plain text, PNG, JPEG or GIF"

SIGNATURES = {
    b"%PDF-": PDF,
    b"\x89PNG\r\n\x1a\n": PNG,
    b"\xff\xd8\xff": JPEG,
    b"GIF87a": GIF,
    b"GIF89a": GIF,
}
# The folder of the main part inside an Office Open XML package.
OOXML_FOLDERS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
ODF_TYPES = {kind.content_type.encode(): kind for kind in (ODT, ODS, ODP)}
TEXT_EXTENSIONS = {".csv": CSV, ".txt": TXT}


def _zipped_kind(file) -> Kind | None:
    try:
        with zipfile.ZipFile(file) as package:
            names = package.namelist()
            if names and names[0] == "mimetype":
                return ODF_TYPES.get(package.read("mimetype").strip())
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    # Macros run when opened: a document with them is refused.
    if "[Content_Types].xml" not in names or any(n.endswith("vbaProject.bin") for n in names):
        return None
    folders = {folder for folder in OOXML_FOLDERS if any(n.startswith(folder) for n in names)}
    return OOXML_FOLDERS[folders.pop()] if len(folders) == 1 else None


def _text_kind(content: bytes, name: str) -> Kind | None:
    """CSV or plain text: named so, readable UTF-8, and not markup (HTML, SVG and XML are
    text too, but run in a browser)."""
    kind = TEXT_EXTENSIONS.get(PurePath(name).suffix.lower())
    content = content.removeprefix(b"\xef\xbb\xbf")
    if kind and text.is_readable_utf8(content) and not content.lstrip().startswith(b"<"):
        return kind
    return None


def kind_of(file, name: str) -> Kind | None:
    """The accepted kind of an uploaded file, from its content; None if it is not one."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    kind = next((k for signature, k in SIGNATURES.items() if head.startswith(signature)), None)
    if kind is None and head.startswith(b"PK\x03\x04"):
        kind = _zipped_kind(file)
    elif kind is None:
        kind = _text_kind(file.read(), name)
    file.seek(0)
    return kind


def stored_name(name: str, kind: Kind) -> str:
    """The upload's name with the extension of what it is, so no name can claim another kind."""
    return f"{PurePath(name).stem[:100] or 'evidence'}.{kind.extension}"


def upload_problem(upload, *, label: str = "The evidence file") -> str | None:
    """What stops `upload` being kept as evidence, in GOV.UK's words; None when nothing does.
    An accepted upload is renamed to the kind found (stored_name)."""
    if upload.size > MAX_BYTES:
        return f"{label} must be smaller than 20 MB"
    kind = kind_of(upload, upload.name)
    if kind is None:
        return f"{label} must be a {ACCEPTED} file"
    upload.name = stored_name(upload.name, kind)
    return None


def content_type(stored: str) -> str:
    extension = PurePath(stored).suffix.lower().lstrip(".")
    found = (kind.content_type for kind in KINDS if kind.extension == extension)
    return next(found, "application/octet-stream")


def download(stored) -> FileResponse:
    """A stored evidence file (a FieldFile) as an attachment of the kind its content was found
    to be; with nosniff (SecurityMiddleware), so no browser runs it as a page. Callers check
    who may have it: evidence is never served from a public media URL."""
    filename = stored.name.rsplit("/", 1)[-1]
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type(filename),
    )
