"""Imports the office's earlier published statements: the inspection, its findings, the response.

A statement is a text file in the office's published layout (see data/statements/): a
preamble (office name, an optional "HMICFRS Responses" line, the standard paragraphs), then
labelled fields. A label ends with a colon, a tab or the end of its line, and its value
follows on the same line after a tab or on the lines below:

    Inspection Title:   [#29536 – ]An inspection of ...
    Date Published:     10/11/2023
    Type of Inspection: National Thematic
    Key Findings        (text, sometimes HTML from the old tool)
    Areas for Improvement: / Recommendations: / Causes of Concern:  (the findings)
    PFCC & Constabulary Response to Report and Recommendation:  (the rest of the file)

The imported response is published as it was: the statement is rendered from the imported
records and recorded as its first published version (responses.publishing), in the same
transaction, so the public site shows the office's back catalogue beside what the tracker
publishes.

Importing is idempotent: a statement whose inspection (same HMICFRS number, or same title
and publication date) already has an imported response changes nothing, except to record the
published version of a response imported before versions were recorded.
"""

import dataclasses
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from inspections.intake import add_findings
from inspections.models import FindingKind, Inspection, InspectionType, OfficeSettings, Service
from inspections.parsing import ParsedFinding, parse_findings
from inspections.richtext import normalise, strip_markup
from responses.models import Response, Status
from responses.publishing import PublishError, record_imported_statement

# The office's two published statements: test fixtures and the demo data.
REFERENCE_STATEMENTS_DIR = Path(settings.BASE_DIR) / "data" / "statements"

TITLE, DATE, TYPE, KEY_FINDINGS, RESPONSE = (
    "Inspection Title",
    "Date Published",
    "Type of Inspection",
    "Key Findings",
    "PFCC & Constabulary Response to Report and Recommendation",
)
REQUIRED_FIELDS = (TITLE, DATE, TYPE, RESPONSE)

# Findings headings and the kind of the findings under them.
_FINDINGS_HEADINGS = {
    r"areas?\s+(?:for|of)\s+improvement": FindingKind.AFI,
    r"recommendations?": FindingKind.RECOMMENDATION,
    r"causes?\s+(?:of|for)\s+concern": FindingKind.CONCERN,
}
_FIELD_LABELS = {
    r"inspection\s+title": TITLE,
    r"date\s+published": DATE,
    r"type\s+of\s+inspection": TYPE,
    r"key\s+findings": KEY_FINDINGS,
    r"pfcc\s*&\s*constabulary\s+response\s+to\s+report\s+and\s+recommendations?": RESPONSE,
}
_LABEL = re.compile(
    r"^[ \t]*(?P<label>"
    + "|".join(f"(?:{pattern})" for pattern in [*_FIELD_LABELS, *_FINDINGS_HEADINGS])
    + r")[ \t]*(?::|\t|$)[ \t]*(?P<rest>.*)$",
    re.IGNORECASE,
)
_NUMBERED_TITLE = re.compile(r"^#\s*(?P<number>\d{1,9})\s*[–—-]\s*(?P<title>.+)$")
_DATE = re.compile(r"^(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})$")
_NOT_INSPECTED = re.compile(
    r"\b(?:police|constabulary|force|service)\b[^.]{0,40}?\b(?:was|were|has|have)\s+not\s+"
    r"(?:been\s+)?inspected\b",
    re.IGNORECASE,
)
# Within an old-tool list flattened onto one line, items begin after ";" or "; and".
_FLATTENED_ITEM = re.compile(r"(;(?:\s+and)?)\s+-\s+")
# The commissioner introducing the chief constable's words: "From discussions with Chief
# Constable Rob Carden, he has stated the following:". The quote follows the colon.
_QUOTE_INTRO = re.compile(
    r"^(?P<intro>(?:from\s+discussions\s+with\s+(?:the\s+)?chief\s+constable\b"
    r"|[^:]*\b(?:has|have)\s+(?:stated|said)\s+the\s+following\b)[^:]*:)\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_CHIEF_CONSTABLE = re.compile(r"\bchief\s+constable\b", re.IGNORECASE)
# The force speaking for itself, with no introduction: "The Constabulary welcome this report".
_FORCE_VOICE = re.compile(r"^the\s+(?:constabulary|force)\s+welcomes?\b", re.IGNORECASE)


class StatementError(ValueError):
    """The file is not a statement the importer can read; the message says what is wrong."""


@dataclass(frozen=True)
class StatementDraft:
    """Everything a statement says, read and checked, before anything is stored."""

    source: str
    office_name: str
    title: str
    hmicfrs_number: int | None
    published_on: datetime.date
    inspection_type: str
    service: str
    force_inspected: bool
    key_findings: str
    findings: tuple[ParsedFinding, ...]
    # The whole response as published, and the same words split between the commissioner's
    # own comments and the chief constable's that the statement quotes.
    response_text: str
    commissioner_comments: str
    chief_constable_comments: str
    # Statements do not say when they were published; the person importing may know.
    response_published_on: datetime.date | None = None


# What an import did (or, in a dry run, would do).
CREATED = "created"
ALREADY_IMPORTED = "already imported"
COMPLETED = "added to existing inspection"
RECORDED = "published version recorded"


@dataclass
class ImportResult:
    draft: StatementDraft
    outcome: str  # CREATED, ALREADY_IMPORTED, COMPLETED or RECORDED
    dry_run: bool
    inspection: Inspection | None = None
    response: Response | None = None
    findings_added: int = 0
    findings_existing: int = 0
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """The records the import makes (or would make), as plain JSON values."""
        draft = self.draft
        deadline = Inspection(service=draft.service, published_on=draft.published_on).deadline(
            _office_settings()
        )
        return {
            "source": draft.source,
            "outcome": self.outcome,
            "dry_run": self.dry_run,
            "inspection": {
                "id": self.inspection.pk if self.inspection else None,
                "title": draft.title,
                "hmicfrs_number": draft.hmicfrs_number,
                "published_on": draft.published_on.isoformat(),
                "inspection_type": draft.inspection_type,
                "service": draft.service,
                "force_inspected": draft.force_inspected,
                "key_findings": draft.key_findings,
                "statutory_deadline": _iso(deadline.last_day) if deadline.statutory else None,
                "deadline": {
                    "last_day": _iso(deadline.last_day),
                    "label": deadline.label,
                    "basis": deadline.basis,
                },
            },
            "findings": [finding.to_json_dict() for finding in draft.findings],
            "response": {
                "status": Status.PUBLISHED.value,
                "imported": True,
                "published_on": _iso(draft.response_published_on),
                "commissioner_comments": draft.commissioner_comments,
                "chief_constable_comments": draft.chief_constable_comments,
            },
            "notes": self.notes,
        }


def import_statement_file(
    path: str | Path,
    *,
    dry_run: bool = False,
    response_published_on: datetime.date | None = None,
) -> ImportResult:
    """Imports the statement in the file at `path`; see import_statement()."""
    path = Path(path)
    return import_statement(
        _read(path),
        source=path.name,
        dry_run=dry_run,
        response_published_on=response_published_on,
    )


def import_statement(
    text: str,
    *,
    source: str,
    dry_run: bool = False,
    response_published_on: datetime.date | None = None,
) -> ImportResult:
    """Creates the inspection, its findings and its published response from a statement.

    Raises StatementError, having stored nothing, when `text` is not a statement. With
    `dry_run` nothing is written; the result still says what would happen. The response's
    publication date stays unknown unless `response_published_on` gives it.
    """
    draft = read_statement(text, source=source)
    if response_published_on is not None:
        if response_published_on < draft.published_on:
            raise StatementError(
                f"The response to {draft.title!r} cannot be published before the report "
                f"({draft.published_on:%d/%m/%Y})"
            )
        draft = dataclasses.replace(draft, response_published_on=response_published_on)
    if dry_run:
        existing = _find_existing(draft)
        return ImportResult(draft, _outcome_for(existing), dry_run=True, inspection=existing)
    return _store(draft)


def read_statement(text: str, *, source: str) -> StatementDraft:
    """Reads and checks a statement's fields; raises StatementError naming what is missing."""
    preamble, fields, findings_sections = _split(text)
    missing = [name for name in REQUIRED_FIELDS if not fields.get(name, "").strip()]
    if missing:
        raise StatementError(f"Not a statement: no {_names(missing)} found in {source}")

    title_line = strip_markup(fields[TITLE])
    hmicfrs_number = None
    if numbered := _NUMBERED_TITLE.match(title_line):
        hmicfrs_number, title_line = int(numbered["number"]), numbered["title"].strip()
    published_on = _read_date(fields[DATE], source)
    inspection_type = _read_type(fields[TYPE], source)
    response_text = _paragraphs(fields[RESPONSE])
    commissioner_comments, chief_constable_comments = split_chief_constable_comments(response_text)
    findings = tuple(
        finding
        for kind, section in findings_sections
        for finding in parse_findings(section, published_on, default_kind=kind)
    )
    return StatementDraft(
        source=source,
        office_name=next((line for line in preamble if line), ""),
        title=title_line,
        hmicfrs_number=hmicfrs_number,
        published_on=published_on,
        inspection_type=inspection_type,
        service=Service.FIRE if inspection_type == InspectionType.FIRE else Service.POLICE,
        force_inspected=not _NOT_INSPECTED.search(response_text),
        key_findings=_paragraphs(fields.get(KEY_FINDINGS, "")),
        findings=findings,
        response_text=response_text,
        commissioner_comments=commissioner_comments,
        chief_constable_comments=chief_constable_comments,
    )


def _split(text: str) -> tuple[list[str], dict[str, str], list[tuple[str, str]]]:
    """The preamble's lines, each field's text, and each findings section with its kind."""
    preamble: list[str] = []
    fields: dict[str, list[str]] = {}
    sections: list[tuple[str, list[str]]] = []
    current: list[str] = preamble
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        # Everything after the response label is the response, whatever words it uses.
        match = None if RESPONSE in fields else _LABEL.match(line)
        if not match:
            current.append(line.strip() if current is preamble else line)
            continue
        label = " ".join(match["label"].split())
        if kind := _heading_kind(label):
            sections.append((kind, []))
            current = sections[-1][1]
        else:
            name = next(
                name
                for pattern, name in _FIELD_LABELS.items()
                if re.fullmatch(pattern, label, re.IGNORECASE)
            )
            current = fields.setdefault(name, [])
        if match["rest"].strip():
            current.append(match["rest"])
    return (
        preamble,
        {name: "\n".join(lines) for name, lines in fields.items()},
        [(kind, "\n".join(lines)) for kind, lines in sections],
    )


def split_chief_constable_comments(text: str) -> tuple[str, str]:
    """(the commissioner's words, the chief constable's quoted words) of a statement's response.

    The quote starts after the commissioner's introduction ("... he has stated the following:")
    or where the force starts speaking for itself ("The Constabulary welcome ...") and runs to
    the end, which is how the office's statements are laid out. Nothing is dropped: the two
    parts joined give back every word of `text`. With no quote, all of it is the commissioner's.
    """
    blocks = text.split("\n\n")
    for index, block in enumerate(blocks):
        intro = _QUOTE_INTRO.match(block)
        if intro and _CHIEF_CONSTABLE.search(intro["intro"]):
            quote = [intro["rest"]] if intro["rest"] else []
            quote += blocks[index + 1 :]
            if quote:
                return _joined([*blocks[:index], intro["intro"]]), _joined(quote)
        if _FORCE_VOICE.match(block):
            return _joined(blocks[:index]), _joined(blocks[index:])
    return text, ""


def _joined(blocks: list[str]) -> str:
    return "\n\n".join(blocks)


def _heading_kind(label: str) -> str | None:
    for pattern, kind in _FINDINGS_HEADINGS.items():
        if re.fullmatch(pattern, label, re.IGNORECASE):
            return kind
    return None


def _names(missing: list[str]) -> str:
    quoted = [f"'{name}'" for name in missing]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _read_date(value: str, source: str) -> datetime.date:
    value = strip_markup(value)
    match = _DATE.match(value)
    try:
        if not match:
            raise ValueError
        return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise StatementError(
            f"'{DATE}' in {source} is not a date in the form DD/MM/YYYY: {value!r}"
        ) from None


def _type_key(words: str) -> str:
    return " ".join(strip_markup(words).replace("-", " ").split()).casefold()


# The office's wordings of each type of inspection: each type's label, and a few more.
_INSPECTION_TYPES = {
    **{_type_key(choice.label): choice for choice in InspectionType},
    "national thematic inspection": InspectionType.NATIONAL_THEMATIC,
    "thematic": InspectionType.NATIONAL_THEMATIC,
    "joint inspection": InspectionType.JOINT_THEMATIC,
    "peel inspection": InspectionType.PEEL,
    "fire": InspectionType.FIRE,
    "fire and rescue": InspectionType.FIRE,
}


def _read_type(value: str, source: str) -> str:
    if (words := _type_key(value)) in _INSPECTION_TYPES:
        return _INSPECTION_TYPES[words].value
    known = ", ".join(choice.label for choice in InspectionType)
    raise StatementError(f"'{TYPE}' in {source} is {value.strip()!r}, not one of: {known}")


def _paragraphs(text: str) -> str:
    """Stored rich text from a field's lines: the office's layout puts one paragraph a line."""
    text = normalise(text)
    blocks: list[str] = []
    for line in (line.strip() for line in text.split("\n")):
        if not line:
            continue
        if line.startswith("- "):
            line = _FLATTENED_ITEM.sub(r"\1\n- ", line)
            # Items of one list stay together; a blank line would make it a "loose" list.
            if blocks and blocks[-1].startswith("- "):
                blocks[-1] += f"\n{line}"
                continue
        blocks.append(line)
    return "\n\n".join(blocks)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # The office's older exports are Windows-1252.
        return data.decode("cp1252", errors="replace")


def _find_existing(draft: StatementDraft) -> Inspection | None:
    same = Q(title__iexact=draft.title, published_on=draft.published_on)
    if draft.hmicfrs_number:
        same |= Q(hmicfrs_number=draft.hmicfrs_number)
    return Inspection.objects.filter(same).select_related("response").first()


def _outcome_for(existing: Inspection | None) -> str:
    if existing is None:
        return CREATED
    response = getattr(existing, "response", None)
    if response is None:
        return COMPLETED
    if response.imported:
        # A response imported before published versions were recorded still needs its own.
        return ALREADY_IMPORTED if response.publications.exists() else RECORDED
    raise StatementError(
        f"{existing} already has a response being prepared in the tracker: "
        "not importing a published statement over it"
    )


def _office_settings() -> OfficeSettings:
    # OfficeSettings.load() creates the row; a dry run must not write, so fall back to defaults.
    return OfficeSettings.objects.filter(pk=1).first() or OfficeSettings()


def _store(draft: StatementDraft) -> ImportResult:
    try:
        return _store_atomically(draft)
    except ValidationError as error:
        # Something read from the file does not fit a record (a title too long, say).
        raise StatementError(
            f"{draft.source} cannot be stored: {' '.join(error.messages)}"
        ) from error
    except PublishError as error:
        raise StatementError(f"{draft.source} was not imported: {error}") from error


@transaction.atomic
def _store_atomically(draft: StatementDraft) -> ImportResult:
    existing = _find_existing(draft)
    outcome = _outcome_for(existing)
    if outcome == ALREADY_IMPORTED:
        return ImportResult(
            draft, outcome, dry_run=False, inspection=existing, response=existing.response
        )
    if outcome == RECORDED:
        record_imported_statement(response=existing.response, source_name=draft.source)
        return ImportResult(
            draft, outcome, dry_run=False, inspection=existing, response=existing.response
        )
    reason = f"Imported from statement {draft.source}"
    inspection = existing or _create_inspection(draft, reason)
    added, already = add_findings(inspection, draft.findings, reason=reason)
    response = Response(
        inspection=inspection,
        status=Status.PUBLISHED,
        imported=True,
        published_on=draft.response_published_on,
        commissioner_comments=draft.commissioner_comments,
        chief_constable_comments=draft.chief_constable_comments,
    )
    response._change_reason = reason
    response.full_clean()
    response.save()
    # Last, so that files it stores are deleted again by its own failure, not left by a later one.
    record_imported_statement(response=response, source_name=draft.source)
    result = ImportResult(
        draft,
        outcome,
        dry_run=False,
        inspection=inspection,
        response=response,
        findings_added=len(added),
        findings_existing=len(already),
    )
    if existing:
        result.notes.append(
            "The inspection was already recorded; its details were left as they were."
        )
    return result


def _create_inspection(draft: StatementDraft, reason: str) -> Inspection:
    inspection = Inspection(
        title=draft.title,
        hmicfrs_number=draft.hmicfrs_number,
        published_on=draft.published_on,
        inspection_type=draft.inspection_type,
        service=draft.service,
        force_inspected=draft.force_inspected,
        key_findings=draft.key_findings,
    )
    inspection._change_reason = reason
    inspection.full_clean()
    inspection.save()
    return inspection
