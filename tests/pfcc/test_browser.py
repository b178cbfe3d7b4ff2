"""The compiled GOV.UK styles and scripts working in a real browser, and the pages passing axe.

Needs `npm ci && npm run build` first: live_server serves build/static through the finders.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(page, url):
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return problems


def _assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("url_name", ["login", "public-home"])
def test_public_pages_are_styled_scripted_and_accessible(page, live_server, url_name):
    problems = _open(page, live_server.url + reverse(url_name))

    assert problems == []
    header = page.locator(".govuk-generic-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    font = page.locator("h1").evaluate("e => getComputedStyle(e).fontFamily")
    assert "GDS Transport" not in font and "system-ui" in font
    # The inline script and init.mjs ran under the CSP.
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    _assert_accessible(page)


def test_a_failed_sign_in_focuses_the_error_summary_and_passes_axe(page, live_server, drafter):
    _open(page, live_server.url + reverse("login"))
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    assert summary.evaluate("e => e === document.activeElement")
    summary.get_by_role("link", name="Enter a correct username and password").click()
    assert page.evaluate("document.activeElement.id") == "id_username"
    _assert_accessible(page)


def test_staff_pages_are_accessible_with_the_navigation_open(page, live_server, drafter):
    _open(page, live_server.url + reverse("login"))
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + reverse("dashboard"))

    assert page.get_by_role("button", name="Sign out").is_visible()
    _assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 700})
    page.get_by_role("button", name="Menu").click()
    assert page.get_by_role("link", name="Inspections").is_visible()
    _assert_accessible(page)


def test_the_page_not_found_is_accessible(page, live_server):
    response = page.goto(live_server.url + "/no-such-page/")

    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    _assert_accessible(page)
