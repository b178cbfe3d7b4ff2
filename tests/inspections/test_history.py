"""Word-level diffs and version lists for any tracked model."""

import random
from unittest import mock

import pytest
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from inspections import history
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


# --- long text: bounded work, still readable ---------------------------------------------

_words = st.sampled_from(["a", "b", "force", "plan", "\n", "\n\n", " ", "  "])
_texts = st.lists(_words, max_size=60).map(" ".join)


@given(_texts, _texts, st.sampled_from([history.PAIR_WORK, 4, 0]))
def test_the_runs_of_a_diff_rebuild_both_texts(before, after, pair_work):
    # Small bounds take the paths long texts take: line by line, then whole.
    with mock.patch.object(history, "PAIR_WORK", pair_work):
        runs = list(history._Differ().opcodes(before, after))
    assert "".join(a for _, a, _ in runs) == before
    assert "".join(b for _, _, b in runs) == after
    assert all(a == b for op, a, b in runs if op == "equal")


def paragraphs(count: int, seed: int) -> list[str]:
    vocabulary = [f"word{n}" for n in range(2000)]
    rng = random.Random(seed)
    return [" ".join(rng.choice(vocabulary) for _ in range(80)) for _ in range(count)]


def test_one_change_in_a_long_text_shows_that_change_with_context_only():
    text = paragraphs(200, seed=1)
    edited = list(text)
    edited[100] = edited[100].replace(" ", " inserted ", 1)
    html = word_diff("\n\n".join(text), "\n\n".join(edited))
    assert html.count("app-diff__ins") == 1 and "app-diff__del" not in html
    assert "[added: </span>inserted " in html
    assert html.count("unchanged words …]") == 2
    assert len(html) < 2000


def test_a_rewritten_long_text_spends_no_more_than_the_bounded_work(monkeypatch):
    spent = []
    real = history._Differ._affordable

    def counting(self, old, new):
        affordable = real(self, old, new)
        spent.append(self.work)
        return affordable

    monkeypatch.setattr(history._Differ, "_affordable", counting)
    before, after = "\n\n".join(paragraphs(1500, 2)), "\n\n".join(paragraphs(1500, 3))
    html = word_diff(before, after)
    assert max(spent) <= history.TOTAL_WORK
    # Past the budget, paragraphs are shown removed and added whole.
    assert f"[added: </span>{escape(after.rsplit(chr(10), 1)[1])}<span" in html


def test_every_paragraph_edited_still_diffs_word_by_word_until_the_budget_runs_out():
    text = paragraphs(300, seed=4)
    edited = [paragraph.replace(" ", " new ", 1) for paragraph in text]
    html = word_diff("\n\n".join(text), "\n\n".join(edited))
    assert html.count("[added: </span>new ") == 300
