"""The oversight rules in deadlines.py: publication windows, reminder offsets, overdue weeks."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspections import deadlines

D = datetime.date


@given(
    published_on=st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 1, 1)),
    first=st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 1, 1)),
    length=st.integers(min_value=0, max_value=60),
    service=st.sampled_from(["police", "fire"]),
    local=st.sampled_from([None, 28, 56, 90]),
)
def test_a_deadline_is_in_the_window_exactly_when_the_publication_date_is(
    published_on, first, length, service, local
):
    last = first + datetime.timedelta(days=length)
    deadline = deadlines.response_deadline(
        service=service, published_on=published_on, local_target_days=local
    )
    window = deadlines.publication_window(
        service=service, local_target_days=local, first_deadline=first, last_deadline=last
    )
    if deadline.last_day is None:
        assert window is None
    else:
        assert (window[0] <= published_on <= window[1]) == (first <= deadline.last_day <= last)


def test_a_police_report_published_on_10_november_is_due_in_a_window_ending_4_january():
    window = deadlines.publication_window(
        service="police",
        local_target_days=None,
        first_deadline=D(2024, 1, 4),
        last_deadline=D(2024, 1, 4),
    )
    assert window == (D(2023, 11, 10), D(2023, 11, 10))


def test_an_open_bound_stays_open():
    window = deadlines.publication_window(
        service="police", local_target_days=None, first_deadline=None, last_deadline=D(2024, 1, 4)
    )
    assert window == (None, D(2023, 11, 10))


@pytest.mark.parametrize(
    ("text", "offsets"),
    [("28,14,7,1", (28, 14, 7, 1)), (" 7, 28 ,14 ", (28, 14, 7)), ("3", (3,)), ("7,7", (7,))],
)
def test_it_reads_reminder_offsets_largest_first(text, offsets):
    assert deadlines.parse_reminder_offsets(text) == offsets


@pytest.mark.parametrize("text", ["", "28,,7", "a week", "0", "28,-1", "400", "7.5"])
def test_it_refuses_reminder_offsets_that_are_not_days(text):
    with pytest.raises(ValueError):
        deadlines.parse_reminder_offsets(text)


@pytest.mark.parametrize(
    ("days_left", "offset"),
    [
        (29, None),
        (28, 28),
        (15, 28),
        (14, 14),
        (8, 14),
        (7, 7),
        (5, 7),
        (2, 7),
        (1, 1),
        (0, 1),
        (-1, None),
    ],
)
def test_the_tightest_reached_offset_is_the_reminder_due(days_left, offset):
    assert deadlines.reminder_offset_due(days_left, (28, 14, 7, 1)) == offset


@pytest.mark.parametrize(("days", "week"), [(1, 1), (7, 1), (8, 2), (14, 2), (15, 3)])
def test_days_overdue_fall_into_weeks(days, week):
    assert deadlines.overdue_week(days) == week
