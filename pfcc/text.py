"""What text the site accepts: the one definition the edge middleware and the filter forms share.

Refused: NUL (PostgreSQL cannot store it), the other C0 control characters except tab, line feed
and carriage return (XML 1.0, so the Atom feed, and XLSX cells cannot hold them: one stored
record would break every export and feed it appears in), and lone surrogates (not text at all:
UTF-8 cannot encode them). None of them can be typed; they come from pasted binary or from
tools probing the site.
"""

import re

from django.core.exceptions import ValidationError

UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def is_readable(text: str) -> bool:
    return UNREADABLE.search(text) is None


def is_readable_utf8(raw: bytes) -> bool:
    """Bytes that are UTF-8 (so carry no encoded surrogate) of readable text."""
    try:
        return is_readable(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return False


class ReadableTextValidator:
    """For form fields; the edge (pfcc.middleware) already refuses such text in requests."""

    message = "Remove the invisible control character from the text, for example by retyping it"
    code = "unreadable"

    def __call__(self, value):
        if value is not None and not is_readable(str(value)):
            raise ValidationError(self.message, code=self.code)
