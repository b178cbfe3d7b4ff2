"""The public pages are served from the cache until something is published."""

import re

import pytest
import time_machine
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from responses import workflow
from responses.publishing import publish_statement
from tests.factories import approve, make_inspection, make_publication, make_response
from tests.responses.conftest import ON_TIME, make_statement_003

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'nonce="([^"]+)"')
NONCE_BYTES = re.compile(rb'nonce="[^"]+"')


@pytest.fixture
def published(publisher):
    return make_publication(make_response(make_inspection(title="Cached report")), publisher)


def public_urls(publication) -> list[str]:
    public_id = publication.response.inspection.public_id
    return [
        reverse("public-home"),
        reverse("public-home") + "?q=Cached",
        reverse("public-response", args=[public_id]),
        reverse("public-response-version", args=[public_id, publication.version]),
        reverse("public-pdf", args=[public_id, publication.version]),
        reverse("public-html-file", args=[public_id, publication.version]),
        reverse("public-on-time"),
        # Open data is a file made once per publication, found by the newest publication's
        # number (responses.open_data): tests/responses/test_public_views.py counts its query.
        reverse("public-feed"),
        reverse("sitemap"),
    ]


def test_a_public_page_asked_again_needs_no_query(client, published):
    for url in public_urls(published):
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert again.status_code == first.status_code == 200, url
        assert queries.captured_queries == [], url
        body, first_body = b"".join(again), b"".join(first)
        assert NONCE_BYTES.sub(b"", body) == NONCE_BYTES.sub(b"", first_body), url


def test_every_hit_has_a_fresh_csp_nonce_matching_its_header(client, published):
    pages = [client.get(reverse("public-home")) for _ in range(3)]
    nonces = [set(NONCE.findall(page.content.decode())) for page in pages]
    assert all(len(found) == 1 for found in nonces)
    assert len(set.union(*nonces)) == 3
    for page, found in zip(pages, nonces, strict=True):
        assert f"'nonce-{found.pop()}'" in page["Content-Security-Policy"]


def test_publishing_shows_at_once_on_every_cached_page(
    client, publisher, django_capture_on_commit_callbacks
):
    with time_machine.travel(ON_TIME, tick=False):
        statement = make_statement_003()
        assert "organised immigration crime" not in client.get("/").content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            publish_statement(response=statement, by=publisher)
        assert "organised immigration crime" in client.get("/").content.decode()
        assert "organised immigration crime" in client.get("/feed/").content.decode()


def test_an_amendment_shows_at_once(client, publisher, drafter, django_capture_on_commit_callbacks):
    with time_machine.travel(ON_TIME, tick=False):
        statement = make_statement_003()
        publish_statement(response=statement, by=publisher)
        page = reverse("public-response", args=[statement.inspection.public_id])
        assert "Fixed a date." not in client.get(page).content.decode()
        workflow.amend(response=statement, actor=drafter)
        approve(statement)
        with django_capture_on_commit_callbacks(execute=True):
            publish_statement(response=statement, by=publisher, amendment_note="Fixed a date.")
        assert "Fixed a date." in client.get(page).content.decode()


def test_signed_in_staff_are_never_served_the_cached_page(client, published, drafter):
    assert "Staff sign in" in client.get("/").content.decode()
    client.force_login(drafter)
    assert "Sign out" in client.get("/").content.decode()


def test_a_cached_file_answers_not_modified_to_its_etag(client, published):
    url = public_urls(published)[4]
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_a_missing_page_is_not_cached(client, publisher):
    response = make_response(make_inspection())
    url = reverse("public-response", args=[response.inspection.public_id])
    assert client.get(url).status_code == 404
    make_publication(response, publisher)  # recorded without the publishing module
    assert client.get(url).status_code == 200


class BrokenCache(LocMemCache):
    def get(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    set = add = get_or_set = get


def test_a_broken_cache_is_passed_by_and_publishing_still_stands(
    client, settings, publisher, django_capture_on_commit_callbacks
):
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.BrokenCache"}}
    with time_machine.travel(ON_TIME, tick=False):
        statement = make_statement_003()
        with django_capture_on_commit_callbacks(execute=True):
            publish_statement(response=statement, by=publisher)
        page = client.get("/")
    assert page.status_code == 200
    assert "organised immigration crime" in page.content.decode()
