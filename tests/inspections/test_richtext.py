import pytest
from django.template import Context, Template

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
