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

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN = re.compile(r"\S+\s*|\s+")
KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _marked(tag: str, label: str, words: str) -> str:
    # The hidden label says what the mark means to screen readers; strike-through and
    # underline (from the tags) say it without colour.
    return (
        f'<{tag} class="app-diff__{tag}"><span class="govuk-visually-hidden">[{label}: </span>'
        f'{escape(words)}<span class="govuk-visually-hidden">]</span></{tag}>'
    )


def word_diff(before: str, after: str) -> SafeString:
    """`after` with the words removed since `before` in <del> and the words added in <ins>."""
    old, new = _TOKEN.findall(before or ""), _TOKEN.findall(after or "")
    parts = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(_marked("del", "removed", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(_marked("ins", "added", "".join(new[j1:j2])))
    return mark_safe("".join(parts))


@dataclass
class Change:
    label: str
    before: str
    after: str

    @property
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
