"""With the database down or a request out of time: the 503 page in the site's style, with
Retry-After, whatever page was asked for and wherever the error was raised."""

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@contextmanager
def database_down():
    def refuse(execute, sql, params, many, context):
        raise OperationalError('connection to server at "db.internal" failed: Connection refused')

    with connection.execute_wrapper(refuse):
        yield


def assert_unavailable_page(page):
    assert page.status_code == 503
    assert page["Retry-After"] == "60"
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert "Sorry, the service is unavailable" in html
    assert "govuk-footer" in html and "/static/css/app.css" in html
    assert "db.internal" not in html


@pytest.mark.parametrize(
    "url",
    ["/", "/on-time/", "/open-data/responses.csv", "/staff/", "/staff/inspections/", "/nowhere/"],
)
def test_with_the_database_down_every_page_is_the_styled_503(drafter, url):
    # Not re-raised: errors outside views (the 404 page's header) reach handler500.
    client = Client(raise_request_exception=False)
    client.force_login(drafter)
    with database_down():
        page = client.get(url)
    assert_unavailable_page(page)


def test_a_database_error_raised_in_middleware_is_a_503_too(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.pfcc.test_unavailable.FailingMiddleware"]
    page = Client(raise_request_exception=False).get(reverse("public-home"))
    assert_unavailable_page(page)


class FailingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("server closed the connection unexpectedly")


def test_other_errors_are_still_the_500_page(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.pfcc.test_unavailable.BrokenMiddleware"]
    page = Client(raise_request_exception=False).get(reverse("public-home"))
    assert page.status_code == 500
    assert "Sorry, there is a problem with the service" in page.content.decode()


class BrokenMiddleware(FailingMiddleware):
    def __call__(self, request):
        raise ValueError("a bug")


def test_a_request_past_its_time_budget_stops_at_its_next_query(client, settings):
    settings.REQUEST_TIME_BUDGET = -1
    assert_unavailable_page(client.get(reverse("public-home")))


def test_a_request_within_its_budget_is_served(client):
    assert client.get(reverse("public-home")).status_code == 200
