import datetime

import pytest
import time_machine

from inspections import deadlines
from inspections.deadlines import ClockState

D = datetime.date


def police(published_on):
    return deadlines.response_deadline(
        service="police", published_on=published_on, local_target_days=None
    )


def status(published_on, on, response_published_on=None):
    return deadlines.clock_status(
        police(published_on),
        report_published_on=published_on,
        on=on,
        response_published_on=response_published_on,
    )


def test_the_police_deadline_is_day_56_counting_publication_day_as_day_1():
    # The example in the domain notes: published 10/11/2023, last day 04/01/2024.
    deadline = police(D(2023, 11, 10))
    assert deadline.last_day == D(2024, 1, 4)
    assert deadline.statutory
    assert deadline.label == "Statutory deadline"
    assert "s.55(5A)" in deadline.basis


def test_statement_003s_deadline_is_10_july_2025():
    assert police(D(2025, 5, 16)).last_day == D(2025, 7, 10)


@pytest.mark.parametrize(
    ("published_on", "last_day"),
    [
        (D(2024, 1, 6), D(2024, 3, 1)),  # leap year: 29 February is counted
        (D(2023, 1, 6), D(2023, 3, 2)),  # no leap day
        (D(2024, 1, 5), D(2024, 2, 29)),  # lands on the leap day itself
        (D(2024, 11, 7), D(2025, 1, 1)),  # crosses the year end
        (D(2025, 1, 31), D(2025, 3, 27)),  # month end start
        (D(2025, 2, 3), D(2025, 3, 30)),  # spring clock change Sunday (30 March 2025)
        (D(2025, 9, 1), D(2025, 10, 26)),  # autumn clock change Sunday (26 October 2025)
    ],
)
def test_the_deadline_is_a_calendar_date_across_boundaries(published_on, last_day):
    assert police(published_on).last_day == last_day
    assert deadlines.day_number(published_on, last_day) == 56


def test_on_day_55_the_response_is_due_in_one_day():
    published = D(2023, 11, 10)
    result = status(published, on=published + datetime.timedelta(days=54))
    assert deadlines.day_number(published, published + datetime.timedelta(days=54)) == 55
    assert (result.state, result.days, result.label) == (ClockState.DUE, 1, "Due in 1 day")
    assert result.rag == "Due within 7 days"


def test_on_day_56_the_response_is_due_today():
    result = status(D(2023, 11, 10), on=D(2024, 1, 4))
    assert (result.state, result.days, result.label) == (ClockState.DUE_TODAY, 0, "Due today")


def test_on_day_57_the_response_is_overdue_by_one_day():
    result = status(D(2023, 11, 10), on=D(2024, 1, 5))
    assert (result.state, result.days, result.label) == (ClockState.OVERDUE, 1, "Overdue by 1 day")
    assert result.rag == "Overdue"


def test_far_from_the_deadline_it_is_on_track():
    result = status(D(2023, 11, 10), on=D(2023, 11, 10))
    assert (result.state, result.days, result.rag) == (ClockState.DUE, 55, "On track")


def test_due_in_seven_days_is_due_soon_and_eight_is_on_track():
    assert status(D(2023, 11, 10), on=D(2023, 12, 28)).rag == "Due within 7 days"
    assert status(D(2023, 11, 10), on=D(2023, 12, 27)).rag == "On track"


def test_published_on_the_last_day_is_on_time_with_the_day_taken():
    result = status(D(2023, 11, 10), on=D(2024, 2, 1), response_published_on=D(2024, 1, 4))
    assert (result.state, result.days) == (ClockState.ON_TIME, 56)
    assert result.label == "Published on time (day 56)"
    assert not result.is_open


def test_published_the_day_after_is_late_by_one_day():
    result = status(D(2023, 11, 10), on=D(2024, 2, 1), response_published_on=D(2024, 1, 5))
    assert (result.state, result.days, result.label) == (
        ClockState.LATE,
        1,
        "Published late (1 day late)",
    )


def test_fire_reports_have_a_local_target_labelled_as_local():
    deadline = deadlines.response_deadline(
        service="fire", published_on=D(2025, 3, 3), local_target_days=28
    )
    assert deadline.last_day == D(2025, 3, 30)
    assert not deadline.statutory
    assert deadline.label == "Local target"
    assert "no statutory deadline" in deadline.basis.lower()


def test_fire_reports_without_a_local_target_have_no_deadline():
    deadline = deadlines.response_deadline(
        service="fire", published_on=D(2025, 3, 3), local_target_days=None
    )
    assert deadline.last_day is None
    result = deadlines.clock_status(deadline, report_published_on=D(2025, 3, 3), on=D(2026, 1, 1))
    assert result.state == ClockState.NO_DEADLINE


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # 23:30 UTC on 31 March 2025 is already 1 April in London (BST).
        (datetime.datetime(2025, 3, 31, 23, 30, tzinfo=datetime.UTC), D(2025, 4, 1)),
        # 23:30 UTC on 31 December is still 31 December in London (GMT).
        (datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC), D(2025, 12, 31)),
        # The hour after the spring-forward change.
        (datetime.datetime(2025, 3, 30, 1, 30, tzinfo=datetime.UTC), D(2025, 3, 30)),
    ],
)
def test_today_is_the_london_calendar_date(instant, expected):
    with time_machine.travel(instant, tick=False):
        assert deadlines.today() == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2025, 5, 16), 6, D(2025, 11, 16)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # clamps to the month's end
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # leap year
    ],
)
def test_relative_periods_count_calendar_months(start, months, expected):
    assert deadlines.after_period(start, months=months) == expected


def test_month_end_knows_leap_years():
    assert deadlines.month_end(2024, 2) == D(2024, 2, 29)
    assert deadlines.month_end(2023, 2) == D(2023, 2, 28)
    assert deadlines.month_end(2023, 12) == D(2023, 12, 31)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2025, 3, 31), "2024-25"),
        (D(2025, 4, 1), "2025-26"),
        (D(2026, 1, 1), "2025-26"),
        (D(2099, 12, 31), "2099-00"),
    ],
)
def test_financial_years_run_april_to_march(on, expected):
    assert deadlines.financial_year(on) == expected
