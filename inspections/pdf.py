"""HTML to tagged PDF (PDF/UA-1) with WeasyPrint: the one rendering path for printable documents.

WeasyPrint is imported lazily: it costs about a second, which start-up should not pay.
Documents may load only data: URLs and files under the project's static folders, so content
typed by staff cannot pull in other local files or reach the network.
"""

from pathlib import Path

from django.conf import settings


def _static_roots() -> list[Path]:
    roots = [Path(d) for d in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


def _is_allowed(url: str) -> bool:
    if url.startswith("data:"):
        return True
    if url.startswith("file://"):
        from urllib.parse import unquote, urlparse

        path = Path(unquote(urlparse(url).path)).resolve()
        return any(path.is_relative_to(root) for root in _static_roots())
    return False


def _fetcher():
    from weasyprint.urls import URLFetcher

    class SafeFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not _is_allowed(url):
                raise ValueError(f"Blocked resource in a PDF: {url}")
            return super().fetch(url, headers)

    return SafeFetcher(allowed_protocols={"data", "file"})


def html_to_pdf(
    html: str, *, base_url: str | None = None, stylesheets: tuple[str, ...] = ()
) -> bytes:
    """Renders `html` (a whole document with <html lang>) to PDF/UA-1 bytes.

    `stylesheets` are CSS texts applied on top of the document's own styles.
    """
    from weasyprint import CSS, HTML

    fetcher = _fetcher()
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    css = [CSS(string=text, url_fetcher=fetcher) for text in stylesheets]
    return document.write_pdf(stylesheets=css, pdf_variant="pdf/ua-1")
