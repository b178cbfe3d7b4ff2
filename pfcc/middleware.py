"""Text the site cannot read is refused at the edge, before any view or form sees it."""

from urllib.parse import unquote_to_bytes

from django.core.handlers.wsgi import get_bytes_from_wsgi

from pfcc import text
from pfcc.views import bad_request

FORM_TYPE = "application/x-www-form-urlencoded"


def _unreadable_part(request) -> str | None:
    """Which part of the request holds unreadable text: "address", "form" or None.

    The query string and a urlencoded form are checked as raw bytes, where Django would
    otherwise quietly replace bytes that are not UTF-8 (an encoded surrogate among them) with
    U+FFFD: what arrives is kept as sent or refused. (Django keeps such bytes of a path
    percent-encoded, and strips control characters from file names.)
    """
    if not text.is_readable(request.path_info):
        return "address"
    query = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
    if not text.is_readable_utf8(unquote_to_bytes(query)):
        return "address"
    if request.method != "POST":
        return None
    if request.content_type == FORM_TYPE:
        return None if text.is_readable_utf8(unquote_to_bytes(request.body)) else "form"
    # Multipart fields come decoded (Django replaces bytes that are not UTF-8); files are data.
    fields = [*request.POST, *(v for key in request.POST for v in request.POST.getlist(key))]
    return None if all(text.is_readable(field) for field in fields) else "form"


class RefuseUnreadableTextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        part = _unreadable_part(request)
        if part is not None:
            return bad_request(request, unreadable=part)
        return self.get_response(request)
