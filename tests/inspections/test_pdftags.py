"""Every kind of PDF the tracker makes, read back from its structure tree (PDF/UA-1 tags), as
inspections/pdftags.py mends it.

`pdfua check` covers 16 of PDF/UA's 106 rules; these tests read the tags themselves (pikepdf,
tests/pdf_helpers.py) for what it cannot see: content outside the tree, one element per HTML
element even across pages, lists and tables built right, scoped headers, one <h1> naming the
inspection, links named by their words, and the running header and page numbers as artifacts.
veraPDF, the full checker, cannot be installed on these machines (no Maven Central).
"""

import datetime
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse

from inspections import public_views as inspection_public_views
from inspections import tracking, tracking_views
from inspections.models import DuePrecision, FindingKind, Service
from responses import workflow
from responses.importer import REFERENCE_STATEMENTS_DIR, import_statement_file
from responses.publishing import publish_statement
from responses.rendering import render_statement_html, render_statement_pdf
from tests.factories import make_finding, make_inspection, make_response, redraft
from tests.pdf_helpers import structure
from tests.responses.conftest import ON_TIME, make_statement_003

PDFUA = Path(sys.executable).with_name("pdfua")

# HTML elements and the structure element each must become, once each, whatever the pages.
ROLES = {
    "article": "Art",
    "section": "Sect",
    "p": "P",
    "h1": "H1",
    "h2": "H2",
    "h3": "H3",
    "h4": "H4",
    "ul": "L",
    "ol": "L",
    "li": "LI",
    "table": "Table",
    "caption": "Caption",
    "tr": "TR",
    "th": "TH",
    "td": "TD",
}


class _Tags(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.count = Counter()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ROLES:
            self.count[ROLES[tag]] += 1


def assert_reads_right(pdf: bytes, html: str, *, h1: str, tmp_path) -> None:
    """The checks every PDF of the tracker passes; see the module's docstring."""
    tree = structure(pdf)
    assert tree.problems == []
    document = tree.document
    # One continuous structure: each HTML element is one structure element, whatever the pages.
    expected = _Tags(html).count
    found = Counter(element.role for element in document.walk())
    assert {role: found[role] for role in expected} == dict(expected)
    assert "NonStruct" not in {kid.role for kid in document.kids}
    for element in document.all("L"):
        assert {kid.role for kid in element.kids} <= {"LI", "L"}, "a list holds only items"
    for element in document.all("LI"):
        assert {kid.role for kid in element.kids} <= {"Lbl", "LBody"}
    for header in document.all("TH"):
        assert header.attributes.get("/Scope") in ("/Row", "/Column"), header.text
    for row in document.all("TR"):
        assert len({page for e in row.walk() for page, _ in e.content}) == 1, "a row is split"
    [heading] = document.all("H1")
    assert heading.text == h1
    for link in document.all("Link"):
        assert link.annotations and set(link.annotations) == {link.text}
        assert "://" not in link.text and link.text.strip()
    # The running header and "Page N of M" are pagination artifacts, on every page.
    for number in range(tree.pages):
        assert f"Page {number + 1} of {tree.pages}" in tree.artifact_text[number]
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([PDFUA, "check", path], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _stored(field) -> str | bytes:
    with default_storage.open(field.name) as stored:
        return stored.read()


def _published(publication) -> tuple[bytes, str]:
    return _stored(publication.pdf_file), _stored(publication.html_file).decode()


# --- statements ---


@pytest.fixture
def statement_003(db):
    return make_statement_003()


@pytest.fixture
def published_003(statement_003, publisher):
    with time_machine.travel(ON_TIME, tick=False):
        return publish_statement(response=statement_003, by=publisher)


def test_a_police_statement_reads_right(published_003, tmp_path):
    pdf, html = _published(published_003)
    assert_reads_right(pdf, html, h1=published_003.title, tmp_path=tmp_path)
    tree = structure(pdf)
    assert tree.pages >= 2
    assert [kid.role for kid in tree.document.kids] == ["Art"]
    office = "Cumbria Office of the Police, Fire and Crime Commissioner"
    assert all(office in text for text in tree.artifact_text.values())
    # The facts keep each term with its value: a row of a header cell and a data cell.
    [facts, *_] = tree.document.all("Table")
    assert [cell.role for cell in facts.all("TR")[0].kids] == ["TH", "TD"]
    assert facts.all("TH")[0].attributes["/Scope"] == "/Row"
    [link] = tree.document.all("Link")
    assert link.annotations == ["Read the report on the HMICFRS website"]


def test_a_fire_statement_reads_right(db, tmp_path):
    inspection = make_inspection(
        title="Fire and rescue inspection 2025", service=Service.FIRE, inspection_type="fire"
    )
    response = make_response(inspection, commissioner_comments="The service has a plan.")
    make_finding(inspection, kind=FindingKind.AFI, reference="AFI 1", text="Improve training.")
    html = render_statement_html(response, draft=False)
    assert_reads_right(
        render_statement_pdf(html), html, h1="Fire and rescue inspection 2025", tmp_path=tmp_path
    )


def test_a_draft_preview_reads_right_with_its_draft_marks_as_artifacts(statement_003, tmp_path):
    html = render_statement_html(statement_003, draft=True)
    pdf = render_statement_pdf(html)
    assert_reads_right(pdf, html, h1=statement_003.inspection.title, tmp_path=tmp_path)
    assert all("DRAFT" in text for text in structure(pdf).artifact_text.values())


def test_an_imported_statement_reads_right(db, tmp_path):
    publication = import_statement_file(
        REFERENCE_STATEMENTS_DIR / "003_ef88c498391f3a02.txt"
    ).response.publications.get()
    pdf, html = _published(publication)
    assert_reads_right(pdf, html, h1=publication.title, tmp_path=tmp_path)


def test_an_amended_statement_reads_right_as_version_2(
    published_003, drafter, reviewer, publisher, tmp_path
):
    response = published_003.response
    response = redraft(
        response,
        drafter,
        response.commissioner_comments + "\n\nThe Executive Board met on 3 July 2025.",
    )
    workflow.submit(response=response, actor=drafter)
    workflow.approve(response=response, actor=reviewer)
    with time_machine.travel(ON_TIME + datetime.timedelta(days=20), tick=False):
        second = publish_statement(
            response=response, by=publisher, amendment_note="Added the Executive Board's date."
        )
    assert second.version == 2
    pdf, html = _published(second)
    assert_reads_right(pdf, html, h1=second.title, tmp_path=tmp_path)
    assert "Added the Executive Board's date." in structure(pdf).document.text


def test_a_long_statement_reads_as_one_flow_across_its_pages(db, tmp_path):
    inspection = make_inspection(title="PEEL 2025–27: police effectiveness and efficiency")
    paragraph = (
        "The force has made progress, and the commissioner will hold the chief constable to "
        "account for the rest of the work through the Executive Board, each quarter. "
    ) * 6
    response = make_response(
        inspection, commissioner_comments="\n\n".join([paragraph] * 8), status="approved"
    )
    for number in range(1, 13):
        finding = make_finding(
            inspection,
            reference=f"Recommendation {number}",
            text=paragraph,
            due_date=datetime.date(2026, 3, 31),
            due_precision=DuePrecision.DAY,
        )
        response.answers.create(finding=finding, text=f"<p>{paragraph}</p><ul><li>One</li></ul>")
    html = render_statement_html(response, draft=False)
    pdf = render_statement_pdf(html)
    assert_reads_right(pdf, html, h1=inspection.title, tmp_path=tmp_path)
    tree = structure(pdf)
    assert tree.pages >= 6
    assert [kid.role for kid in tree.document.kids] == ["Art"]
    # The test means something only if paragraphs and sections do cross page breaks.
    across = [
        element.role
        for element in tree.document.walk()
        if len({page for e in element.walk() for page, _ in e.content}) > 1
    ]
    assert "P" in across and "Sect" in across


# --- action plans ---


@pytest.fixture
def captured_html(monkeypatch):
    """The HTML each action plan view renders to PDF, kept for the checks."""
    documents = []

    def capture(module):
        real = module.html_to_pdf

        def html_to_pdf(html, **kwargs):
            documents.append(html)
            return real(html, **kwargs)

        monkeypatch.setattr(module, "html_to_pdf", html_to_pdf)

    capture(tracking_views)
    capture(inspection_public_views)
    return documents


def _tracked_findings(inspection, count, by):
    for number in range(1, count + 1):
        finding = make_finding(
            inspection,
            reference=f"Recommendation {number}",
            text="By 31 March 2026, the service should make sure that its prevention work "
            "reaches the people most at risk of fire in their homes. " * 2,
            due_date=datetime.date(2026, 3, 31),
            due_precision=DuePrecision.DAY,
            owner_team="Prevention team",
        )
        tracking.add_progress(
            finding=finding,
            text="The team met the partners and agreed a plan. " * 3,
            by=by,
            evidence=None,
        )


def test_an_inspections_action_plan_reads_right(client, reviewer, captured_html, tmp_path):
    inspection = make_inspection(title="Fire and rescue inspection 2025", service=Service.FIRE)
    _tracked_findings(inspection, 3, reviewer)
    client.force_login(reviewer)
    pdf = client.get(reverse("action-plan-inspection-pdf", args=[inspection.pk])).content
    assert_reads_right(
        pdf, captured_html[-1], h1="Action plan: Fire and rescue inspection 2025", tmp_path=tmp_path
    )


def test_the_action_plan_across_all_inspections_is_one_table_per_inspection_across_its_pages(
    client, reviewer, captured_html, tmp_path
):
    titles = ["Inspection 1", "Inspection 2", "Inspection 3"]
    for number, (title, findings) in enumerate(zip(titles, (2, 14, 2), strict=True)):
        inspection = make_inspection(
            title=title, published_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=number)
        )
        _tracked_findings(inspection, findings, reviewer)
    client.force_login(reviewer)
    pdf = client.get(reverse("action-plan-pdf")).content
    assert_reads_right(
        pdf, captured_html[-1], h1="Action plan across all inspections", tmp_path=tmp_path
    )
    tree = structure(pdf)
    assert tree.pages >= 3
    # Each inspection's findings under its heading, newest report first: its title once.
    assert [heading.text for heading in tree.document.all("H2")] == titles[::-1]
    tables = tree.document.all("Table")
    assert [len(table.all("TR")) for table in tables] == [1 + 2, 1 + 14, 1 + 2]
    long = tables[1]
    assert len({page for e in long.walk() for page, _ in e.content}) >= 2
    assert len(long.all("THead")) == 1
    # The header row is repeated on the pages the long table crosses, as an artifact.
    header = "Finding Owner The force says Assured by the office HMICFRS"
    repeated = [text for text in tree.artifact_text.values() if header in text]
    assert repeated


def test_a_public_fire_action_plan_reads_right(client, reviewer, captured_html, tmp_path):
    inspection = make_inspection(title="Fire and rescue inspection 2025", service=Service.FIRE)
    _tracked_findings(inspection, 2, reviewer)
    tracking.publish_action_plan(inspection=inspection, on=datetime.date(2026, 1, 5))
    pdf = client.get(reverse("public-action-plan-pdf", args=[inspection.public_id])).content
    assert_reads_right(
        pdf, captured_html[-1], h1="Action plan: Fire and rescue inspection 2025", tmp_path=tmp_path
    )
