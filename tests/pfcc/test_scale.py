"""Pages stay the same size, and make the same queries, whatever the amount of data.

The catalogue's world (tests/catalogue.py) grown with generated data (responses.synthetic) to
100 and then 600 inspections: each page below is read at both sizes, as its persona, and
must make exactly the queries listed (the same at both sizes) and be no more than a little
larger at 600 (other titles, longer numbers): a page listing every row would be six
times the size. bench/pages.py times the same pages at 50,000.

To add a page (the dashboard's, the action plan's, the on-time record's), add a row to PAGES:
its catalogue name or address, who reads it, and its queries, each named.
"""

import pytest
from django.core.cache import cache
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from responses import synthetic
from responses.sitemaps import PublishedResponseSitemap
from tests.catalogue import ANONYMOUS, build_world

# Small enough to keep the test to seconds; large enough that a page listing every row shows.
SMALL, LARGE = 100, 600
# A page may grow this much with other rows on it; one listing every row grows sixfold.
SLACK = 1.25

# (label, persona, address of the world, queries, what the queries are); None: size only.
PAGES = [
    ("inspection list", "publisher", lambda w: reverse("inspection-list"), 8,
     "session, user, groups and permissions, office settings, the years (min and max), "
     "the count, the page (with responses and owners): read through the deadline index"),
    ("inspection list, page 3", "publisher", lambda w: reverse("inspection-list") + "?page=3",
     8, "the same, a later page"),
    ("inspection list, search", "publisher", lambda w: reverse("inspection-list") + "?q=the",
     8, "the same, filtered by title"),
    ("public home", ANONYMOUS, lambda w: reverse("public-home"), 4,
     "office settings, the years (min and max of the latest versions), the count, the page "
     "(latest versions through their index, without their search text)"),
    ("public home, page 3", ANONYMOUS, lambda w: reverse("public-home") + "?page=3", 4,
     "the same, a later page"),
    ("public home, search", ANONYMOUS, lambda w: reverse("public-home") + "?q=constables", 4,
     "the same, searched (full-text index on PostgreSQL)"),
    ("sitemap page", ANONYMOUS, lambda w: reverse("sitemap-section", args=["responses"]), 2,
     "the count, the page of latest versions (public ids only)"),
    ("Atom feed", ANONYMOUS, lambda w: reverse("public-feed"), 2,
     "office settings, the newest 50 publications"),
    ("published PDF", ANONYMOUS,
     lambda w: reverse("public-pdf", args=[w.published.inspection.public_id, 1]), 0,
     "none: after its first request (the version's record), served as a checked file"),
]  # fmt: skip
# Pages bounded by time or by design, not by count: their queries are checked, not their size.
QUERIES_ONLY = [
    # One entry for each SITEMAP_LIMIT responses.
    ("sitemap index", ANONYMOUS, lambda w: reverse("sitemap"), 2,
     "the count of latest versions, their newest time of publication"),
    ("calendar feed", ANONYMOUS,
     lambda w: reverse("calendar-feed", args=[w.calendar_token]), 6,
     "the token with its user, their groups and permissions, office settings, the open "
     "inspections due from 90 days ago (by index), the findings due in that window"),
    # Open data is every published response by design: made once per publication.
    ("open data CSV", ANONYMOUS, lambda w: reverse("public-open-data-csv"), 1,
     "the newest publication's number, naming the file already made"),
]  # fmt: skip


def _read(client, url: str) -> tuple[int, int]:
    cache.clear()
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries), len(body)


def _measure(world, clients) -> dict[str, tuple[int, int]]:
    return {
        label: _read(clients[persona], address(world))
        for label, persona, address, *_ in PAGES + QUERIES_ONLY
    }


@pytest.mark.django_db
def test_pages_make_the_same_queries_and_stay_the_same_size_as_data_grows(monkeypatch):
    # Full sitemap pages at both sizes.
    monkeypatch.setattr(PublishedResponseSitemap, "limit", 50)
    if connection.vendor == "postgresql":
        # The generated rows' deferred checks, run at the test's end, may take longer on a
        # busy machine than the statement timeout that bounds a request.
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
    world = build_world()
    clients = {}
    for persona in {persona for _, persona, *_ in PAGES + QUERIES_ONLY}:
        clients[persona] = Client()
        if persona != ANONYMOUS:
            clients[persona].force_login(world.users[persona])
    synthetic.generate(SMALL, seed=1, files=5)
    # Open data is made by its first request after a publication: made here, at each size.
    _measure(world, clients)
    small = _measure(world, clients)
    synthetic.generate(LARGE - SMALL, seed=2, files=5)
    _measure(world, clients)
    large = _measure(world, clients)
    problems = []
    for label, _, _, expected, what in PAGES + QUERIES_ONLY:
        for size, (queries, _) in ((SMALL, small[label]), (LARGE, large[label])):
            if queries != expected:
                problems.append(f"{label}: {queries} queries at {size}, not {expected} ({what})")
    for label, *_ in PAGES:
        if large[label][1] > SLACK * small[label][1]:
            problems.append(
                f"{label}: {large[label][1]} bytes at {LARGE}, {small[label][1]} at {SMALL}"
            )
    assert not problems, "\n".join(problems)
