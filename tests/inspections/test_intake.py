import datetime

import pytest
from django.core.exceptions import ValidationError

from inspections.intake import add_findings
from inspections.models import Finding
from inspections.parsing import ParsedFinding
from tests.factories import make_finding, make_inspection

pytestmark = pytest.mark.django_db


def _row(**fields) -> ParsedFinding:
    return ParsedFinding(
        **{
            "kind": "recommendation",
            "reference": "Rec 01",
            "hmicfrs_number": None,
            "level": None,
            "addressee": "chief constables",
            "due_date": None,
            "due_precision": "none",
            "due_phrase": "",
            "text": "Chief constables should record every report.",
            **fields,
        }
    )


def test_it_adds_new_findings_after_the_existing_ones_in_order():
    inspection = make_inspection()
    make_finding(inspection, reference="Rec 01")

    added, existing = add_findings(
        inspection,
        [
            _row(reference="Rec 02"),
            _row(reference="Rec 03", due_date=datetime.date(2026, 4, 30), due_precision="day"),
        ],
        reason="test",
    )

    assert existing == []
    assert [(f.reference, f.order) for f in inspection.findings.all()] == [
        ("Rec 01", 1),
        ("Rec 02", 2),
        ("Rec 03", 3),
    ]
    assert added[1].due_date == datetime.date(2026, 4, 30)


def test_a_finding_with_the_same_reference_is_not_added_again_or_changed():
    inspection = make_inspection()
    stored = make_finding(inspection, reference="Rec 02", text="Corrected by staff.")

    added, existing = add_findings(
        inspection, [_row(reference="rec  02", text="As first pasted.")], reason="test"
    )

    assert (added, existing) == ([], [stored])
    stored.refresh_from_db()
    assert stored.text == "Corrected by staff."


def test_a_finding_with_the_same_hmicfrs_number_is_not_added_again_whatever_its_label():
    inspection = make_inspection()
    stored = make_finding(inspection, kind="afi", reference="AFI 1", hmicfrs_number=29550)

    _, existing = add_findings(
        inspection,
        [_row(kind="afi", reference="AFI LEVEL 3 #29550", hmicfrs_number=29550)],
        reason="test",
    )

    assert existing == [stored]
    assert Finding.objects.count() == 1


def test_the_same_reference_on_another_kind_of_finding_is_a_different_finding():
    inspection = make_inspection()
    make_finding(inspection, kind="concern", reference="1")

    added, _ = add_findings(inspection, [_row(kind="recommendation", reference="1")], reason="t")

    assert len(added) == 1


def test_unlabelled_findings_match_on_their_wording():
    inspection = make_inspection()
    make_finding(inspection, reference="", text="The force should  audit its records.")

    added, existing = add_findings(
        inspection,
        [
            _row(reference="", text="The force should audit its records."),
            _row(reference="", text="The force should train its staff."),
        ],
        reason="test",
    )

    assert [f.text for f in added] == ["The force should train its staff."]
    assert len(existing) == 1


def test_a_row_repeated_within_one_paste_is_added_once():
    inspection = make_inspection()

    added, existing = add_findings(inspection, [_row(), _row()], reason="test")

    assert (len(added), len(existing)) == (1, 1)


def test_findings_of_another_inspection_do_not_count_as_duplicates():
    make_finding(make_inspection(), reference="Rec 01")
    inspection = make_inspection()

    added, _ = add_findings(inspection, [_row(reference="Rec 01")], reason="test")

    assert len(added) == 1


def test_history_records_the_reason():
    inspection = make_inspection()

    [finding], _ = add_findings(inspection, [_row()], reason="Added from pasted text")

    assert finding.history.get().history_change_reason == "Added from pasted text"


def test_a_row_that_does_not_fit_a_finding_is_refused_and_nothing_is_added():
    inspection = make_inspection()

    with pytest.raises(ValidationError):
        add_findings(inspection, [_row(reference="Rec 01"), _row(reference="R" * 101)], reason="t")
    assert Finding.objects.count() == 0
