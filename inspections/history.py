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


def _lines(tokens: list[str]) -> list[list[str]]:
    """`tokens` cut into lines (paragraphs, list items): each ends with a token holding "\n"."""
    lines, current = [], []
    for token in tokens:
        current.append(token)
        if "\n" in token:
            lines.append(current)
            current = []
    if current:
        lines.append(current)
    return lines


class _Differ:
    """Word diffs in time linear in the text's length, give or take the bounded word work:
    the common start and end are set aside, the rest is matched line by line (lines are few
    and mostly distinct, so that is cheap), and only changed lines are matched word by word."""

    def __init__(self):
        self.work = 0

    def opcodes(self, old: list[str], new: list[str]):
        """(tag, old tokens, new tokens) runs, tag one of equal, delete, insert, replace."""
        start = 0
        limit = min(len(old), len(new))
        while start < limit and old[start] == new[start]:
            start += 1
        end = 0
        while end < limit - start and old[-1 - end] == new[-1 - end]:
            end += 1
        yield "equal", old[:start], new[:start]
        yield from self._middle(old[start : len(old) - end], new[start : len(new) - end])
        yield "equal", old[len(old) - end :], new[len(new) - end :]

    def _middle(self, old: list[str], new: list[str]):
        if self._affordable(old, new):
            yield from self._words(old, new)
            return
        old_lines, new_lines = _lines(old), _lines(new)
        keys_old = ["".join(line) for line in old_lines]
        keys_new = ["".join(line) for line in new_lines]
        matcher = SequenceMatcher(a=keys_old, b=keys_new)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            a = [t for line in old_lines[i1:i2] for t in line]
            b = [t for line in new_lines[j1:j2] for t in line]
            if op == "equal":
                yield "equal", a, b
            elif self._affordable(a, b):
                yield from self._words(a, b)
            else:
                # Edited in place, most likely: line against line, each within the bounds.
                for before, after in zip_longest(old_lines[i1:i2], new_lines[j1:j2], fillvalue=[]):
                    if self._affordable(before, after):
                        yield from self._words(before, after)
                    else:
                        yield "replace", before, after

    def _affordable(self, old: list[str], new: list[str]) -> bool:
        cost = len(old) * len(new)
        if cost > PAIR_WORK or self.work + cost > TOTAL_WORK:
            return False
        self.work += cost
        return True

    @staticmethod
    def _words(old: list[str], new: list[str]):
        for op, i1, i2, j1, j2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            yield op, old[i1:i2], new[j1:j2]


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
    old, new = _TOKEN.findall(before or ""), _TOKEN.findall(after or "")
    runs = [(op, a, b) for op, a, b in _Differ().opcodes(old, new) if a or b]
    parts = []
    for index, (op, a, b) in enumerate(runs):
        if op == "equal":
            text = "".join(a)
            parts.append(_unchanged(text, first=index == 0, last=index == len(runs) - 1))
            continue
        if a:
            parts.append(_marked("del", "removed", "".join(a)))
        if b:
            parts.append(_marked("ins", "added", "".join(b)))
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
