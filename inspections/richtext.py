"""Rich text: stored as Markdown with no HTML in it, rendered to sanitised HTML.

Text arrives from browsers, pasted reports and the office's old tool, which stored HTML
(statement 003 shows its tags leaking into print). Everything is normalised on the way in:
markup is sanitised, then turned into Markdown, so the stored form never holds a tag.
Rendering escapes any stray `<` and sanitises once more, so no path can emit live markup.
"""

import html
import re

import nh3
from django.db import models
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdownify import markdownify

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")

# What the rendered HTML may contain: the structure of a statement, nothing active.
ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


def normalise(text: str | None) -> str:
    """Returns the stored form of `text`: Markdown with no HTML, tidy line endings."""
    if not text:
        return ""
    text = _unescape(text.replace("\r\n", "\n").replace("\r", "\n"))
    if _TAG.search(text):
        # Sanitise first so that scripts and styles go with their content.
        cleaned = nh3.clean(text, tags=ALLOWED_TAGS | {"div", "span"}, attributes={})
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
    return strip_markup(render(text))


def strip_markup(text: str | None) -> str:
    """Reduces text that may hold HTML (escaped or not) to its words on one line."""
    text = _unescape(text or "")
    if _TAG.search(text):
        text = _unescape(nh3.clean(text, tags=set(), attributes={}))
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
