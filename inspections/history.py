"""Readable history: every version of a tracked row, who made it and why, and a word-level
diff of each field that changed against that row's previous version.

Works on django-simple-history rows of any model, so inspections, findings, responses and
their answers share one way of showing change.
"""

import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property
from itertools import zip_longest

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN = re.compile(r"\S+\s*|\s+")
KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}

# A word diff costs about (words before) x (words after): past these bounds a stretch of
# change is shown as removed and added whole, so that no text, however long, holds a worker.
PAIR_WORK = 250_000  # one changed paragraph (or run of paragraphs) against its new form
TOTAL_WORK = 2_000_000  # everything one diff may spend on word-level matching
LINE_WORK = 25_000_000  # lines before x lines after, past which lines are not matched
# Unchanged text longer than this between changes is cut to CONTEXT characters either side.
CONTEXT = 300
SKIP_OVER = 3 * CONTEXT
# Cuts end between words: drop the part-word after the last space, or before the first.
_SPACE_AT_END = re.compile(r"(?<=\s)\S+$")
_SPACE_AT_START = re.compile(r"^\S+(?=\s)")


def _marked(tag: str, label: str, words: str) -> str:
    # The hidden label says what the mark means to screen readers; strike-through and
    # underline (from the tags) say it without colour.
    return (
        f'<{tag} class="app-diff__{tag}"><span class="govuk-visually-hidden">[{label}: </span>'
        f'{escape(words)}<span class="govuk-visually-hidden">]</span></{tag}>'
    )


def _common_ends(old: list, new: list) -> tuple[int, int]:
    """How many items `old` and `new` share at their start, and then at their end."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, end


class _Differ:
    """Word diffs in time linear in the text's length, give or take the bounded word work.

    Texts are compared line by line (paragraphs and list items: few, and mostly distinct, so
    matching them is cheap); only lines that changed are split into words, their common
    start and end set aside, and the rest matched word by word within the work bounds.
    """

    def __init__(self):
        self.work = 0

    def opcodes(self, before: str, after: str):
        """(tag, old text, new text) runs, tag one of equal, delete, insert, replace."""
        old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
        start, end = _common_ends(old, new)
        yield "equal", "".join(old[:start]), "".join(new[:start])
        tail = "".join(new[len(new) - end :])
        old, new = old[start : len(old) - end], new[start : len(new) - end]
        if len(old) * len(new) > LINE_WORK:
            yield from self._changed(old, new)
        else:
            # autojunk (the default): a line found all through the text, such as a blank one
            # between paragraphs, anchors no match, which keeps this close to linear.
            for op, i1, i2, j1, j2 in SequenceMatcher(a=old, b=new).get_opcodes():
                if op == "equal":
                    yield op, "".join(old[i1:i2]), "".join(new[j1:j2])
                else:
                    yield from self._changed(old[i1:i2], new[j1:j2])
        yield "equal", tail, tail

    def _changed(self, old_lines: list[str], new_lines: list[str]):
        old, new = _TOKEN.findall("".join(old_lines)), _TOKEN.findall("".join(new_lines))
        start, end = _common_ends(old, new)
        middle_old, middle_new = old[start : len(old) - end], new[start : len(new) - end]
        if self._affordable(middle_old, middle_new):
            matcher = SequenceMatcher(a=middle_old, b=middle_new, autojunk=False)
            runs = [
                (op, "".join(middle_old[i1:i2]), "".join(middle_new[j1:j2]))
                for op, i1, i2, j1, j2 in matcher.get_opcodes()
            ]
        elif len(old_lines) > 1 or len(new_lines) > 1:
            # Edited in place, most likely: line against line, each within the bounds.
            for before, after in zip_longest(old_lines, new_lines):
                yield from self._changed([before] if before else [], [after] if after else [])
            return
        else:
            runs = [("replace", "".join(middle_old), "".join(middle_new))]
        yield "equal", "".join(old[:start]), "".join(new[:start])
        yield from runs
        tail = "".join(new[len(new) - end :])
        yield "equal", tail, tail

    def _affordable(self, old: list[str], new: list[str]) -> bool:
        cost = len(old) * len(new)
        if cost > PAIR_WORK or self.work + cost > TOTAL_WORK:
            return False
        self.work += cost
        return True


def _runs(before: str, after: str) -> list[tuple[str, str, str]]:
    """The diff's runs, empty ones dropped and neighbouring unchanged ones joined."""
    runs = []
    for op, a, b in _Differ().opcodes(before, after):
        if not (a or b):
            continue
        if op == "equal" and runs and runs[-1][0] == "equal":
            runs[-1] = ("equal", runs[-1][1] + a, runs[-1][2] + b)
        else:
            runs.append((op, a, b))
    return runs


def _unchanged(text: str, *, first: bool, last: bool) -> str:
    """Unchanged text, cut short in the middle when long: what is read is what changed."""
    if len(text) <= SKIP_OVER or (first and last):
        return escape(text)
    head = "" if first else _SPACE_AT_END.sub("", text[:CONTEXT], count=1)
    tail = "" if last else _SPACE_AT_START.sub("", text[-CONTEXT:], count=1)
    skipped = len(text[len(head) : len(text) - len(tail)].split())
    words = "1 unchanged word" if skipped == 1 else f"{skipped:,} unchanged words"
    return f'{escape(head)}<span class="app-diff__skipped">[… {words} …]</span>{escape(tail)}'


def word_diff(before: str, after: str) -> SafeString:
    """`after` with the words removed since `before` in <del> and the words added in <ins>;
    long unchanged stretches between changes are shortened to their ends."""
    runs = _runs(before or "", after or "")
    parts = []
    for index, (op, a, b) in enumerate(runs):
        if op == "equal":
            parts.append(_unchanged(a, first=index == 0, last=index == len(runs) - 1))
            continue
        if a:
            parts.append(_marked("del", "removed", a))
        if b:
            parts.append(_marked("ins", "added", b))
    return mark_safe("".join(parts))


@dataclass
class Change:
    label: str
    before: str
    after: str

    @cached_property
    def diff(self) -> SafeString:
        return word_diff(self.before, self.after)


@dataclass
class Version:
    record: object
    subject: str
    number: int
    when: datetime.datetime
    who: object
    reason: str
    kind: str
    changes: list[Change] = field(default_factory=list)


def _display(record, name: str) -> str:
    model_field = record.instance_type._meta.get_field(name)
    return display_value(model_field, getattr(record, model_field.attname))


def display_value(model_field, value) -> str:
    """`value` of `model_field` in words: choices by their labels, dates written out."""
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)


def _label(record, name: str) -> str:
    label = str(record.instance_type._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def versions(
    records: Iterable,
    fields: Sequence[str],
    subject: Callable[[object], str],
) -> list[Version]:
    """Every version in `records` (history rows of one or more objects), newest first.

    Each version lists the `fields` that differ from the same object's previous version
    (all non-empty ones for a creation). `subject` names the object a row belongs to.
    """
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous: dict[int, object] = {}
    ordinals: dict[int, int] = {}
    result = []
    for record in ordered:
        before = previous.get(record.id)
        ordinals[record.id] = ordinals.get(record.id, 0) + 1
        changes = []
        for name in fields:
            new = _display(record, name)
            old = _display(before, name) if before is not None else ""
            if new != old:
                changes.append(Change(_label(record, name), old, new))
        result.append(
            Version(
                record=record,
                subject=subject(record),
                number=getattr(record, "version", ordinals[record.id]),
                when=record.history_date,
                who=record.history_user,
                reason=record.history_change_reason or "",
                kind=KINDS.get(record.history_type, ""),
                changes=changes,
            )
        )
        previous[record.id] = record
    result.reverse()
    return result
