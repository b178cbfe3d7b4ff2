"""The public pages change only when something is published: they are cached until then.

Every cached page is filed under the current generation; publishing (responses.publishing,
once its transaction commits) starts a new one, so every public page shows the new
statement at once. Entries also expire after PUBLIC_CACHE_SECONDS, which bounds how long an
edit of the office's settings (its name in every page's header) takes to show.

Only anonymous requests are served from the cache: staff, signed in, see their own header.
Each page's CSP nonce is put back fresh on every hit, never reused. Cookies are never cached.
A cache that fails is logged and passed by: the pages are then made afresh each time.
"""

import hashlib
import logging
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers

logger = logging.getLogger(__name__)

GENERATION = "public-pages:generation"
NONCE = "<public-cache:csp-nonce>"
KEPT_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Cache-Control",
    "ETag",
    "Last-Modified",
    "Access-Control-Allow-Origin",
)


def invalidate() -> None:
    """Starts a new generation: every public page is made afresh on its next request."""
    try:
        cache.set(GENERATION, uuid.uuid4().hex, None)
    except Exception:  # The publication stands; its pages show once the entries expire.
        logger.exception("The public pages' cache could not be cleared")


def _key(request) -> str:
    generation = cache.get_or_set(GENERATION, lambda: uuid.uuid4().hex, None)
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"public-pages:{generation}:{address}"


def _cacheable_request(request) -> bool:
    return request.method in ("GET", "HEAD") and not (
        settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES
    )


def _content(response) -> bytes | None:
    """The body to keep, or None when this response is not to be cached."""
    if response.status_code != 200 or response.cookies or response.streaming:
        return None
    if response.has_header("Vary"):
        return None
    if getattr(response, "is_rendered", True) is False:
        response.render()  # A TemplateResponse (the sitemap)
    return response.content


def _nonce(request) -> str | None:
    nonce = getattr(request, "_csp_nonce", None)
    return str(nonce) if nonce else None


def _store(request, key: str, response) -> HttpResponse:
    content = _content(response)
    if content is None or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return response
    if nonce := _nonce(request):
        content = content.replace(nonce.encode(), NONCE.encode())
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    try:
        cache.set(key, (content, headers), settings.PUBLIC_CACHE_SECONDS)
    except Exception:
        logger.exception("A public page could not be cached")
    return response


def _rebuilt(request, content: bytes, headers: dict) -> HttpResponse:
    if NONCE.encode() in content:
        # A fresh nonce: the CSP middleware puts the same one in this response's header.
        content = content.replace(NONCE.encode(), str(request._csp_nonce).encode())
    response = HttpResponse(content, headers=headers)
    # As the page made afresh says (its template asks who is signed in).
    patch_vary_headers(response, ["Cookie"])
    return get_conditional_response(request, etag=headers.get("ETag"), response=response)


def cached(view):
    """Serves `view`'s anonymous GETs from the cache, until the next publication."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        try:
            key = _key(request)
            hit = cache.get(key)
        except Exception:  # Any cache failure: serve the page without it.
            logger.exception("The public pages' cache could not be read")
            return view(request, *args, **kwargs)
        if hit is not None:
            return _rebuilt(request, *hit)
        return _store(request, key, view(request, *args, **kwargs))

    return wrapper
