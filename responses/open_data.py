"""The open data files, made once per publication and then served as files.

Open data lists every published response, so making it costs time in proportion to the
record. It changes only when something is published: each file is made by the first request
after a publication and stored under that publication's number (publications are never
deleted, so the highest number names the state of the record), then streamed from storage
to everyone after, as a static file is. Files of earlier states are removed when a new one
is made. The files hold absolute links, so each address the site is reached by has its own.
"""

import hashlib
import json
from collections.abc import Callable
from operator import itemgetter

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Max
from django.http import FileResponse

from responses import exports, record
from responses.models import Publication

FOLDER = "open-data"


def _csv(rows: list[dict]) -> bytes:
    fields = list(rows[0]) if rows else ["hmicfrs_number", "title"]
    columns = [exports.Column(name, itemgetter(name)) for name in fields]
    return "".join(exports.csv_lines(exports.Export("responses", columns, rows))).encode()


def _json(rows: list[dict]) -> bytes:
    return json.dumps({"responses": rows}, indent=2).encode()


# name: (how it is made from a request, content type)
FILES: dict[str, tuple[Callable, str]] = {
    "hmicfrs-responses.csv": (
        lambda request: _csv(record.open_data_rows(request)),
        "text/csv; charset=utf-8",
    ),
    "hmicfrs-response-versions.csv": (
        lambda request: _csv(record.open_data_versions(request)),
        "text/csv; charset=utf-8",
    ),
    "hmicfrs-responses.json": (
        lambda request: _json(record.open_data_rows(request, with_versions=True)),
        "application/json",
    ),
}


def _state() -> str:
    """The state of the public record: the newest publication's number (an index lookup)."""
    return str(Publication.objects.aggregate(last=Max("pk"))["last"] or 0)


def _site(request) -> str:
    return hashlib.sha256(request.build_absolute_uri("/").encode()).hexdigest()[:16]


def _stored(request, name: str) -> str:
    """The stored file's name, made now if this state of the record has none yet."""
    state = _state()
    folder = f"{FOLDER}/{_site(request)}"
    stored = f"{folder}/{state}-{name}"
    if not default_storage.exists(stored):
        make, _ = FILES[name]
        saved = default_storage.save(stored, ContentFile(make(request)))
        if saved != stored:  # Another request made it meanwhile: keep theirs.
            default_storage.delete(saved)
        _remove_older(folder, name, keep=stored)
    return stored


def _remove_older(folder: str, name: str, *, keep: str) -> None:
    for other in default_storage.listdir(folder)[1]:
        path = f"{folder}/{other}"
        if other.endswith(f"-{name}") and path != keep:
            default_storage.delete(path)


def response(request, name: str) -> FileResponse:
    _, content_type = FILES[name]
    served = FileResponse(
        default_storage.open(_stored(request, name)),
        content_type=content_type,
        as_attachment=name.endswith(".csv"),
        filename=name,
    )
    served["Access-Control-Allow-Origin"] = "*"
    return served
