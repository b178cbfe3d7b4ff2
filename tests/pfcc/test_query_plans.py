"""The main list queries are served by indexes on PostgreSQL, never by reading a whole table.

With sequential scans priced out (enable_seqscan off), PostgreSQL still plans one for a query
only when no index can serve it: each query below must then show no "Seq Scan" of the tables
that grow with the data. bench/pages.py times the same queries at 50,000 inspections.
"""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from inspections.models import Inspection
from pfcc.filters import years_of
from responses.models import Publication
from responses.public_views import PublicationFeed
from responses.sitemaps import PublishedResponseSitemap

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]

LARGE_TABLES = (
    "inspections_inspection",
    "inspections_finding",
    "responses_response",
    "responses_publication",
)


def _plans(run) -> list[str]:
    """The plan of each query `run` makes, as PostgreSQL would run them."""
    with CaptureQueriesContext(connection) as queries:
        run()
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in queries.captured_queries:
            cursor.execute(f"EXPLAIN {query['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


TODAY = datetime.date(2026, 6, 1)


def _queries():
    """(what needs it, what runs its queries)."""
    latest = Publication.objects.latest_versions()
    return [
        ("the inspection list's page (inspections.views.inspection_list)",
         lambda: list(Inspection.objects.select_related("response", "response__owner")
                      .deadline_queue()[25:50])),
        ("the inspection list's count", lambda: Inspection.objects.count()),
        ("the inspection list's years (pfcc.filters.years_of)",
         lambda: years_of(Inspection.objects, "published_on")),
        ("the public list's page (responses.public_views.home)",
         lambda: list(latest.listed().select_related("response__inspection").newest_first()[
             20:40])),
        ("the public list's count", lambda: latest.count()),
        ("the public list's years", lambda: years_of(latest, "report_published_on")),
        ("the public list's search (full-text index)",
         lambda: list(latest.listed().search("domestic abuse").newest_first()[:20])),
        ("a page of the sitemap (responses.sitemaps)",
         lambda: list(PublishedResponseSitemap().items()[1000:2000])),
        ("the sitemap index's last change",
         lambda: PublishedResponseSitemap().get_latest_lastmod()),
        ("the Atom feed (responses.public_views.PublicationFeed)",
         lambda: list(PublicationFeed().items())),
        ("the calendar feed's response deadlines (responses.calendar)",
         lambda: list(Inspection.objects.filter(answered=False, deadline_on__gte=TODAY))),
        ("the public record's first versions (responses.record.first_publications)",
         lambda: list(Publication.objects.first_versions().order_by(
             "-report_published_on", "title")[:20])),
    ]  # fmt: skip


@pytest.mark.parametrize("number", range(len(_queries())))
def test_a_main_list_query_reads_an_index_not_a_whole_table(number):
    what, run = _queries()[number]
    for plan in _plans(run):
        scanned = [table for table in LARGE_TABLES if f"Seq Scan on {table}" in plan]
        assert not scanned, f"{what} reads every row of {', '.join(scanned)}:\n{plan}"
