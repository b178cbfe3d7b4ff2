"""The public record of timeliness: days from report to response, and the share on time by year.

Counted from first publications only: an amendment does not restart the statutory clock. Years
are those in which HMICFRS published the report, so a year's figure settles once its responses
are all out. Statements imported without a recorded date are listed but not counted: whether
they were on time is not known; nor are responses with no deadline to be on time for.

Police responses (the statutory 56 days) and fire responses (the office's own target) are
different duties, so each service has its own part of the record (inspections.services).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse

from inspections import services
from inspections.services import ServiceRules
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
        if not publication.date_recorded or publication.deadline_last_day is None:
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


@dataclass(frozen=True)
class ServiceRecord:
    """One service's part of the record: its responses, and its figures by year."""

    rules: ServiceRules
    publications: list[Publication]
    shares: list[YearShare]
    bars: list[Bar]
    chart_width: int

    @property
    def undated(self) -> int:
        return sum(not publication.date_recorded for publication in self.publications)


def by_service(publications) -> list[ServiceRecord]:
    """The record of each service that has published responses, police first."""
    records = []
    for rules in services.ALL:
        own = [publication for publication in publications if publication.service == rules.key]
        if own:
            shares = shares_by_year(own)
            records.append(
                ServiceRecord(rules, own, shares, chart_bars(shares), chart_width(shares))
            )
    return records


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
