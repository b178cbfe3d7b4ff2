"""Adding parsed findings to an inspection without duplicating the ones it already has.

Both the paste-and-preview pages and the statement importer come through here, so the rule
for "the same finding" lives in one place: the same HMICFRS number, else the same kind and
reference as written ("Rec 02"), else (for unlabelled findings) the same wording.
"""

import dataclasses
from collections.abc import Iterable
from typing import NamedTuple

from django.db import transaction
from django.db.models import Max

from inspections.models import Finding, Inspection
from inspections.parsing import ParsedFinding

# The parsed fields a finding is made from, in the order the preview table shows them.
ROW_FIELDS = tuple(f.name for f in dataclasses.fields(ParsedFinding))


def _words(text: str) -> str:
    return " ".join((text or "").split()).casefold()


class FindingMatcher:
    """Finds which of an inspection's findings a row repeats, if any."""

    def __init__(self, findings: Iterable[Finding] = ()):
        self._by_number: dict[int, Finding] = {}
        self._by_reference: dict[tuple[str, str], Finding] = {}
        self._by_text: dict[tuple[str, str], Finding] = {}
        for finding in findings:
            self.remember(finding)

    @classmethod
    def for_inspection(cls, inspection: Inspection) -> "FindingMatcher":
        return cls(inspection.findings.all())

    def remember(self, finding: Finding) -> None:
        if finding.hmicfrs_number:
            self._by_number.setdefault(finding.hmicfrs_number, finding)
        if finding.reference.strip():
            self._by_reference.setdefault((finding.kind, _words(finding.reference)), finding)
        self._by_text.setdefault((finding.kind, _words(finding.text)), finding)

    def match(self, row: ParsedFinding) -> Finding | None:
        if row.hmicfrs_number and row.hmicfrs_number in self._by_number:
            return self._by_number[row.hmicfrs_number]
        if (row.reference or "").strip():
            return self._by_reference.get((row.kind, _words(row.reference)))
        return self._by_text.get((row.kind, _words(row.text)))


class AddedFindings(NamedTuple):
    added: list[Finding]
    existing: list[Finding]


@transaction.atomic
def add_findings(
    inspection: Inspection, rows: Iterable[ParsedFinding], *, reason: str
) -> AddedFindings:
    """Creates the rows the inspection does not already hold, after its current findings.

    Raises ValidationError, having added nothing, if a row does not fit a Finding.

    Rows that repeat a finding (see the module docstring) are left alone: the stored finding
    may have been corrected since, and a re-paste must not undo that.
    """
    # Lock the inspection so two people confirming the same paste cannot both add it.
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    matcher = FindingMatcher.for_inspection(inspection)
    order = inspection.findings.aggregate(last=Max("order"))["last"] or 0
    added, existing = [], []
    for row in rows:
        if found := matcher.match(row):
            existing.append(found)
            continue
        order += 1
        finding = Finding(
            inspection=inspection,
            order=order,
            **{name: getattr(row, name) for name in ROW_FIELDS},
        )
        finding._change_reason = reason
        # Parsed text can exceed a column (a reference of 101 characters): refuse, not truncate.
        finding.full_clean(exclude={"inspection", "concern"})
        finding.save()
        matcher.remember(finding)
        added.append(finding)
    return AddedFindings(added, existing)
