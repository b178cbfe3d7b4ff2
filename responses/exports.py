"""CSV and XLSX exports of inspections, findings with their tracking, and responses.

Rows come from querysets read with .iterator(), so a large export is never held in memory:
CSV streams line by line; XLSX is written by openpyxl's write-only mode to a temporary file
that is then streamed from disk.
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.http import Http404, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from inspections import deadlines, tracking
from inspections.models import Inspection, OfficeSettings, ProgressUpdate
from responses.dashboard import Filters
from responses.dashboard_forms import ExportFilterForm, FindingExportFilterForm
from responses.models import Response

CHUNK = 2000


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object]


@dataclass(frozen=True)
class Export:
    name: str
    columns: list[Column]
    rows: Iterable[object]
    # How many rows it will have (a COUNT query), to decide whether to build it in the background.
    count: Callable[[], int] = lambda: 0

    def values(self) -> Iterator[list[object]]:
        for row in self.rows:
            yield [column.value(row) for column in self.columns]


def _response(inspection: Inspection) -> Response | None:
    try:
        return inspection.response
    except Response.DoesNotExist:
        return None


def _filtered_inspections(filters: Filters, search: str):
    inspections = Inspection.objects.search(search).select_related("response", "response__owner")
    if filters.service:
        inspections = inspections.filter(service=filters.service)
    if filters.owner is not None:
        inspections = inspections.filter(response__owner=filters.owner)
    return inspections


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def inspections_export(*, filters: Filters, search: str = "") -> Export:
    inspections = _filtered_inspections(filters, search).annotate(finding_count=Count("findings"))
    columns = [
        Column("HMICFRS number", lambda i: i.hmicfrs_number),
        Column("Title", lambda i: i.title),
        Column("Type", lambda i: i.get_inspection_type_display()),
        Column("Service", lambda i: i.get_service_display()),
        Column("Our force or service inspected", lambda i: "Yes" if i.force_inspected else "No"),
        Column("Report published", lambda i: i.published_on),
        Column("Findings", lambda i: i.finding_count),
        Column("Response status", lambda i: _response_status(i)),
        Column("Link to the report", lambda i: i.report_url),
    ]
    return Export(
        "inspections",
        columns,
        inspections.order_by("-published_on", "pk").iterator(CHUNK),
        count=inspections.count,
    )


def _response_status(inspection: Inspection) -> str:
    response = _response(inspection)
    return response.get_status_display() if response else "Not started"


@dataclass(frozen=True)
class ResponseLine:
    inspection: Inspection
    response: Response | None
    deadline: deadlines.Deadline
    clock: deadlines.ClockStatus

    @property
    def days_taken(self) -> int | None:
        if self.response is None or self.response.published_on is None:
            return None
        return deadlines.day_number(self.inspection.published_on, self.response.published_on)


def _response_lines(inspections, *, office: OfficeSettings, today: datetime.date):
    for inspection in inspections:
        response = _response(inspection)
        clock = inspection.response_clock(on=today, office=office)
        yield ResponseLine(inspection, response, inspection.deadline(office), clock)


def responses_export(*, filters: Filters, today: datetime.date, search: str = "") -> Export:
    office = OfficeSettings.load()
    inspections = _filtered_inspections(filters, search).order_by("-published_on", "pk")
    columns = [
        Column("HMICFRS number", lambda r: r.inspection.hmicfrs_number),
        Column("Inspection", lambda r: r.inspection.title),
        Column("Service", lambda r: r.inspection.get_service_display()),
        Column("Report published", lambda r: r.inspection.published_on),
        Column("Deadline", lambda r: r.deadline.last_day),
        Column("Deadline kind", lambda r: r.deadline.label),
        Column("Response status", lambda r: _response_status(r.inspection)),
        Column("Owner", lambda r: _name(r.response.owner) if r.response else ""),
        Column("Response published", lambda r: r.response.published_on if r.response else None),
        Column("Days taken", lambda r: r.days_taken),
        Column("Standing", lambda r: r.clock.label),
        Column(
            "Financial year published",
            lambda r: deadlines.financial_year(r.response.published_on) if r.days_taken else "",
        ),
    ]
    lines = _response_lines(inspections.iterator(CHUNK), office=office, today=today)
    return Export("responses", columns, lines, count=inspections.count)


def findings_export(*, today: datetime.date, inspection=None, **filters) -> Export:
    """Findings with their tracking fields; filters as tracking.action_plan_findings takes.

    One query for each CHUNK findings (inspection and owner joined) and one for their progress
    updates, rather than a subquery for each finding and column.
    """
    updates = ProgressUpdate.objects.only("finding_id", "created_at", "text").order_by(
        "created_at", "pk"
    )
    findings = (
        tracking.action_plan_findings(on=today, inspection=inspection, **filters)
        .prefetch_related(None)
        .prefetch_related(Prefetch("progress_updates", queryset=updates, to_attr="updates"))
    )

    def state(finding) -> str:
        clock = tracking.target_state(finding, on=today)
        return clock.label if clock else ""

    def latest(finding):
        return finding.updates[-1] if finding.updates else None

    columns = [
        Column("Inspection HMICFRS number", lambda f: f.inspection.hmicfrs_number),
        Column("Inspection", lambda f: f.inspection.title),
        Column("Service", lambda f: f.inspection.get_service_display()),
        Column("Reference", lambda f: f.label),
        Column("Finding HMICFRS number", lambda f: f.hmicfrs_number),
        Column("Kind", lambda f: f.get_kind_display()),
        Column("Text", lambda f: f.text),
        Column("Addressee", lambda f: f.addressee),
        Column("Target set by HMICFRS", lambda f: f.due_date),
        Column("Timing as worded", lambda f: f.due_phrase),
        Column("Revised target", lambda f: f.revised_target),
        Column("Current target", lambda f: f.current_target),
        Column("Force's claimed status", lambda f: f.claimed_status_label),
        Column("Office-assured status", lambda f: f.get_assured_status_display()),
        Column("HMICFRS position", lambda f: f.get_hmicfrs_position_display()),
        Column("HMICFRS closed on", lambda f: f.hmicfrs_closed_on),
        Column("HMICFRS reference", lambda f: f.hmicfrs_reference),
        Column("Superseded by", lambda f: f.superseded_by.title if f.superseded_by else ""),
        Column("Standing", state),
        Column("Owner", lambda f: _name(f.owner)),
        Column("Owning team", lambda f: f.owner_team),
        Column("Progress updates", lambda f: len(f.updates)),
        Column("Latest update", lambda f: latest(f) and latest(f).created_at),
        Column("Latest update text", lambda f: latest(f).text if latest(f) else ""),
    ]
    return Export("findings", columns, findings.iterator(CHUNK), count=findings.count)


def build(kind: str, query: QueryDict, user) -> Export:
    """The export `kind` with the filters of `query`, as `user` asked for it. Filters are read
    and checked before anything is sent: a CSV streams, so a fault found once it has started
    would cut the download short after a 200."""
    today = deadlines.today()
    if kind == "findings":
        form = FindingExportFilterForm(query)
        filters = form.filters()
        if form.values["mine"]:
            filters["owner"] = user
        inspection_pk = form.values["inspection"]
        inspection = get_object_or_404(Inspection, pk=inspection_pk) if inspection_pk else None
        return findings_export(today=today, inspection=inspection, **filters)
    form = ExportFilterForm(query)
    filters = Filters(**form.filters(user))
    search = form.values["q"]
    if kind == "inspections":
        return inspections_export(filters=filters, search=search)
    if kind == "responses":
        return responses_export(filters=filters, today=today, search=search)
    raise Http404("No such export")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        return str(value)  # a number is never a formula, negative or not
    # Spreadsheet formula injection: a cell starting with one of these runs as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class _Echo:
    def write(self, value):
        return value


def csv_response(export: Export, filename: str) -> StreamingHttpResponse:
    """The one way the site writes CSV, staff exports and public open data alike."""
    response = StreamingHttpResponse(csv_lines(export), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_lines(export: Export) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # Excel reads UTF-8 only with a byte order mark.
    yield writer.writerow([column.header for column in export.columns])
    for values in export.values():
        yield writer.writerow([_cell_text(value) for value in values])


def _xlsx_value(sheet, value):
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write UK local time, as staff read it.
        cell = WriteOnlyCell(sheet, timezone.localtime(value).replace(tzinfo=None))
        cell.number_format = "d mmm yyyy hh:mm"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "d mmm yyyy"
        return cell
    if isinstance(value, str) and value[:1] == "=":
        return "'" + value
    return value


def xlsx_file(export: Export, progress: Callable[[int], None] = lambda rows: None):
    """Writes the export to a temporary XLSX file and returns it open at the start.
    `progress` is told the number of rows written so far, every CHUNK rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(export.name.capitalize())
    sheet.append([column.header for column in export.columns])
    for number, values in enumerate(export.values(), start=1):
        sheet.append([_xlsx_value(sheet, value) for value in values])
        if number % CHUNK == 0:
            progress(number)
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return handle


def csv_file(export: Export, progress: Callable[[int], None] = lambda rows: None):
    """The CSV download written to a temporary file, open at the start (for background exports)."""
    handle = tempfile.TemporaryFile(suffix=".csv")
    lines = csv_lines(export)
    handle.write(next(lines).encode())  # The byte order mark
    handle.write(next(lines).encode())  # The header
    for number, line in enumerate(lines, start=1):
        handle.write(line.encode())
        if number % CHUNK == 0:
            progress(number)
    handle.seek(0)
    return handle
