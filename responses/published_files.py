"""Published files, served the way WhiteNoise serves static files.

A version's PDF and HTML never change once published, so after a file's first request (the
view reads its record and checks its SHA-256) this process remembers the address: later
requests are answered here, before sessions, authentication and the rest of the stack, with
no query, as long as the stored file is still the one found to match (publishing.open_checked
compares the open file's size, time and inode with those it hashed). Anything else, a changed
file included, goes on to the view, which checks it again and never serves it altered.
"""

from dataclasses import dataclass

from django.http import FileResponse, HttpResponseNotModified

from responses import publishing

# Versioned files never change once published.
IMMUTABLE = "public, max-age=31536000, immutable"
CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}
KNOWN_LIMIT = 20_000


@dataclass(frozen=True)
class Served:
    name: str
    sha256: str
    filename: str
    content_type: str

    @classmethod
    def of(cls, publication, kind: str) -> "Served":
        field, digest = publishing.STORED_FILES[kind]
        return cls(
            name=getattr(publication, field).name,
            sha256=getattr(publication, digest),
            filename=f"{publication.filename_stem}.{kind}",
            content_type=CONTENT_TYPES[kind],
        )

    @property
    def etag(self) -> str:
        return f'"{self.sha256}"'

    def not_modified(self, request) -> HttpResponseNotModified | None:
        if self.etag not in request.headers.get("If-None-Match", ""):
            return None
        return self._headed(HttpResponseNotModified())

    def response(self, handle) -> FileResponse:
        # Streamed from the open file (sendfile under gunicorn), as a static file is.
        served = FileResponse(
            handle, as_attachment=True, filename=self.filename, content_type=self.content_type
        )
        return self._headed(served)

    def _headed(self, response):
        response["ETag"] = self.etag
        response["Cache-Control"] = IMMUTABLE
        return response


_known: dict[str, Served] = {}


def remember(path: str, served: Served) -> None:
    if len(_known) >= KNOWN_LIMIT:
        _known.clear()
    _known[path] = served


class PublishedFileMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        served = _known.get(request.path_info) if request.method in ("GET", "HEAD") else None
        if served is not None:
            if (unchanged := served.not_modified(request)) is not None:
                return unchanged
            if (handle := publishing.open_checked(served.name, served.sha256)) is not None:
                return served.response(handle)
        return self.get_response(request)
