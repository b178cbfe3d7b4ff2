"""Reads HMICFRS findings (recommendations, AFIs, causes of concern) out of pasted text.

Text arrives from report PDFs, web pages and the office's old tool, so it may hold HTML,
entities, curly quotes, page numbers and running headers. Parsing is best effort and never
raises: a finding the rules cannot read still comes back, with no date.
"""

import datetime
import html
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from dateutil import parser as dateparser

from inspections import deadlines
from inspections.models import DuePrecision, FindingKind
from inspections.richtext import html_to_text, is_markup

# Lines are tidied to single spaces before matching, so ASCII classes are enough and
# exotic digits never reach int() or dateutil.
_FLAGS = re.IGNORECASE | re.ASCII
_SEPARATOR = r"\s*[:.\-\u2013\u2014]\s*"

_LIST_ITEM_TAG = re.compile(r"<li\b[^<>]*>", _FLAGS)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|tr|td|th|table|h[1-6]|blockquote|section|dd|dt)\b[^<>]*>", _FLAGS
)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_QUOTES = str.maketrans("\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u201f", "'''''\"\"\"\"")

_PAGE_MARK = re.compile(
    r"(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-\u2013]\s*\d{1,4}\s*[-\u2013]", _FLAGS
)
_RUNNING_HEADER = re.compile(
    r"hmicfrs|official(?:\s*[-\u2013]?\s*sensitive)?"
    r"|his majesty's inspectorate of constabulary and fire (?:&|and) rescue services",
    _FLAGS,
)

# Plural headings name the kind of the unlabelled findings below them.
_HEADING = re.compile(
    r"(?:(?P<recommendation>recommendations)"
    r"|(?P<afi>areas\s+(?:for|of)\s+improvement|afis|actions\s+for\s+further\s+improvement)"
    r"|(?P<concern>causes\s+(?:of|for)\s+concern))"
    r"(?:\s*\(afis?\))?\s*(?::\s*(?P<rest>.*)|$)",
    _FLAGS,
)
_LABEL = re.compile(
    r"(?P<reference>"
    r"(?:(?P<recommendation>rec(?:ommendation)?\.?)"
    r"|(?P<afi>afi|area\s+for\s+improvement|action\s+for\s+further\s+improvement)"
    r"|(?P<concern>cause\s+(?:of|for)\s+concern))"
    r"(?:\s*\(afi\))?"
    r"(?:\s+level\s+(?P<level>\d{1,2}))?"
    r"(?:\s*(?P<number>\d{1,3}(?:\.\d{1,3})*))?"
    r"(?:\s*\#\s*(?P<hash>\d{1,9})|\s*\((?P<register>\d{3,9})\))?"
    r")"
    rf"(?P<separator>{_SEPARATOR}|\s+|$)",
    _FLAGS,
)
_REGISTER_LABEL = re.compile(
    rf"(?P<reference>\((?P<register>\d{{3,9}})\)|\#\s*(?P<hash>\d{{3,9}}))(?:{_SEPARATOR}|\s+|$)",
    _FLAGS,
)
# "1.5 million" must not read as a label, so "2.1" without a closing dot needs a capital after it.
_NUMBERED_LABEL = re.compile(
    r"(?P<number>\d{1,3}(?:\.\d{1,3})*)[.)](?:\s+|$)|(?P<multilevel>\d{1,3}(?:\.\d{1,3})+)\s+(?=[A-Z])",
    re.ASCII,
)
_BULLET = re.compile(
    r"(?:[\u2022\u25e6\u25aa\u2023\u25cf\u25cb\u25a0\u00b7*]|[-\u2013\u2014](?=\s))\s*"
)

_MODAL = re.compile(r"\b(?:should|must)\b", _FLAGS)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_PARAGRAPH_END = re.compile(r"[.!?][\"')\]]*$")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY_DATE = (
    rf"\d{{1,2}}{_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}{_ORDINAL},?\s+\d{{4}}"
    r"|\d{1,2}/\d{1,2}/\d{4}"
)
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "eighteen": 18, "twenty-four": 24,
}  # fmt: skip
_TIMING = re.compile(
    r"(?P<asap>as\s+soon\s+as\s+(?:is\s+)?(?:reasonably\s+)?(?:possible|practicable))"
    r"|(?P<immediate>immediately|with\s+immediate\s+effect)"
    rf"|within\s+(?:the\s+next\s+)?(?P<count>\d{{1,3}}|{'|'.join(_NUMBER_WORDS)})"
    r"\s+(?P<unit>day|week|month|year)s?\b"
    r"|(?:by|not\s+later\s+than|no\s+later\s+than|on\s+or\s+before)\s+"
    rf"(?:(?:the\s+end\s+of\s+)?(?:(?P<day>{_DAY_DATE})|(?P<month>{_MONTH},?\s+\d{{4}}))"
    r"|the\s+end\s+of\s+(?P<year>\d{4}))\b",
    _FLAGS,
)
# A date that closes the main sentence is its timing ("... should do this by 31 October 2023."),
# unless it is the date of something else ("... in line with guidance due by April 2014.").
_OTHER_EVENT = re.compile(r"\b(?:due|published|issued|expected|released|made)\s*$", _FLAGS)
_CLOSES_SENTENCE = re.compile(r"\W*")
# Clauses before "should" that are not the party acting: "chief constables, working with ...".
_NOT_ADDRESSEE = re.compile(
    r"(?:working|together|with|in|where|when|if|as|following|after|having|subject|once|until"
    r"|including|to|for|and)\b",
    _FLAGS,
)
_MAX_ADDRESSEE_WORDS = 12


@dataclass(frozen=True)
class ParsedFinding:
    kind: str
    reference: str
    hmicfrs_number: int | None
    level: int | None
    addressee: str
    due_date: datetime.date | None
    due_precision: str
    due_phrase: str
    text: str

    def to_json_dict(self) -> dict:
        data = asdict(self)
        data["due_date"] = self.due_date.isoformat() if self.due_date else None
        return data


class _Timing(NamedTuple):
    due_date: datetime.date | None
    precision: str
    phrase: str


_NO_TIMING = _Timing(None, DuePrecision.NONE.value, "")


class _Label(NamedTuple):
    kind: str | None
    reference: str
    hmicfrs_number: int | None = None
    level: int | None = None


@dataclass
class _Draft:
    kind: str
    label: _Label | None = None
    bullet: bool = False
    # The unlabelled "Within three months, the force should:" that introduces a bullet.
    lead_in: str = ""
    has_points: bool = False
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.parts)

    @property
    def is_lead_in(self) -> bool:
        return not self.label and not self.bullet and self.text.endswith(":")


def parse_findings(
    text: str,
    published_on: datetime.date | None,
    default_kind: str = FindingKind.RECOMMENDATION,
) -> list[ParsedFinding]:
    """Splits `text` into findings; relative timings count from `published_on`.

    Unlabelled findings take their kind from the last heading ("Areas for improvement"),
    else from `default_kind` (a FindingKind value: anything else raises ValueError).
    """
    context = FindingKind(default_kind).value
    drafts: list[_Draft] = []
    after_blank = False
    for line in _lines(text or ""):
        if not line:
            after_blank = True
            continue
        if heading := _HEADING.fullmatch(line):
            context = next(kind for kind in FindingKind.values if heading[kind])
            line = heading["rest"] or ""
            drafts.append(_Draft(context))  # ends the finding above the heading
            if not line:
                continue
        _add_line(drafts, line, context, after_blank)
        after_blank = False
    return [_finish(draft, published_on) for draft in drafts if draft.text and not draft.is_lead_in]


def _add_line(drafts: list[_Draft], line: str, context: str, after_blank: bool) -> None:
    current = drafts[-1] if drafts else None
    bullet = _BULLET.match(line)
    if bullet:
        line = line[bullet.end() :]
    label, line = _read_label(line)
    # A label or bullet alone on its line takes the lines that follow as its text.
    parts = [line] if line else []
    if label:
        drafts.append(_Draft(label.kind or context, label=label, parts=parts))
    elif current and bullet and _takes_sub_points(current):
        current.parts += parts
        current.has_points = True
    elif bullet:
        lead_in = ""
        if current:
            lead_in = current.text if current.is_lead_in else current.lead_in
        drafts.append(_Draft(context, bullet=True, lead_in=lead_in, parts=parts))
    elif current and not _starts_paragraph(current, line, after_blank):
        current.parts.append(line)
    else:
        drafts.append(_Draft(context, parts=[line]))


def _takes_sub_points(draft: _Draft) -> bool:
    """A labelled finding or bullet ending "should:" owns the bullets that follow it."""
    return bool(draft.label or draft.bullet) and (draft.has_points or draft.text.endswith(":"))


def _starts_paragraph(current: _Draft, line: str, after_blank: bool) -> bool:
    """Unlabelled text after a finished sentence and a blank line is a new finding.

    Without the blank line it is the finding's text wrapped onto another line.
    """
    return (
        after_blank
        and bool(current.parts)
        and bool(_PARAGRAPH_END.search(current.text))
        and line[:1].isupper()
    )


def _read_label(line: str) -> tuple[_Label | None, str]:
    """Returns the label at the start of `line`, if any, and the text after it."""
    if match := _LABEL.match(line):
        identified = match["number"] or match["level"] or match["hash"] or match["register"]
        # "Recommendation to ..." is prose; a label without a number needs a separator.
        if identified or match["separator"].strip() or match.end() == len(line):
            kind = next(kind for kind in FindingKind.values if match[kind])
            label = _Label(
                kind,
                _one_line(match["reference"]),
                _int(match["hash"] or match["register"]),
                _int(match["level"]),
            )
            return label, line[match.end() :]
    if match := _REGISTER_LABEL.match(line):
        number = _int(match["hash"] or match["register"])
        return _Label(None, _one_line(match["reference"]), number), line[match.end() :]
    if match := _NUMBERED_LABEL.match(line):
        return _Label(None, match["number"] or match["multilevel"]), line[match.end() :]
    return None, line


def _int(digits: str | None) -> int | None:
    return int(digits) if digits else None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _lines(text: str) -> list[str]:
    """The text's lines without markup, entities or page furniture; blank lines kept."""
    # Pasted text can hold lone surrogates, which the HTML sanitiser cannot encode.
    text = text.encode("utf-8", "replace").decode("utf-8")
    # Text copied from a PDF is words, `<` and all; only pasted HTML loses its tags.
    markup = is_markup(text)
    # Unescape first so escaped tags (&lt;p&gt;) also mark line breaks.
    text = html.unescape(text)
    if markup:
        text = _LIST_ITEM_TAG.sub("\n\u2022 ", text)
        text = _BLOCK_TAG.sub("\n", text)
    text = text.translate(_INVISIBLE).translate(_QUOTES)
    lines = [html_to_text(line) if markup else line for line in text.splitlines()]
    return _drop_page_furniture([_one_line(line) for line in lines])


def _drop_page_furniture(lines: list[str]) -> list[str]:
    """Drops page numbers, running headers, and lines repeated beside page numbers.

    A repeated line counts as furniture only next to a page number: wrapped text can
    repeat too (two recommendations to "relevant personnel in all Home Office police forces").
    """
    page_marks = [i for i, line in enumerate(lines) if _PAGE_MARK.fullmatch(line)]
    beside_page_mark = {j for i in page_marks for j in range(i - 2, i + 3)}
    counts = Counter(lines)

    def is_furniture(i: int, line: str) -> bool:
        if _PAGE_MARK.fullmatch(line) or _RUNNING_HEADER.fullmatch(line):
            return True
        return bool(line) and i in beside_page_mark and counts[line] > 1

    return [line for i, line in enumerate(lines) if not is_furniture(i, line)]


def _finish(draft: _Draft, published_on: datetime.date | None) -> ParsedFinding:
    text = draft.text
    if draft.lead_in:
        text = f"{draft.lead_in.removesuffix(':').rstrip()} {text}"
    text = _one_line(text)
    label = draft.label or _Label(None, "")
    timing = _timing(text, published_on)
    return ParsedFinding(
        kind=draft.kind,
        reference=label.reference,
        hmicfrs_number=label.hmicfrs_number,
        level=label.level,
        addressee=_addressee(text),
        due_date=timing.due_date,
        due_precision=timing.precision,
        due_phrase=timing.phrase,
        text=text,
    )


class _Clause(NamedTuple):
    sentence: str
    before: str  # the words before "should": the addressee, maybe with a timing clause
    after: str


def _main_clause(text: str) -> _Clause | None:
    """The first sentence that says who "should" act, split around that word."""
    for sentence in _SENTENCE_END.split(text):
        if modal := _MODAL.search(sentence):
            return _Clause(sentence, sentence[: modal.start()], sentence[modal.end() :])
    return None


def _timing(text: str, published_on: datetime.date | None) -> _Timing:
    """The timing that governs the finding; a date elsewhere in its body is not its due date.

    Governing timings lead the text ("By 30 April 2026, chief constables should"), form a
    clause before "should", follow "should" directly ("should, within six months,") or close
    its sentence ("... by 31 October 2023." or "... with immediate effect.").
    """
    candidates = [text]
    clause = _main_clause(text)
    if clause:
        candidates += [part.strip() for part in clause.before.split(",")]
        candidates.append(clause.after.lstrip(" ,"))
    for candidate in candidates:
        if match := _TIMING.match(candidate):
            return _read_timing(match, published_on)
    sentence = clause.sentence if clause else _SENTENCE_END.split(text)[0]
    for match in _TIMING.finditer(sentence):
        closes = _CLOSES_SENTENCE.fullmatch(sentence, match.end())
        if closes and not _OTHER_EVENT.search(sentence, 0, match.start()):
            return _read_timing(match, published_on)
    return _NO_TIMING


def _read_timing(match: re.Match, published_on: datetime.date | None) -> _Timing:
    """Turns a matched timing into a date; a date that cannot exist gives no date."""
    found = match.groupdict()
    phrase = _one_line(match[0])
    try:
        if found.get("immediate"):
            return _Timing(published_on, DuePrecision.IMMEDIATE.value, phrase)
        if found.get("count"):
            if published_on is None:
                return _Timing(None, DuePrecision.RELATIVE.value, phrase)
            count = found["count"].lower()
            period = {f"{found['unit'].lower()}s": _NUMBER_WORDS.get(count) or int(count)}
            due = deadlines.after_period(published_on, **period)
            return _Timing(due, DuePrecision.RELATIVE.value, phrase)
        if found.get("day"):
            return _Timing(_parse_date(found["day"]), DuePrecision.DAY.value, phrase)
        if found.get("month"):
            month = _parse_date(found["month"])
            due = deadlines.month_end(month.year, month.month)
            return _Timing(due, DuePrecision.MONTH.value, phrase)
        if found.get("year"):
            due = deadlines.month_end(int(found["year"]), 12)
            return _Timing(due, DuePrecision.MONTH.value, phrase)
    except (ValueError, OverflowError):
        # "By 31 February 2026", a year 0, or a period running past the calendar's end.
        pass
    return _NO_TIMING._replace(phrase=phrase)


def _parse_date(text: str) -> datetime.date:
    # The default fills in the day of a month-only date; it is never today's date.
    default = datetime.datetime(2000, 1, 1)
    return dateparser.parse(text, dayfirst=True, default=default).date()


def _addressee(text: str) -> str:
    """The party that "should" act, without timing or "working with ..." clauses."""
    clause = _main_clause(text)
    if not clause:
        return ""
    for part in clause.before.split(","):
        part = part.strip()
        if not part or _TIMING.match(part) or _NOT_ADDRESSEE.match(part):
            continue
        return part if len(part.split()) <= _MAX_ADDRESSEE_WORDS else ""
    return ""
