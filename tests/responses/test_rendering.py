import io
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

from inspections import pdf
from inspections.pdf import RenderError
from responses.rendering import render_statement_html, render_statement_pdf, statement_body
from tests.pdf_helpers import embedded_fonts
from tests.responses.conftest import RECOMMENDATIONS_003

PDFUA = Path(sys.executable).with_name("pdfua")


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def published_pdf(statement_003):
    return render_statement_pdf(render_statement_html(statement_003, draft=False))


def test_the_pdf_text_holds_the_title_number_references_and_response_text(published_pdf):
    text = pdf_text(published_pdf)
    assert "Improving the response to organised immigration crime" in text
    assert "#31007" in text
    for reference, _, _ in RECOMMENDATIONS_003:
        assert reference in text
    assert "Cumbria Police were not inspected as part of this report" in text
    assert "I will hold the Chief Constable to account" in text


def test_the_pdf_is_tagged_with_a_language_and_title(published_pdf):
    catalog = PdfReader(io.BytesIO(published_pdf)).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    info = PdfReader(io.BytesIO(published_pdf)).metadata
    assert (
        info.title == "Response to HMICFRS: Improving the response to organised immigration crime"
    )


def test_the_pdf_passes_pdfua_check_without_errors(published_pdf, tmp_path):
    path = tmp_path / "statement.pdf"
    path.write_bytes(published_pdf)
    result = subprocess.run([PDFUA, "check", path], capture_output=True, text=True)
    # 0: no findings; 2: warnings only; 3: errors. Table headers carry /Scope (pdftags.py).
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pdf_embeds_the_projects_own_font(published_pdf):
    fonts = embedded_fonts(published_pdf)
    assert fonts and all(fonts.values())
    assert all("Atkinson-Hyperlegible" in name for name in fonts)


def test_the_pdf_has_bookmarks_for_its_sections(published_pdf):
    outline = PdfReader(io.BytesIO(published_pdf)).outline
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(outline)
    assert "Key Findings" in titles
    assert "Recommendations" in titles
    assert "The commissioner's comments" in titles


def test_every_page_shows_the_running_header_and_page_x_of_y(published_pdf):
    reader = PdfReader(io.BytesIO(published_pdf))
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "Cumbria Office of the Police, Fire and Crime Commissioner" in text
        assert f"Page {number} of {total}" in text


def test_a_draft_is_marked_draft_on_every_page(statement_003):
    html = render_statement_html(statement_003, draft=True)
    assert "DRAFT" in statement_body(html)
    reader = PdfReader(io.BytesIO(render_statement_pdf(html)))
    assert all("DRAFT" in page.extract_text() for page in reader.pages)


def test_a_published_statement_is_not_marked_draft(statement_003):
    assert "DRAFT" not in render_statement_html(statement_003, draft=False)


def test_markup_from_statement_003_shows_no_tags_in_html_or_pdf(statement_003):
    html = render_statement_html(statement_003, draft=False)
    body = statement_body(html)
    for leaked in ("&lt;p&gt;", "&lt;ul", "list-style-type", "style="):
        assert leaked not in body
    assert "HMICFRS examined:" in body
    text = pdf_text(render_statement_pdf(html))
    assert "<p>" not in text and "<ul" not in text and "list-style-type" not in text
    assert "During the inspection, HMICFRS examined:" in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.com/font.woff2",
        "static:../pfcc/settings.py",
        "static:/etc/passwd",
    ],
)
def test_the_pdf_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(ValueError):
        pdf._fetcher().fetch(url)


def test_content_that_points_at_local_files_stops_the_render(statement_003):
    html = render_statement_html(statement_003, draft=False).replace(
        "</body>", '<img src="file:///etc/passwd" alt=""></body>'
    )
    with pytest.raises(RenderError):
        render_statement_pdf(html)


def test_a_missing_font_is_a_render_error_that_says_what_to_do(statement_003, settings):
    settings.STATICFILES_DIRS = []
    pdf.forget_styles()  # as a new worker, which loads the fonts on its first render
    html = render_statement_html(statement_003, draft=False)
    with pytest.raises(RenderError, match="front-end build"):
        render_statement_pdf(html)


def test_kept_stylesheets_and_fonts_render_the_same_bytes_as_new_ones(statement_003):
    html = render_statement_html(statement_003, draft=False)
    kept = render_statement_pdf(html)
    pdf.forget_styles()
    assert render_statement_pdf(html) == kept


def test_renders_in_several_threads_at_once_give_the_same_bytes(statement_003):
    # As under gunicorn --threads: each thread keeps its own fonts (Pango's are not shared).
    html = render_statement_html(statement_003, draft=False)
    expected = render_statement_pdf(html)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: render_statement_pdf(html), range(6)))
    assert all(result == expected for result in results)
