"""Rich text: stored as Markdown with no HTML in it, rendered to sanitised HTML.

Text arrives from browsers, pasted reports and the office's old tool, which stored HTML
(statement 003 shows its tags leaking into print). What a person typed is kept as typed:
`Email <chief@cumbria.police.uk>.` and `x < y > z` are words, stored as they are and shown
escaped. Only real HTML (see `is_markup`) is sanitised and turned into Markdown, so the
stored form never holds a tag. Rendering escapes any stray `<` and sanitises once more, so no
path can emit live markup.
"""

import html
import re

import nh3
from django.db import models
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdownify import markdownify

# Names of HTML elements: what a report, a web page or the old tool's HTML is made of.
_ELEMENTS = (
    "a|abbr|address|area|article|aside|audio|b|base|blockquote|body|br|button|caption|center|"
    "cite|code|col|colgroup|dd|del|details|dfn|div|dl|dt|em|embed|figcaption|figure|font|"
    "footer|form|frame|frameset|h[1-6]|head|header|hr|html|i|iframe|img|input|ins|kbd|label|"
    "li|link|main|mark|math|meta|nav|noscript|object|ol|option|p|param|picture|pre|q|s|"
    "samp|script|section|select|small|source|span|strike|strong|style|sub|summary|sup|svg|"
    "table|tbody|td|template|textarea|tfoot|th|thead|title|tr|track|tt|u|ul|var|video|wbr"
)
_VOID_ELEMENTS = "area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr"
# Real HTML has structure a person's prose does not: a closing tag (`</p>`), an element that
# is never closed (`<br>`, `<img ...>`), an element with attributes (`<p class="x">`), a
# comment or a doctype. `a<b>c`, `x < y > z` and `<chief@cumbria.police.uk>` have none.
_HTML = re.compile(
    rf"</(?:{_ELEMENTS})\s*>"
    rf"|<(?:{_VOID_ELEMENTS})(?:\s[^<>]*)?/?>"
    rf"|<(?:{_ELEMENTS})\s+[a-z_:][-\w:.]*\s*="
    r"|<!--|<!doctype",
    re.IGNORECASE,
)
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")

# What the rendered HTML may contain: the structure of a statement, nothing active.
ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}

# Typed text is Markdown (paragraphs, "- " lists, emphasis) and converted HTML keeps its links
# as Markdown links; nothing else may change what was typed: no raw HTML, no <address>
# autolinks, no &entities; and no reference definitions, which would hide a line.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(
    ["image", "autolink", "entity", "reference"]
)


def is_markup(text: str | None) -> bool:
    """Whether `text` is HTML (perhaps with its tags escaped, as the old tool stored it)."""
    return _html_source(text or "") is not None


def _html_source(text: str) -> str | None:
    """The HTML `text` holds, with any escaping of its tags peeled off; None if it is not HTML."""
    if _HTML.search(text):
        return text
    unescaped = _unescape(text)
    return unescaped if _HTML.search(unescaped) else None


def normalise(text: str | None) -> str:
    """Returns the stored form of `text`: Markdown with no HTML, tidy line endings."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    source = _html_source(text)
    if source is not None:
        # Sanitise first so that scripts and styles go with their content.
        cleaned = nh3.clean(source, tags=ALLOWED_TAGS | {"div", "span"}, attributes={})
        text = markdownify(cleaned, heading_style="ATX", bullets="-", strip=["span", "div"])
        text = _unescape(text)
    text = text.replace("\u00a0", " ")
    text = _TRAILING_SPACE.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def _unescape(text: str) -> str:
    # Entities can hide a second layer of tags (&amp;lt;p&amp;gt;): peel until nothing changes.
    for _ in range(3):
        if "&" not in text:
            break
        text = html.unescape(text)
    return text


def render(text: str | None) -> SafeString:
    """Renders stored rich text as HTML that is safe to put in any page or PDF."""
    if not text:
        return mark_safe("")
    rendered = _markdown.render(normalise(text))
    return mark_safe(
        nh3.clean(
            rendered,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


def to_plain(text: str | None) -> str:
    """Returns the words of stored rich text with no markup, for feeds, CSV and search."""
    return _one_line(_html_text(render(text)))


def strip_markup(text: str | None) -> str:
    """Reduces text that may be HTML (escaped or not) to its words on one line; text that is
    not HTML keeps every character, `<` and `&` included."""
    text = text or ""
    source = _html_source(text)
    return _one_line(text if source is None else html_to_text(source))


def html_to_text(source: str) -> str:
    """The words of a piece of HTML, without its tags, scripts or styles."""
    return _html_text(source)


def _html_text(markup: str) -> str:
    # nh3 keeps text escaped; one unescape gives back exactly the characters shown.
    return html.unescape(nh3.clean(markup, tags=set(), attributes={}))


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class NormalisedTextField(models.TextField):
    """A TextField that stores `stored(value)`, so any text can be compared with what is stored."""

    def stored(self, value: str | None) -> str:
        raise NotImplementedError

    def pre_save(self, model_instance, add):
        value = self.stored(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class RichTextField(NormalisedTextField):
    """A TextField that always stores the normalised Markdown form."""

    def stored(self, value: str | None) -> str:
        return normalise(value)


class PlainTextField(NormalisedTextField):
    """A TextField for single-block text (a finding's wording): any markup is reduced to words."""

    def stored(self, value: str | None) -> str:
        return strip_markup(value)
