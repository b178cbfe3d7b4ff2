import datetime
import hashlib
import html
import io
import json
import logging
import re
import uuid
from xml.etree import ElementTree

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from inspections.models import InspectionType, OfficeSettings, Service
from responses import public_cache
from responses.importer import REFERENCE_STATEMENTS_DIR, import_statement_file
from responses.models import Publication
from responses.sitemaps import PublishedResponseSitemap
from tests.downloads import body as downloaded
from tests.downloads import csv_rows
from tests.factories import make_inspection, make_publication, make_response, redraft


def pdf_url(publication):
    return reverse(
        "public-pdf", args=[publication.response.inspection.public_id, publication.version]
    )


def page_url(publication):
    return reverse("public-response", args=[publication.response.inspection.public_id])


def open_data_csv(client, name: str = "public-open-data-csv") -> list[dict]:
    return csv_rows(client.get(reverse(name)))


def publish_many(count, by, **inspection_fields):
    publications = []
    for _ in range(count):
        response = make_response(make_inspection(**inspection_fields))
        publications.append(make_publication(response, by))
    return publications


@pytest.fixture
def imported(db):
    """The office's two published statements, imported without their dates: the back catalogue."""
    publications = {}
    for path in sorted(REFERENCE_STATEMENTS_DIR.glob("*.txt")):
        result = import_statement_file(path)
        publications[path.name[:3]] = result.response.publications.get()
    return publications


# --- home ---


def test_home_lists_published_responses_newest_first(client, publisher):
    older = make_publication(make_response(make_inspection(title="Older report")), publisher)
    newer = make_publication(
        make_response(make_inspection(title="Newer report")),
        publisher,
        published_on=older.published_on + datetime.timedelta(days=3),
    )
    page = client.get("/").content.decode()
    assert page.index(newer.title) < page.index(older.title)


def test_home_shows_only_the_latest_version_of_each_response(client, publisher):
    response = make_response(make_inspection(title="Amended report"))
    make_publication(response, publisher)
    make_publication(response, publisher, version=2, published_on=datetime.date(2025, 8, 1))
    page = client.get("/").content.decode()
    assert page.count("Amended report") == 1
    assert "(version 2)" in page


def test_home_never_lists_unpublished_responses(client, db):
    make_response(make_inspection(title="A draft nobody may see"), status="approved")
    assert "A draft nobody may see" not in client.get("/").content.decode()


def test_home_finds_responses_by_title_text_or_number(client, publisher):
    wanted = make_publication(
        make_response(make_inspection(title="Organised immigration crime", hmicfrs_number=31007)),
        publisher,
        search_text="the Hydra training package",
    )
    make_publication(make_response(make_inspection(title="Custody")), publisher)
    for query in ("immigration", "hydra", "#31007"):
        page = client.get("/", {"q": query}).content.decode()
        assert wanted.title in page and "Custody" not in page, query


def test_home_filters_by_year_type_and_service(client, publisher):
    make_publication(
        make_response(
            make_inspection(
                title="Fire 2024",
                published_on=datetime.date(2024, 3, 1),
                service=Service.FIRE,
                inspection_type=InspectionType.FIRE,
            )
        ),
        publisher,
    )
    make_publication(make_response(make_inspection(title="Police 2025")), publisher)
    assert "Police 2025" not in client.get("/", {"year": "2024"}).content.decode()
    assert "Fire 2024" in client.get("/", {"year": "2024"}).content.decode()
    assert "Fire 2024" not in client.get("/", {"service": "police"}).content.decode()
    page = client.get("/", {"type": "fire", "service": "fire"}).content.decode()
    assert "Fire 2024" in page and "Police 2025" not in page


def test_home_is_paginated_and_keeps_the_filters(client, publisher):
    publish_many(21, publisher)
    first = client.get("/", {"service": "police"}).content.decode()
    assert "21 responses" in first
    assert "service=police&amp;page=2" in first
    assert len(client.get("/", {"page": 2}).context["pages"].items) == 1


@pytest.mark.parametrize("count", [1, 12])
def test_home_makes_the_same_queries_for_few_or_many(
    client, publisher, count, django_assert_num_queries
):
    publish_many(count, publisher)
    OfficeSettings.load()
    # office settings, the count, the page of publications with their inspections, the years.
    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200


# --- response page and downloads ---


def test_the_response_page_shows_the_stored_statement(client, published_003):
    page = client.get(page_url(published_003)).content.decode()
    assert "Improving the response to organised immigration crime" in page
    assert "Rec 09" in page
    assert "DRAFT" not in page
    assert pdf_url(published_003) in page
    assert "(PDF, " in page


def test_the_response_page_never_shows_later_unpublished_edits(client, published_003, drafter):
    redraft(published_003.response, drafter, "A secret redraft.")
    page = client.get(page_url(published_003)).content.decode()
    assert "A secret redraft." not in page
    assert "Cumbria Police were not inspected" in page


def test_unpublished_and_unknown_responses_are_not_found(client, db):
    draft = make_response(make_inspection(), status="approved")
    for public_id in (draft.inspection.public_id, uuid.uuid4()):
        assert client.get(reverse("public-response", args=[public_id])).status_code == 404
        assert client.get(reverse("public-pdf", args=[public_id, 1])).status_code == 404


def test_a_pdf_download_is_the_stored_file_with_caching_headers(client, published_003):
    first = client.get(pdf_url(published_003))
    second = client.get(pdf_url(published_003))
    body = downloaded(first)
    assert body == downloaded(second)
    assert hashlib.sha256(body).hexdigest() == published_003.pdf_sha256
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == 'attachment; filename="pfcc-response-31007-v1.pdf"'
    for response in (first, second):
        assert response["ETag"] == f'"{published_003.pdf_sha256}"'
        assert "max-age=31536000" in response["Cache-Control"]
        assert "public" in response["Cache-Control"]
    assert PdfReader(io.BytesIO(body)).trailer["/Root"]["/Lang"] == "en-GB"


def test_a_pdf_download_answers_not_modified_to_a_matching_etag(client, published_003):
    response = client.get(
        pdf_url(published_003), headers={"If-None-Match": f'"{published_003.pdf_sha256}"'}
    )
    assert response.status_code == 304


def test_an_amendment_keeps_version_1_readable_and_downloadable(client, publisher, db):
    response = make_response(make_inspection(title="Amended report"))
    first = make_publication(response, publisher)
    make_publication(response, publisher, version=2)
    page = client.get(page_url(first)).content.decode()
    assert "Corrected a date." in page and "Version 1" in page
    old = reverse("public-response-version", args=[response.inspection.public_id, 1])
    assert "Earlier version" in client.get(old).content.decode()
    assert client.get(pdf_url(first)).status_code == 200


def test_media_paths_are_not_served(client, published_003):
    assert client.get(f"/media/{published_003.pdf_file.name}").status_code == 404


# --- stored files are served only as published ---


def _tamper(name: str, data: bytes = b"<p>Not what was published</p>") -> None:
    default_storage.delete(name)
    default_storage.save(name, ContentFile(data))


@pytest.mark.parametrize("kind", ["pdf", "html"])
def test_a_tampered_file_is_never_served_and_raises_an_alert(client, published_003, kind, caplog):
    _tamper(getattr(published_003, f"{kind}_file").name)
    url = reverse(
        f"public-{'pdf' if kind == 'pdf' else 'html-file'}",
        args=[published_003.response.inspection.public_id, 1],
    )
    with caplog.at_level(logging.CRITICAL, logger="responses.publishing"):
        download = client.get(url)
    assert download.status_code == 503
    assert download["Content-Type"].startswith("text/html")
    assert "no longer exactly the file that was published" in download.content.decode()
    assert "does not match the SHA-256" in caplog.text


def test_a_tampered_statement_page_is_never_shown(client, published_003, caplog):
    _tamper(published_003.html_file.name, b"<!-- statement -->Forged<!-- /statement -->")
    with caplog.at_level(logging.CRITICAL, logger="responses.publishing"):
        page = client.get(page_url(published_003))
    assert page.status_code == 503 and "Forged" not in page.content.decode()
    assert "Restore it from the backup" in caplog.text


def test_a_missing_file_is_a_clear_page_not_a_server_error(client, published_003):
    default_storage.delete(published_003.pdf_file.name)
    default_storage.delete(published_003.html_file.name)
    for url in (pdf_url(published_003), page_url(published_003)):
        page = client.get(url)
        assert page.status_code == 503
        assert "This file cannot be shown" in page.content.decode()
        assert "is missing" in page.content.decode()


# --- the public can check what was published ---


def test_the_statement_page_lists_every_version_with_its_checksums(client, publisher, db):
    response = make_response(make_inspection(title="Amended report"))
    first = make_publication(response, publisher)
    second = make_publication(response, publisher, version=2)
    page = client.get(page_url(first)).content.decode()
    assert "Check a downloaded file" in page and "shasum -a 256" in page
    for publication in (first, second):
        assert publication.pdf_sha256 in page and publication.html_sha256 in page
        assert f"{publication.published_on:%-d %B %Y}" in page


def test_open_data_carries_the_checksums_of_every_version(client, publisher, db):
    response = make_response(make_inspection(title="Amended report"))
    versions = [
        make_publication(response, publisher),
        make_publication(response, publisher, version=2),
    ]
    data = json.loads(downloaded(client.get(reverse("public-open-data-json"))))
    listed = data["responses"][0]["versions"]
    assert [(v["version"], v["pdf_sha256"], v["html_sha256"]) for v in listed] == [
        (p.version, p.pdf_sha256, p.html_sha256) for p in versions
    ]
    rows = open_data_csv(client, "public-open-data-versions-csv")
    assert [(row["version"], row["pdf_sha256"], row["html_sha256"]) for row in rows] == [
        (str(p.version), p.pdf_sha256, p.html_sha256) for p in versions
    ]
    assert rows[1]["published_on"] == versions[1].published_on.isoformat()


# --- on-time record and open data ---


def test_the_on_time_page_shows_each_response_and_the_share_by_year(client, publisher):
    on_time = make_publication(make_response(make_inspection(title="Quick")), publisher)
    make_publication(
        make_response(make_inspection(title="Slow")),
        publisher,
        published_on=on_time.report_published_on + datetime.timedelta(days=60),
        late=True,
        days_late=5,
        late_reason="Awaiting the chief constable.",
    )
    page = client.get(reverse("public-on-time")).content.decode()
    chart = page[page.index('<figure class="app-chart">') : page.index("</figure>")]
    assert 'app-chart__label">2025</span>' in chart
    assert "1 of 2 on time (50%)" in chart
    assert "app-chart__segment--on-time app-chart__segment--w50" in chart
    # The same figures in the table beside it, with the median days taken (31 and 61).
    table = page[page.index("the same figures as a table") :]
    assert re.search(r">2025</th>\s*" + r"\s*".join(
        f'<td class="govuk-table__cell govuk-table__cell--numeric">{cell}</td>'
        for cell in ("2", "1", "1", "50%", "46")
    ), table)
    assert "Late by 5 days" in page and "On time" in page


def test_open_data_lists_dates_and_days_taken_as_csv_and_json(client, publisher):
    publication = make_publication(make_response(make_inspection(hmicfrs_number=31007)), publisher)
    rows = open_data_csv(client)
    assert rows[0]["hmicfrs_number"] == "31007"
    assert rows[0]["days_taken"] == str(publication.days_taken)
    assert rows[0]["report_published_on"] == "2025-05-16"
    data = json.loads(downloaded(client.get(reverse("public-open-data-json"))))
    assert data["responses"][0]["response_published_on"] == publication.published_on.isoformat()
    assert data["responses"][0]["pdf_url"].endswith(pdf_url(publication))


# --- feed, sitemap, robots, accessibility ---


def test_the_atom_feed_lists_publications(client, publisher):
    publication = make_publication(make_response(make_inspection(title="In the feed")), publisher)
    feed = client.get(reverse("public-feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "In the feed" in feed.content.decode()
    assert str(publication.response.inspection.public_id) in feed.content.decode()


def read_sitemap(client) -> str:
    """Every page the sitemap index names, read in turn."""
    index = client.get("/sitemap.xml").content.decode()
    pages = re.findall(r"<loc>http://testserver(/sitemap-[^<]+)</loc>", index)
    return "".join(client.get(page.replace("&amp;", "&")).content.decode() for page in pages)


def test_the_sitemap_lists_published_responses_only(client, publisher):
    publication = make_publication(make_response(make_inspection()), publisher)
    draft = make_response(make_inspection(), status="approved")
    sitemap = read_sitemap(client)
    assert page_url(publication) in sitemap
    assert str(draft.inspection.public_id) not in sitemap


def test_the_sitemap_is_an_index_of_bounded_pages(client, publisher, monkeypatch):
    monkeypatch.setattr(PublishedResponseSitemap, "limit", 2)
    publications = [make_publication(make_response(make_inspection()), publisher) for _ in range(5)]
    index = client.get("/sitemap.xml").content.decode()
    assert index.count("sitemap-responses.xml") == 3
    first = client.get("/sitemap-responses.xml").content.decode()
    assert first.count("<url>") == 2
    assert all(page_url(p) in read_sitemap(client) for p in publications)


def test_robots_txt_keeps_crawlers_out_of_staff_pages(client, db):
    robots = client.get("/robots.txt")
    assert robots["Content-Type"] == "text/plain"
    assert "Disallow: /staff/" in robots.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()


def test_the_accessibility_statement_is_public(client, db):
    assert "Accessibility statement" in client.get(reverse("public-accessibility")).content.decode()


def test_the_accessibility_statement_says_how_the_pdfs_are_checked_without_verapdf(client, db):
    page = client.get(reverse("public-accessibility")).content.decode()
    assert "How we tested this website" in page
    assert "veraPDF" in page and "cannot be installed" in page
    assert "pdfua" in page and "reading the PDF's tags" in page


# --- the imported back catalogue ---


def test_home_lists_both_imported_statements_to_a_reader_who_is_not_signed_in(client, imported):
    page = client.get("/").content.decode()
    assert "2 responses" in page
    assert "Improving the response to organised immigration crime" in page
    assert "north-west regional response to serious and organised crime" in page
    assert "the date it was published is not recorded" in page


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("organised immigration crime", "Improving the response to organised immigration crime"),
        ("#29536", "north-west regional response to serious and organised crime"),
    ],
)
def test_home_search_finds_imported_statements(client, imported, query, title):
    page = client.get("/", {"q": query}).content.decode()
    assert "1 response found" in page
    assert title in page


def test_home_places_an_undated_statement_by_its_report_date(client, imported, publisher):
    # Reports: statement 000 on 10 November 2023, statement 003 on 16 May 2025.
    between = make_publication(
        make_response(
            make_inspection(title="Published in 2024", published_on=datetime.date(2024, 5, 1))
        ),
        publisher,
        published_on=datetime.date(2024, 6, 1),
    )
    page = client.get("/").content.decode()
    assert (
        page.index("organised immigration crime")
        < page.index(between.title)
        < page.index("north-west regional response")
    )


def test_an_imported_statement_reads_and_downloads_like_any_other(client, imported):
    publication = imported["003"]
    page = client.get(page_url(publication)).content.decode()
    assert "Improving the response to organised immigration crime" in page
    assert "Rec 02" in page
    assert "Published before this site; date not recorded" in page
    download = client.get(pdf_url(publication))
    assert download.status_code == 200
    body = downloaded(download)
    assert hashlib.sha256(body).hexdigest() == publication.pdf_sha256
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "Rec 02" in text
    assert "not recorded" in text.lower()


def test_the_rich_text_of_statement_003_shows_no_tags(client, imported):
    page = client.get(page_url(imported["003"])).content.decode()
    statement = page[page.index("<!-- statement -->") : page.index("<!-- /statement -->")]
    assert "&lt;" not in statement
    assert "list-style-type" not in statement
    assert "<p>In January 2024, the then Home Secretary" in statement


def test_the_on_time_record_lists_undated_statements_but_does_not_count_them(
    client, imported, publisher
):
    make_publication(make_response(make_inspection(title="Quick")), publisher)
    page = client.get(reverse("public-on-time")).content.decode()
    assert "1 of 1 on time (100%)" in page
    assert 'app-chart__label">2023<' not in page and ">2023</th>" not in page
    assert page.count("Date not recorded") == 2  # the tag of each row
    assert page.count("Published before this site; date not recorded") == 2
    assert "2 responses were published before this site" in page


def test_the_on_time_record_copes_with_only_undated_statements(client, imported):
    page = client.get(reverse("public-on-time")).content.decode()
    assert 'chart-title"' not in page
    assert "Improving the response to organised immigration crime" in page
    assert "No responses have been published yet." not in page


def test_open_data_leaves_the_unknown_date_and_days_empty(client, imported):
    rows = open_data_csv(client)
    assert {row["hmicfrs_number"] for row in rows} == {"29536", ""}
    for row in rows:
        assert row["report_published_on"]
        assert row["response_published_on"] == row["days_taken"] == row["on_time"] == ""
    data = json.loads(downloaded(client.get(reverse("public-open-data-json"))))
    for row in data["responses"]:
        assert row["response_published_on"] is None
        assert row["days_taken"] is None and row["on_time"] is None and row["days_late"] is None


def test_the_feed_and_sitemap_cope_with_imported_statements(client, imported, publisher):
    make_publication(make_response(make_inspection(title="Published here")), publisher)
    feed = client.get(reverse("public-feed")).content.decode()
    assert "Published here" in feed
    # Not published through the site and with no time of publication: not news for the feed.
    assert "organised immigration crime" not in feed
    sitemap = read_sitemap(client)
    for publication in imported.values():
        assert page_url(publication) in sitemap


def test_the_on_time_page_makes_the_same_queries_and_page_for_few_or_many(
    client, imported, publisher, django_assert_num_queries
):
    OfficeSettings.load()
    sizes = []
    for count in (25, 50):
        publish_many(count, publisher, title="A report of the same length")
        publish_many(count, publisher, title="A report of the same length", service="fire")
        public_cache.invalidate()  # as publishing does
        # Office settings; the figures: counts and medians (2); each service's responses:
        # their count and the page shown (4).
        with django_assert_num_queries(7):
            response = client.get(reverse("public-on-time"))
        sizes.append(len(response.content))
    assert sizes[1] < sizes[0] * 1.05
    assert "Responses 1 to 20 of 77, the newest report first." in response.content.decode()


def test_each_services_responses_are_listed_a_page_at_a_time(client, publisher):
    publish_many(45, publisher, title="Police report")
    publish_many(3, publisher, title="Fire report", service="fire")
    page = client.get(reverse("public-on-time"), {"police-page": 3}).content.decode()
    police = page[page.index('id="police"') : page.index('id="fire"')]
    assert "Responses 41 to 45 of 45" in police and police.count(">Police report</a>") == 5
    assert 'href="?police-page=2#police-each-response"' in police
    fire = page[page.index('id="fire"') :]
    assert "3 responses, the newest report first." in fire and "govuk-pagination" not in fire


def test_the_imported_records_are_what_the_public_pages_read(imported):
    assert set(Publication.objects.values_list("imported", "published_on")) == {(True, None)}


# Bad search and filter values (issue 11): ignored with a message, never a server error.


@pytest.mark.parametrize(
    "query, ignored",
    [
        ("q=²", None),  # a digit to str.isdigit, not to int()
        ("year=10000", "year"),  # beyond the last year a date holds
        ("year=2147483648", "year"),  # beyond the database's integer
        ("year=²", "year"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_bad_search_and_filter_values_are_ignored_with_a_message(client, publisher, query, ignored):
    make_publication(make_response(make_inspection(title="Burglary report")), publisher)
    response = client.get(f"/?{query}&service=police")
    page = response.content.decode()
    assert response.status_code == 200
    if ignored:
        assert "There is a problem" in page
        assert f'href="#{ignored}"' in page
        assert "This filter was ignored." in page
        # The valid filter still applies, and the list is there.
        assert "Burglary report" in page
    else:
        assert "There is a problem" not in page


def test_a_null_character_in_the_search_is_refused_with_a_page(client, db):
    response = client.get("/?q=a%00b")
    assert response.status_code == 400
    assert "The web address contains a character" in response.content.decode()


# Output is inert (issue 11).


def test_an_amendment_note_in_the_feed_is_text_that_runs_nothing(client, publisher):
    response = make_response(make_inspection(title="Amended report"))
    make_publication(response, publisher)
    note = '<img src=x onerror="alert(1)"><script>alert(2)</script> & more'
    make_publication(response, publisher, version=2, amendment_note=note)
    feed = ElementTree.fromstring(client.get(reverse("public-feed")).content)
    summaries = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}summary")]
    [amendment] = [summary for summary in summaries if summary.startswith("Version 2")]
    # A feed reader reads the summary as HTML: escaped, it shows the note exactly as typed.
    assert html.unescape(amendment) == f"Version 2: {note}"
    assert "<" not in amendment


def test_the_open_data_csv_never_starts_a_cell_with_a_formula(client, publisher):
    make_publication(make_response(make_inspection(title='=HYPERLINK("http://x","y")')), publisher)
    row = open_data_csv(client)[0]
    assert row["title"] == '\'=HYPERLINK("http://x","y")'
    assert row["days_taken"].isdigit()


def test_a_download_hashes_its_file_once_and_again_once_it_changes(
    client, published_003, monkeypatch, caplog
):
    from responses import publishing

    hashed = []
    real = publishing.hashlib.sha256
    monkeypatch.setattr(publishing.hashlib, "sha256", lambda *a: hashed.append(1) or real(*a))
    for _ in range(3):
        assert client.get(pdf_url(published_003)).status_code == 200
    assert len(hashed) == 1  # The same file again: a stat, as a static file costs.
    _tamper(published_003.pdf_file.name)
    with caplog.at_level(logging.CRITICAL, logger="responses.publishing"):
        assert client.get(pdf_url(published_003)).status_code == 503
    assert len(hashed) == 2


@pytest.mark.parametrize(
    "name",
    ["public-open-data-csv", "public-open-data-versions-csv", "public-open-data-json"],
)
def test_open_data_is_made_once_per_publication_then_served_as_a_file(
    client, publisher, name, django_assert_num_queries
):
    make_publication(make_response(make_inspection(title="First report")), publisher)
    assert "First report" in downloaded(client.get(reverse(name))).decode()
    # The newest publication's number, from its index: the file is already made.
    with django_assert_num_queries(1):
        again = client.get(reverse(name))
    assert "First report" in downloaded(again).decode()
    make_publication(make_response(make_inspection(title="Second report")), publisher)
    assert "Second report" in downloaded(client.get(reverse(name))).decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text search")
def test_public_search_on_postgresql_matches_words_in_their_other_forms(client, publisher):
    make_publication(make_response(make_inspection(title="Support for victims of rape")), publisher)
    make_publication(make_response(make_inspection(title="Custody services")), publisher)
    page = client.get(reverse("public-home"), {"q": "victim supported"}).content.decode()
    assert "Support for victims of rape" in page and "Custody services" not in page
