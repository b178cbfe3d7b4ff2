"""The public record of timeliness: days from report to response, and the share on time by year.

Counted from first publications only: an amendment does not restart the statutory clock. Years
are those in which HMICFRS published the report, so a year's figure settles once its responses
are all out. Statements imported without a recorded date are listed but not counted: whether
they were on time is not known.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse

from responses.models import Publication


@dataclass(frozen=True)
class YearShare:
    year: int
    published: int
    on_time: int

    @property
    def percent(self) -> int:
        return round(100 * self.on_time / self.published) if self.published else 0


@dataclass(frozen=True)
class Bar:
    share: YearShare
    x: int
    y: int
    height: int
    label_y: int


def first_publications():
    return (
        Publication.objects.first_versions()
        .select_related("response__inspection")
        .order_by("-report_published_on", "title")
    )


def shares_by_year(publications) -> list[YearShare]:
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for publication in publications:
        if not publication.date_recorded:
            continue
        entry = counts[publication.report_published_on.year]
        entry[0] += 1
        entry[1] += publication.on_time
    return [YearShare(year, total, on_time) for year, (total, on_time) in sorted(counts.items())]


# Chart geometry in SVG user units; the SVG scales to its container.
CHART_HEIGHT = 200
BAR_WIDTH = 60
BAR_GAP = 30
LEFT = 40


def chart_bars(shares: list[YearShare]) -> list[Bar]:
    bars = []
    for index, share in enumerate(shares):
        height = round(CHART_HEIGHT * share.percent / 100)
        x = LEFT + index * (BAR_WIDTH + BAR_GAP)
        y = CHART_HEIGHT - height
        bars.append(Bar(share, x, y, height, max(y - 6, 14)))
    return bars


def chart_width(shares: list[YearShare]) -> int:
    return LEFT + max(len(shares), 1) * (BAR_WIDTH + BAR_GAP)


def open_data_rows(request) -> list[dict]:
    """One row per published response: its dates, days taken and where to read it."""
    latest = {
        p.response_id: p
        for p in Publication.objects.latest_versions().select_related("response__inspection")
    }
    rows = []
    for first in first_publications():
        current = latest[first.response_id]
        public_id = first.response.inspection.public_id
        rows.append(
            {
                "hmicfrs_number": first.hmicfrs_number,
                "title": current.title,
                "service": first.service,
                "inspection_type": first.get_inspection_type_display(),
                "report_published_on": first.report_published_on.isoformat(),
                "deadline": first.deadline_last_day.isoformat()
                if first.deadline_last_day
                else None,
                # Empty (null) when the date of an imported statement is not recorded.
                "response_published_on": first.published_on.isoformat()
                if first.published_on
                else None,
                "days_taken": first.days_taken,
                "on_time": first.on_time,
                "days_late": (first.days_late or 0) if first.date_recorded else None,
                "latest_version": current.version,
                "url": request.build_absolute_uri(reverse("public-response", args=[public_id])),
                "pdf_url": request.build_absolute_uri(
                    reverse("public-pdf", args=[public_id, current.version])
                ),
                "pdf_sha256": current.pdf_sha256,
            }
        )
    return rows
