"""The on-time record's figures, counted by the database: per service and year, the responses
counted, those on time, and the median days taken (responses/record.py)."""

import datetime

import pytest
from django.db.models.functions import ExtractYear

from responses import record
from responses.importer import REFERENCE_STATEMENTS_DIR, import_statement_file
from responses.models import Publication
from tests.factories import make_inspection, make_publication, make_response

D = datetime.date
pytestmark = pytest.mark.django_db


def _published(publisher, report_on: D, days: int, service="police", **fields):
    inspection = make_inspection(published_on=report_on, service=service)
    late = days > 56
    return make_publication(
        make_response(inspection),
        publisher,
        published_on=report_on + datetime.timedelta(days=days - 1),
        late=late,
        days_late=days - 56 if late else None,
        late_reason="Awaiting the chief constable." if late else "",
        **fields,
    )


def _figures(django_assert_num_queries):
    # The counts grouped by service and year, and the middle rows of each group.
    with django_assert_num_queries(2):
        return record.year_figures(
            Publication.objects.first_versions(), year=ExtractYear("report_published_on")
        )


def test_each_service_and_year_is_counted_with_its_own_median(
    publisher, django_assert_num_queries
):
    for days in (10, 20, 60):
        _published(publisher, D(2024, 5, 1), days)
    for days in (30, 40):
        _published(publisher, D(2025, 5, 1), days)
    _published(publisher, D(2025, 5, 1), 5, service="fire")
    police, fire = _figures(django_assert_num_queries)
    assert [(y.label, y.counted, y.on_time, y.late, y.median_days) for y in police.years] == [
        ("2024", 3, 2, 1, 20),
        ("2025", 2, 2, 0, 35),
    ]
    assert [(y.label, y.counted, y.median_days) for y in fire.years] == [("2025", 1, 5)]
    assert (police.rules.key, fire.rules.key) == ("police", "fire")
    assert police.years[0].percent == 67


def test_responses_with_no_date_or_no_deadline_are_listed_but_not_counted(
    publisher, django_assert_num_queries
):
    _published(publisher, D(2025, 5, 1), 30)
    _published(publisher, D(2025, 6, 1), 40, deadline_last_day=None)  # fire with no target
    for path in sorted(REFERENCE_STATEMENTS_DIR.glob("*.txt")):
        import_statement_file(path)  # published before the tracker, the dates not recorded
    [police] = _figures(django_assert_num_queries)
    assert [(y.label, y.counted, y.median_days) for y in police.years] == [("2025", 1, 30)]
    assert (police.published, police.undated) == (4, 2)


def test_a_years_bar_shows_on_time_and_late_as_shares_of_the_year(publisher):
    for days in (10, 20, 60):
        _published(publisher, D(2024, 5, 1), days)
    [police] = record.year_figures(
        Publication.objects.first_versions(), year=ExtractYear("report_published_on")
    )
    [row] = police.chart_rows
    assert row.label == "2024" and row.words == "2 of 3 on time (67%)"
    assert [(s.kind, s.width) for s in row.segments] == [("on-time", 67), ("late", 33)]


def test_the_median_is_read_from_how_many_took_each_number_of_days():
    assert record._median({}) is None
    assert record._median({30: 1}) == 30
    assert record._median({10: 1, 30: 1, 40: 1}) == 30
    assert record._median({10: 1, 20: 1, 30: 1, 40: 1}) == 25
    assert record._median({5: 3, 9: 1}) == 5
    assert record._median({5: 2, 9: 2}) == 7
