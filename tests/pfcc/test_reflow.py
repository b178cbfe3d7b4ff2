"""WCAG 2.2 reflow (1.4.10): at 320 CSS pixels wide no page scrolls sideways.

Every page of the catalogue (tests/catalogue.py) that answers a GET with HTML is loaded in
Chromium, 320 pixels wide, as one persona it lets in, on the world where every record exists
with every field set. Wide tables may scroll inside their own region (.app-table-scroll); the
page itself may not. A new URL is checked as soon as it is catalogued.
"""

import pytest
from django.conf import settings
from django.test import Client

from tests.catalogue import ANONYMOUS, PAGES, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Whose view of a page to load, when several may: the one shown the most.
PREFERENCE = ("publisher", "drafter", "reviewer", "administrator", "force", "outsider", ANONYMOUS)


def _persona(page) -> str:
    return next(persona for persona in PREFERENCE if persona in page.who)


def _sign_in(browser_page, live_server, world, persona: str) -> None:
    """Signs the browser in as `persona` with a session made by Django's test client."""
    context = browser_page.context
    context.clear_cookies()
    if persona == ANONYMOUS:
        return
    client = Client()
    client.force_login(world.users[persona])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def _is_html(world, persona: str, path: str) -> bool:
    client = Client()
    if persona != ANONYMOUS:
        client.force_login(world.users[persona])
    response = client.get(path)
    # A stored statement's HTML file is a download, not a page.
    download = response.get("Content-Disposition", "").startswith("attachment")
    html = response["Content-Type"].startswith("text/html")
    return html and not download and not response.streaming


def test_no_page_scrolls_sideways_at_320_pixels(page, live_server):
    world = build_world()
    page.set_viewport_size({"width": 320, "height": 640})
    checked, problems = [], []
    for entry in PAGES:
        if entry.method != "GET" or entry.status != 200:
            continue
        persona, path = _persona(entry), entry.path(world)
        if not _is_html(world, persona, path):
            continue
        _sign_in(page, live_server, world, persona)
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{path} as {persona}: HTTP {response.status}"
        page.wait_for_load_state("load")
        width, seen = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        checked.append(str(entry))
        if width > seen:
            # What sticks out, to say where to look.
            wide = page.evaluate(
                """seen => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > seen + 0.5)
                    .filter(e => !e.parentElement.closest('.app-table-scroll'))
                    .slice(0, 3)
                    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""",
                seen,
            )
            problems.append(f"{path} [{entry}] as {persona}: {width} px wide in {seen}: {wide}")
    assert len(checked) > 30, checked
    assert problems == [], "\n".join(problems)
