"""The published statement: one template, rendered as an HTML document and as a PDF/UA-1 file.

The HTML document is what a publication stores; the public page shows the statement part of
it (between the `<!-- statement -->` markers) and the PDF is made from the same document, so
the web page and the PDF can never say different things.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from inspections import deadlines, services
from inspections.models import DuePrecision, Finding, FindingKind, OfficeSettings
from inspections.pdf import html_to_pdf

STATEMENT_CSS = Path(__file__).with_name("statement_print.css")
STATEMENT_START = "<!-- statement -->"
STATEMENT_END = "<!-- /statement -->"

# In the order a reader meets them in an HMICFRS report: the most serious first.
FINDING_GROUPS = [
    (FindingKind.CONCERN, "Causes of Concern", "causes-of-concern"),
    (FindingKind.RECOMMENDATION, "Recommendations", "recommendations"),
    (FindingKind.AFI, "Areas for Improvement", "areas-for-improvement"),
]


@dataclass(frozen=True)
class Amendment:
    version: int
    published_on: datetime.date | None
    note: str


def due_text(finding: Finding) -> str:
    """A finding's timing in words, as a reader of the statement needs it."""
    date = finding.due_date
    match finding.due_precision:
        case DuePrecision.DAY:
            return f"By {date:%-d %B %Y}"
        case DuePrecision.MONTH:
            return f"By {date:%B %Y}"
        case DuePrecision.RELATIVE:
            phrase = finding.due_phrase[:1].upper() + finding.due_phrase[1:]
            return f"{phrase} (by {date:%-d %B %Y})" if phrase else f"By {date:%-d %B %Y}"
        case DuePrecision.IMMEDIATE:
            return finding.due_phrase or "Immediately"
    return finding.due_phrase


def _finding_groups(response) -> list[dict]:
    answers = {answer.finding_id: answer.text for answer in response.answers.all()}
    findings = list(response.inspection.findings.all())
    groups = []
    for kind, heading, anchor in FINDING_GROUPS:
        items = [
            {"finding": f, "due": due_text(f), "answer": answers.get(f.pk, "")}
            for f in findings
            if f.kind == kind
        ]
        if items:
            groups.append({"heading": heading, "anchor": anchor, "items": items})
    return groups


def _amendments(response, publication) -> list[Amendment]:
    if publication is None:
        return []
    earlier = response.publications.filter(version__lt=publication.version).order_by("version")
    notes = [Amendment(p.version, p.published_on, p.amendment_note) for p in earlier]
    notes.append(
        Amendment(publication.version, publication.published_on, publication.amendment_note)
    )
    return [note for note in notes if note.note]


def statement_context(response, *, draft: bool, publication=None) -> dict:
    """Everything the statement template shows, for a draft preview or a publication."""
    office = OfficeSettings.load()
    inspection = response.inspection
    rules = services.of(inspection)
    deadline = inspection.deadline(office)
    published_on = publication.published_on if publication else None
    days_taken = (
        deadlines.day_number(inspection.published_on, published_on) if published_on else None
    )
    organisation = rules.organisation(office)
    groups = _finding_groups(response)
    title_line = (
        f"{office.commissioner_title} response to inspections of {organisation} published by "
        "His Majesty’s Inspectorate of Constabulary and Fire and Rescue Services (HMICFRS)"
    )
    return {
        "office": office,
        "response": response,
        "inspection": inspection,
        "draft": draft,
        "title_line": title_line,
        "document_title": f"{'DRAFT: ' if draft else ''}Response to HMICFRS: {inspection.title}",
        "statutory_paragraph": (
            office.statutory_paragraph if rules.statutory_deadline else deadline.basis
        ),
        "force_name": organisation,
        "chief_title": rules.chief_title,
        "response_heading": rules.response_heading,
        "deadline": deadline,
        "published_on": published_on,
        # An imported statement whose date the office did not record: say so, invent nothing.
        "date_not_recorded": publication is not None and published_on is None,
        "days_taken": days_taken,
        "version": publication.version if publication else None,
        "late": bool(publication and publication.late),
        "days_late": publication.days_late if publication else None,
        "late_reason": publication.late_reason if publication else "",
        "amendments": _amendments(response, publication),
        "finding_groups": groups,
        # A statement from before the tracker answered its findings in its general text:
        # say so once rather than "no separate response" under every finding.
        "answered_together": response.imported
        and not any(item["answer"] for group in groups for item in group["items"]),
    }


def render_statement_html(response, *, draft: bool, publication=None) -> str:
    """The statement as a complete HTML document (what a publication stores)."""
    context = statement_context(response, draft=draft, publication=publication)
    return render_to_string("statements/document.html", context)


def statement_body(document: str) -> SafeString:
    """The statement part of a stored HTML document, to show inside a site page."""
    start = document.index(STATEMENT_START)
    end = document.index(STATEMENT_END) + len(STATEMENT_END)
    # The document was made by our template from sanitised rich text, so it is safe.
    return mark_safe(document[start:end])


def render_statement_pdf(html: str) -> bytes:
    """The statement document as a tagged PDF/UA-1 file with its fonts embedded."""
    return html_to_pdf(html, stylesheets=(STATEMENT_CSS.read_text(),))
