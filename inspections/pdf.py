"""HTML to tagged PDF (PDF/UA-1) with WeasyPrint: the one rendering path for printable documents.

Statements and action plans alike come out in the project's own font (installed by the
front-end build, embedded in the file) with the office's page furniture (print.css).
WeasyPrint is imported lazily: it costs about a second, which start-up should not pay.
A document may load only the project's own static files, through `static:` URLs, so text
typed by staff cannot pull in local files or reach the network.

Parsed stylesheets and their fonts are kept once per thread (`_styles`): building them, with the
WOFF2 fonts decompressed, cost as much as laying out a short statement. WeasyPrint's tag tree is
mended on the way out by inspections/pdftags.py (artifacts, one element across pages, scoped
table headers, links named by their words).
"""

import atexit
import functools
import mimetypes
import threading
from pathlib import Path

from django.contrib.staticfiles import finders

PRINT_CSS = Path(__file__).with_name("print.css")
STATIC_SCHEME = "static:"


class RenderError(Exception):
    """The document could not be rendered; the message says why, in words for the user."""


def static_file(name: str) -> Path:
    """The path of one of the project's static files, or RenderError if it is missing."""
    found = finders.find(name)
    if not found:
        raise RenderError(
            f"The document needs the static file {name!r}, which is missing: "
            "run the front-end build (make install) and try again."
        )
    return Path(found)


@functools.cache
def _fetcher():
    """One per process: building one loads urllib's TLS certificates, which it never uses; its
    `fetch` keeps no state, so threads share it."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves the project's own static files; refuses file://, http(s) and everything else."""

        def fetch(self, url, headers=None):
            if not url.startswith(STATIC_SCHEME):
                raise ValueError(f"A document may not load {url!r}")
            name = url.removeprefix(STATIC_SCHEME)
            if name.startswith("/") or ".." in name.split("/"):
                raise ValueError(f"A document may not load {url!r}")
            path = static_file(name)
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyFetcher(fail_on_errors=True)


_local = threading.local()


def _styles(stylesheets: tuple[str, ...]):
    """print.css and `stylesheets` parsed, with the fonts they load: built once per thread.

    Each thread keeps its own because a FontConfiguration holds a Pango font map, which two
    renders must not use at the same moment (gunicorn `--threads`); a sync worker has one thread.
    Nothing in them depends on the document, so a reused set renders the same bytes as a new one.
    """
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_local, "styles"):
        _local.styles = {}
    cache = _local.styles
    if stylesheets not in cache:
        fetcher = _fetcher()
        fonts = FontConfiguration()
        css = [
            CSS(string=text, url_fetcher=fetcher, font_config=fonts)
            for text in (PRINT_CSS.read_text(), *stylesheets)
        ]
        cache[stylesheets] = (css, fonts)
    return cache[stylesheets]


def forget_styles() -> None:
    """Drops this thread's parsed stylesheets and fonts, so the next render loads them anew."""
    if hasattr(_local, "styles"):
        del _local.styles


# A FontConfiguration removes its folder of decompressed fonts when it goes, which it cannot do
# once the interpreter is shutting down; worker threads' sets go when their threads end.
atexit.register(forget_styles)


def html_to_pdf(html: str, *, stylesheets: tuple[str, ...] = ()) -> bytes:
    """Renders `html` (a whole document with <html lang> and <title>) to PDF/UA-1 bytes.

    `stylesheets` are CSS texts applied after print.css, for what one kind of document adds.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    from inspections import pdftags

    try:
        css, fonts = _styles(stylesheets)
        document = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=_fetcher())
        return document.write_pdf(
            stylesheets=css, font_config=fonts, pdf_variant="pdf/ua-1", finisher=pdftags.repair
        )
    except FatalURLFetchingError as error:
        cause = error.__cause__
        raise RenderError(str(cause) if isinstance(cause, RenderError) else str(error)) from error
