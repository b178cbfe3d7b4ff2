"""Word-level diffs and version lists for any tracked model."""

import pytest

from inspections.concurrency import save_version
from inspections.history import versions, word_diff
from inspections.models import Inspection
from tests.factories import make_inspection


def test_a_word_diff_marks_removed_and_added_words_without_colour():
    html = word_diff("The force should act now.", "The force must act now.")
    assert "<del" in html and "<ins" in html
    assert "[removed: </span>should" in html
    assert "[added: </span>must" in html
    assert html.startswith("The force ")


def test_a_word_diff_escapes_markup():
    assert "&lt;script&gt;" in word_diff("", "<script>")


def test_identical_text_has_no_marks():
    assert word_diff("Same words.", "Same words.") == "Same words."


@pytest.mark.django_db
def test_versions_list_changed_fields_newest_first():
    inspection = make_inspection(title="Old title")
    inspection.title = "New title"
    save_version(inspection, actor=None, reason="Renamed")
    listed = versions(
        Inspection.history.filter(id=inspection.pk), ("title", "service"), subject=str
    )
    assert [v.number for v in listed] == [2, 1]
    assert listed[0].reason == "Renamed"
    assert [c.label for c in listed[0].changes] == ["Title"]
    assert listed[0].changes[0].before == "Old title"
    assert [c.label for c in listed[1].changes] == ["Title", "Service"]
    assert listed[1].changes[1].after == "Police"
