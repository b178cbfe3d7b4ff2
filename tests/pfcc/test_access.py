"""The access matrix: every URL of the site (tests/catalogue.py) as every persona.

A persona the page lets in gets it: 200 for a page, and a post that is not refused for its
role. Anyone else signed in gets 403, and anonymous people are sent to sign in. Public pages
answer everyone. Each persona walks every page in one test, and all that is wrong is reported
together.
"""

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from tests.catalogue import ANONYMOUS, PAGES, PERSONAS, build_world, url_names

pytestmark = pytest.mark.django_db


def test_every_url_is_catalogued():
    assert url_names() - {page.name for page in PAGES} == set()


@pytest.fixture
def world(db):
    return build_world()


def _request(client, page, path):
    # A post is rolled back, so that each page sees the same world.
    with transaction.atomic():
        response = client.generic(page.method, path)
        if response.streaming:
            # Read to the end: the test client then closes it as a server would.
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response


def _problem(page, persona: str, response) -> str | None:
    status = response.status_code
    if persona in page.who:
        if page.method == "GET" and status != page.status:
            return f"expected {page.status}, got {status}"
        if page.method == "POST" and (status in (403, 404, 405) or status >= 500):
            return f"expected the post to be taken, got {status}"
        return None
    if persona == ANONYMOUS:
        login = reverse(settings.LOGIN_URL)
        if status != 302 or not response["Location"].startswith(login):
            return f"expected a redirect to sign in, got {status}"
        return None
    if status != 403:
        return f"expected 403, got {status}"
    return None


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reaches_exactly_its_pages(client, world, persona):
    problems = []
    for page in PAGES:
        # Again for each page: signing out is one of them.
        if persona != ANONYMOUS:
            client.force_login(world.users[persona])
        path = page.path(world)
        problem = _problem(page, persona, _request(client, page, path))
        if problem:
            problems.append(f"{page.method} {path} [{page}]: {problem}")
    assert problems == [], f"{persona}:\n" + "\n".join(problems)
