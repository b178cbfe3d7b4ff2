"""A member of the public, logged out: find a published response, read it, download its PDF.

Needs `npm ci && npm run build` first: live_server serves build/static through the finders.
"""

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Permission
from django.urls import reverse
from pypdf import PdfReader

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def publisher(make_user):
    # Transactional tests flush the role groups the migrations made: grant the permission itself.
    user = make_user("pat")
    user.user_permissions.add(Permission.objects.get(codename="publish_response"))
    return user


def test_a_reader_finds_reads_and_downloads_a_published_response(page, live_server, published_003):
    page.goto(live_server.url + reverse("public-home"))
    page.get_by_label("Search by title or text").fill("immigration")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Improving the response to organised immigration crime").click()

    # The one <h1> names the inspection; the office's heading is a caption above it.
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Improving the response to organised immigration crime"
    assert page.locator(".statement-caption").inner_text().startswith("Cumbria Police")
    assert page.get_by_text("Rec 09", exact=True).is_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this response as a PDF").click()
    download = download_info.value
    assert download.suggested_filename == "pfcc-response-31007-v1.pdf"
    reader = PdfReader(io.BytesIO(download.path().read_bytes()))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Improving the response to organised immigration crime" in text


def test_the_on_time_record_is_accessible(page, live_server, published_003):
    page.goto(live_server.url + reverse("public-on-time"))
    chart = page.get_by_role("figure", name=re.compile("^Police: responses published on time"))
    assert chart.is_visible()
    # Each bar says its figures in words: nothing is told by the bar alone.
    assert chart.get_by_role("listitem").first.inner_text().split("\n") == [
        "2025",
        "1 of 1 on time (100%)",
    ]
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
