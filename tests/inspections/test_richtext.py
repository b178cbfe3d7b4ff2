import html
import re

import nh3
import pytest
from django.template import Context, Template
from hypothesis import assume, given
from hypothesis import strategies as st

from inspections import richtext
from tests.factories import make_finding, make_inspection

# The Key Findings field of reference statement 003, as the office's old tool stored it.
STATEMENT_003_KEY_FINDINGS = (
    "<p>In January 2024, the then Home Secretary commissioned HMICFRS to inspect how effectively "
    "the police and National Crime Agency tackle organised immigration crime (OIC) in England and "
    'Wales.</p> <p>During the inspection, HMICFRS examined:</p> <ul style="list-style-type: none">'
    " - how the response of law enforcement agencies to OIC was led; - the initial response to "
    "suspected immigration crime incidents; - the management of information and intelligence;"
)

HOSTILE = [
    '<script>alert("x")</script>Text',
    '<img src=x onerror="alert(1)">Text',
    '<a href="javascript:alert(1)">Text</a>',
    "<p onclick=\"alert(1)\">Text</p>",
    "&lt;script&gt;alert(1)&lt;/script&gt;Text",
    "<style>body{display:none}</style>Text",
    "<iframe src='https://example.com'></iframe>Text",
]


def test_the_stored_form_of_old_html_has_no_tags():
    stored = richtext.normalise(STATEMENT_003_KEY_FINDINGS)
    assert "<" not in stored and ">" not in stored
    assert "style" not in stored
    assert stored.startswith("In January 2024")
    assert "During the inspection, HMICFRS examined:" in stored


def test_paragraphs_survive_as_rendered_paragraphs():
    rendered = richtext.render(STATEMENT_003_KEY_FINDINGS)
    assert rendered.count("<p>") >= 2
    assert "&lt;" not in rendered


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markup_never_survives_rendering(text):
    rendered = richtext.render(text)
    for live in ("<script", "onerror", "onclick", "javascript:", "<style", "<iframe", "<img"):
        assert live not in rendered.lower()
    assert "Text" in rendered


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markup_never_shows_as_visible_tags(text):
    rendered = richtext.render(text)
    assert "&lt;script" not in rendered and "&lt;img" not in rendered


def test_markdown_lists_and_emphasis_render_as_clean_markup():
    rendered = richtext.render("Actions:\n\n- **first** step\n- second step")
    assert "<ul>" in rendered and "<strong>first</strong>" in rendered


def test_a_lone_angle_bracket_in_prose_is_shown_as_text():
    assert "a &lt; b" in richtext.render("a < b")


def test_windows_line_endings_and_non_breaking_spaces_are_tidied():
    assert richtext.normalise("One\u00a0line\r\n\r\n\r\n\r\nTwo") == "One line\n\nTwo"


def test_strip_markup_peels_escaped_tags_too():
    assert richtext.strip_markup("&lt;p&gt;Hello &amp;amp; welcome&lt;/p&gt;") == "Hello & welcome"


@pytest.mark.django_db
def test_key_findings_are_stored_without_tags():
    inspection = make_inspection(key_findings=STATEMENT_003_KEY_FINDINGS)
    inspection.refresh_from_db()
    assert "<" not in inspection.key_findings


@pytest.mark.django_db
@pytest.mark.parametrize("text", HOSTILE)
def test_a_findings_text_is_stored_as_plain_words(text):
    finding = make_finding(make_inspection(), text=text)
    finding.refresh_from_db()
    assert "<" not in finding.text and "alert" not in finding.text
    assert finding.text.endswith("Text")


def test_the_richtext_filter_renders_sanitised_html():
    template = Template("{% load richtext %}{{ value|richtext }}")
    html = template.render(Context({"value": "<p>Hi</p><script>alert(1)</script>"}))
    assert html.strip() == "<p>Hi</p>"


# What people type: angle brackets, ampersands and quotes are words, not markup.
TYPED = [
    "Email <chief@cumbria.police.uk>.",
    "a<b>c",
    "x < y > z",
    "Response times <5 minutes and >10 minutes",
    "AT&T and R&amp;D",
    "Use the <reference> column",
    "<script>alert(1)",
]


@pytest.mark.parametrize("text", TYPED)
def test_text_that_is_not_html_is_stored_as_typed(text):
    assert richtext.normalise(text) == text
    assert not richtext.is_markup(text)


@pytest.mark.parametrize("text", TYPED)
def test_text_that_is_not_html_is_shown_escaped(text):
    rendered = richtext.render(text)

    assert rendered == f"<p>{html.escape(text, quote=False)}</p>\n"


def test_an_email_address_in_angle_brackets_is_not_made_a_link():
    assert richtext.render("Email <chief@cumbria.police.uk>.") == (
        "<p>Email &lt;chief@cumbria.police.uk&gt;.</p>\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "<p>Pasted</p>",
        "Line<br>break",
        '<span style="color:red">Pasted</span>',
        "<!-- Word --><b>Bold</b>",
        "&lt;p&gt;Escaped&lt;/p&gt;",
        *HOSTILE,
    ],
)
def test_real_html_is_recognised(text):
    assert richtext.is_markup(text)


def test_pasted_html_becomes_markdown_and_its_text_keeps_angle_brackets():
    pasted = "<p>Write to &lt;chief@cumbria.police.uk&gt;</p><ul><li>one</li></ul>"

    stored = richtext.normalise(pasted)

    assert stored == "Write to <chief@cumbria.police.uk>\n\n- one"
    assert "&lt;chief@cumbria.police.uk&gt;" in richtext.render(stored)


def test_plain_words_of_rich_text_keep_angle_brackets():
    assert richtext.to_plain("Email <chief@cumbria.police.uk>.") == (
        "Email <chief@cumbria.police.uk>."
    )
    assert richtext.strip_markup("a<b>c  and\nx < y") == "a<b>c and x < y"


@pytest.mark.django_db
@pytest.mark.parametrize("text", TYPED)
def test_typed_text_is_saved_and_shown_back_as_typed(text):
    inspection = make_inspection(key_findings=text)
    finding = make_finding(inspection, text=text)
    inspection.refresh_from_db()
    finding.refresh_from_db()

    assert inspection.key_findings == text
    assert finding.text == text


# Markdown's own syntax is markup too: links hide their address, and numbered list items are
# renumbered by the list. Everything else a person types keeps its words.
_PROSE = st.lists(
    st.sampled_from(
        [*"abcxyzABCZ019 \n\t.,;:!?'\"()/@%&<>=+-#|{}$£–é\u00a0", "&amp;", "&lt;", "p>", "</"]
    ),
    max_size=60,
).map("".join)
_LIST_NUMBER = re.compile(r"^[ \t\u00a0>*+-]*\d{1,9}[.)](?:[ \t\u00a0]|$)", re.MULTILINE)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


@given(_PROSE)
def test_any_text_without_markup_is_saved_and_rendered_with_the_same_words(text):
    assume(not richtext.is_markup(text) and not _LIST_NUMBER.search(text))

    stored = richtext.normalise(text)
    shown = html.unescape(nh3.clean(richtext.render(stored), tags=set()))

    assert _words(shown) == _words(text)
    assert richtext.normalise(stored) == stored
