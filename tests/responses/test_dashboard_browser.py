"""The dashboard and the on-time record in Chromium, on the demo data: the summary a manager
takes in without scrolling, on a laptop and on a phone (screenshots kept in test-artifacts/),
and charts whose words take the page's font, at 14 pixels or more, never overlapping, at every
width.

Needs `npm ci && npm run build` first: live_server serves build/static through the finders.
"""

import datetime
import itertools
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from inspections import deadlines
from inspections.models import Service
from responses.management.commands.load_demo import DEMO_PASSWORD
from responses.models import Status
from tests.factories import make_inspection, make_publication, make_response, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
WIDTHS = (320, 390, 768, 1280)

# Every piece of text in the visible charts: its boxes (one per line), size and font.
CHART_TEXT = """() => {
  const font = getComputedStyle(document.querySelector('h1')).fontFamily;
  const texts = [];
  for (const chart of document.querySelectorAll('.app-chart')) {
    if (!chart.getClientRects().length) continue;  // on a tab not shown
    const walker = document.createTreeWalker(chart, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode()); ) {
      const text = node.textContent.trim();
      if (!text) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const style = getComputedStyle(node.parentElement);
      texts.push({
        text,
        size: parseFloat(style.fontSize),
        font: style.fontFamily === font,
        boxes: [...range.getClientRects()].map(r => [r.left, r.top, r.right, r.bottom]),
      });
    }
  }
  return texts;
}"""


# The dashboard's tabs that hold a chart, and the name of each one's screenshot.
CHART_TABS = {"Next 90 days": "next-90-days", "On time": "on-time"}


def _save(page, name: str) -> None:
    """A picture of the whole page, kept in test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / name, full_page=True)


def _sign_in(page, live_server, username="manager"):
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + reverse("dashboard"))


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_summary_is_above_the_fold_on_a_laptop_and_a_phone(
    page, live_server, demo, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    _sign_in(page, live_server)
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"dashboard-{width}x{height}.png"
    page.screenshot(path=path)  # what shows without scrolling
    print(f"\nThe dashboard at {width} x {height}: {path}")

    summary = page.locator("#summary")
    box = summary.bounding_box()
    assert box["y"] + box["height"] <= height, f"the summary ends below the fold: {path}"
    assert summary.get_by_text("Most overdue").is_visible()
    figures = summary.locator("a.app-figure")
    assert figures.count() == 9
    for index in range(figures.count()):
        figure = figures.nth(index).bounding_box()
        assert figure["y"] + figure["height"] <= height


def _more_records():
    """Years of published responses, police and fire, on time and late, and a crowded
    fortnight of deadlines with long titles: text enough for the charts' words to collide if
    they could."""
    publisher = staff_member("chart-publisher", "Publisher")
    for service, year, (n, days) in itertools.product(
        Service, range(2019, 2026), enumerate((20, 56, 70))
    ):
        inspection = make_inspection(
            title=f"{service.label} report {n} of {year}",
            published_on=datetime.date(year, 6, 1),
            service=service,
        )
        response_on = inspection.published_on + datetime.timedelta(days=days - 1)
        response = make_response(inspection, status=Status.PUBLISHED, published_on=response_on)
        late = days > 56
        make_publication(
            response,
            publisher,
            published_on=response_on,
            late=late,
            days_late=days - 56 if late else None,
            late_reason="Awaiting the chief constable." if late else "",
        )
    today = deadlines.today()
    for n in range(12):
        make_response(
            make_inspection(
                title=f"A very long title of an inspection of the police response number {n}",
                published_on=today + datetime.timedelta(days=n % 9 - 50),
            )
        )


def _overlaps(texts) -> list[str]:
    boxes = [(text["text"], box) for text in texts for box in text["boxes"]]
    found = []
    for i, (first, a) in enumerate(boxes):
        for second, b in boxes[i + 1 :]:
            across = min(a[2], b[2]) - max(a[0], b[0])
            down = min(a[3], b[3]) - max(a[1], b[1])
            if across > 0.5 and down > 0.5:
                found.append(f"{first!r} overlaps {second!r}")
    return found


def _chart_problems(page, where: str) -> tuple[int, list[str]]:
    texts = page.evaluate(CHART_TEXT)
    problems = [f"{where}: {text}" for text in _overlaps(texts)]
    for text in texts:
        if text["size"] < 14:
            problems.append(f"{where}: {text['text']!r} is {text['size']} px")
        if not text["font"]:
            problems.append(f"{where}: {text['text']!r} is not in the page's font")
    return len(texts), problems


def test_chart_text_never_overlaps_and_reads_at_every_width(page, live_server, demo):
    _more_records()
    _sign_in(page, live_server)
    problems, seen = [], {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + reverse("dashboard"))
        page.wait_for_load_state("networkidle")
        tabs = page.locator("a.govuk-tabs__tab")
        # Wide enough for tabs, each chart is on its own tab; narrower, they are all shown.
        tabbed = not page.locator(".govuk-tabs__panel").last.is_visible()
        if not tabbed:
            _save(page, f"dashboard-{width}px.png")
        for tab in [tabs.nth(i) for i in range(tabs.count())] if tabbed else [None]:
            if tab is not None:
                tab.click()
            where = f"dashboard at {width}px" + (f", {tab.inner_text()}" if tab else "")
            count, found = _chart_problems(page, where)
            seen[where] = count
            problems += found
            if tab is not None and tab.inner_text() in CHART_TABS:
                _save(page, f"dashboard-{CHART_TABS[tab.inner_text()]}-{width}px.png")
        page.goto(live_server.url + reverse("public-on-time"))
        _save(page, f"on-time-{width}px.png")
        count, found = _chart_problems(page, f"on-time record at {width}px")
        seen[f"on-time record at {width}px"] = count
        problems += found
    assert problems == [], "\n".join(problems)
    # The checks saw the charts: the weeks of the timeline and seven years of the record, of
    # police and fire apart.
    assert seen["on-time record at 320px"] >= 2 * 7 * 2
    assert seen["dashboard at 320px"] >= 13 * 2 + 2 * 7 * 2
    assert seen["dashboard at 1280px, Next 90 days"] >= 13 * 2
    assert seen["dashboard at 1280px, On time"] >= 2 * 7 * 2
