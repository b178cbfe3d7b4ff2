"""The public record of timeliness: days from report to response, and the share on time by year.

Counted from first publications only: an amendment does not restart the statutory clock. Years
are those in which HMICFRS published the report, so a year's figure settles once its responses
are all out (the dashboard counts the same way by the financial year published). Statements
imported without a recorded date are listed but not counted: whether they were on time is not
known; nor are responses with no deadline to be on time for. The database does the counting
(`year_figures`), so the page costs the same at any number of publications.

Police responses (the statutory 56 days) and fire responses (the office's own target) are
different duties, so each service has its own part of the record (inspections.services).
"""

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Expression, Q
from django.urls import reverse

from inspections import services
from inspections.services import ServiceRules
from responses import charts
from responses.models import Publication

# A response is counted in the figures when whether it was on time is known: its date is
# recorded and it had a deadline to meet.
COUNTED = Q(published_on__isnull=False, deadline_last_day__isnull=False)
# The parts of each year's bar (YearFigures.chart_row), for the chart's key.
LEGEND = [("on-time", "Published on time"), ("late", "Published late")]


@dataclass(frozen=True)
class YearFigures:
    label: str  # "2025", or a financial year "2025-26"
    counted: int
    on_time: int
    median_days: float | None  # days taken, the report's day being day 1

    @property
    def late(self) -> int:
        return self.counted - self.on_time

    @property
    def percent(self) -> int:
        return round(100 * self.on_time / self.counted) if self.counted else 0

    @property
    def chart_row(self) -> charts.Row:
        """On time and late as shares of the year, so years of any size compare at a glance."""
        return charts.row(
            self.label,
            [("on-time", self.on_time), ("late", self.late)],
            whole=self.counted,
            words=f"{self.on_time} of {self.counted} on time ({self.percent}%)",
        )


@dataclass(frozen=True)
class ServiceFigures:
    """One service's part of the record: police against the statutory 56 days, fire against
    the office's local target."""

    rules: ServiceRules
    years: list[YearFigures]
    published: int  # every first publication, counted in the figures or not
    undated: int  # published before the tracker, the date not recorded

    @property
    def chart_rows(self) -> list[charts.Row]:
        return [year.chart_row for year in self.years]


def _median(histogram: dict[int, int]) -> float | None:
    """The median of values counted as {value: how many}."""
    total = sum(histogram.values())
    if not total:
        return None
    middle, seen, values = [(total - 1) // 2, total // 2], 0, []
    for value in sorted(histogram):
        count = histogram[value]
        values += [value for position in middle if seen <= position < seen + count]
        seen += count
    return statistics.mean(values)


def year_figures(
    publications, *, year: Expression, label: Callable[[int], str] = str
) -> list[ServiceFigures]:
    """Each service's figures per year of `publications` (first versions), police first.

    `year` groups them (the report's calendar year, or the financial year published); `label`
    writes a year. Counted in the database, whatever the number of publications, in two
    queries: the counts grouped by service and year, and how many took each number of days
    (a few hundred rows at most, whatever the number), from which the median is read.
    """
    grouped = publications.annotate(year=year).order_by()
    counts = (
        grouped.values("service", "year")
        .annotate(
            published=Count("pk"),
            counted=Count("pk", filter=COUNTED),
            on_time=Count("pk", filter=COUNTED & Q(late=False)),
            undated=Count("pk", filter=Q(published_on__isnull=True)),
        )
        .order_by("service", "year")
    )
    days = (
        grouped.filter(COUNTED, days_taken__isnull=False)
        .values("service", "year", "days_taken")
        .annotate(responses=Count("pk"))
    )
    histograms = defaultdict(dict)
    for row in days:
        histograms[row["service"], row["year"]][row["days_taken"]] = row["responses"]
    by_service = defaultdict(list)
    for row in counts:
        by_service[row["service"]].append(row)
    result = []
    for rules in services.ALL:
        rows = by_service[rules.key]
        if not rows:
            continue
        years = [
            YearFigures(
                label(row["year"]),
                row["counted"],
                row["on_time"],
                _median(histograms[rules.key, row["year"]]),
            )
            for row in rows
            if row["counted"]
        ]
        result.append(
            ServiceFigures(
                rules,
                years,
                published=sum(row["published"] for row in rows),
                undated=sum(row["undated"] for row in rows),
            )
        )
    return result


def first_publications():
    return (
        Publication.objects.first_versions()
        .select_related("response__inspection")
        .order_by("-report_published_on", "title", "pk")
    )


def _deadline_kind(publication: Publication) -> str:
    if publication.deadline_last_day is None:
        return "none"
    return "statutory" if services.of(publication).statutory_deadline else "local target"


def _version_row(request, publication: Publication) -> dict:
    """One published version: its date and the checksums that prove a copy is the one published."""
    public_id = publication.response.inspection.public_id
    args = [public_id, publication.version]
    return {
        "hmicfrs_number": publication.hmicfrs_number,
        "title": publication.title,
        "version": publication.version,
        # Empty (null) when the date of an imported statement is not recorded.
        "published_on": publication.published_on.isoformat() if publication.published_on else None,
        "amendment_note": publication.amendment_note,
        "url": request.build_absolute_uri(reverse("public-response-version", args=args)),
        "pdf_url": request.build_absolute_uri(reverse("public-pdf", args=args)),
        "pdf_sha256": publication.pdf_sha256,
        "html_url": request.build_absolute_uri(reverse("public-html-file", args=args)),
        "html_sha256": publication.html_sha256,
    }


def open_data_versions(request) -> list[dict]:
    """Every published version of every response, oldest version first."""
    publications = (
        Publication.objects.listed()
        .select_related("response__inspection")
        .order_by("-report_published_on", "response_id", "version")
    )
    return [_version_row(request, publication) for publication in publications.iterator(2000)]


def open_data_rows(request, *, with_versions: bool = False) -> list[dict]:
    """One row per published response: its dates, days taken and where to read it; with
    `with_versions`, each row lists every version with its checksums (for JSON)."""
    versions: dict[int, list[dict]] = defaultdict(list)
    latest = {}
    every = Publication.objects.listed().select_related("response__inspection").order_by("version")
    for publication in every.iterator(2000):
        versions[publication.response_id].append(_version_row(request, publication))
        latest[publication.response_id] = publication
    rows = []
    for first in first_publications().defer("search_text").iterator(2000):
        current = latest[first.response_id]
        public_id = first.response.inspection.public_id
        row = {
            "hmicfrs_number": first.hmicfrs_number,
            "title": current.title,
            "service": first.service,
            "deadline_kind": _deadline_kind(first),
            "inspection_type": first.get_inspection_type_display(),
            "report_published_on": first.report_published_on.isoformat(),
            "deadline": first.deadline_last_day.isoformat() if first.deadline_last_day else None,
            # Empty (null) when the date of an imported statement is not recorded.
            "response_published_on": first.published_on.isoformat() if first.published_on else None,
            "days_taken": first.days_taken,
            "on_time": first.on_time,
            "days_late": (first.days_late or 0) if first.date_recorded else None,
            "latest_version": current.version,
            "url": request.build_absolute_uri(reverse("public-response", args=[public_id])),
            "pdf_url": request.build_absolute_uri(
                reverse("public-pdf", args=[public_id, current.version])
            ),
            "pdf_sha256": current.pdf_sha256,
            "html_sha256": current.html_sha256,
        }
        if with_versions:
            row["versions"] = versions[first.response_id]
        rows.append(row)
    return rows
