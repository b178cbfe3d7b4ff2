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

from django.db.models import Count, OuterRef, Subquery
from django.http import StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from inspections import deadlines, tracking
from inspections.models import Inspection, OfficeSettings, ProgressUpdate
from responses.dashboard import Filters
from responses.models import Response

CHUNK = 500


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object]


@dataclass(frozen=True)
class Export:
    name: str
    columns: list[Column]
    rows: Iterable[object]

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
        "inspections", columns, inspections.order_by("-published_on", "pk").iterator(CHUNK)
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
    return Export("responses", columns, lines)


def findings_export(*, today: datetime.date, inspection=None, **filters) -> Export:
    """Findings with their tracking fields; filters as tracking.action_plan_findings takes."""
    updates = ProgressUpdate.objects.filter(finding=OuterRef("pk"))
    findings = (
        tracking.action_plan_findings(on=today, inspection=inspection, **filters)
        .prefetch_related(None)
        .annotate(
            update_count=Subquery(
                updates.values("finding").annotate(n=Count("pk")).values("n")[:1]
            ),
            last_update_on=Subquery(updates.order_by("-created_at").values("created_at")[:1]),
            last_update_text=Subquery(updates.order_by("-created_at").values("text")[:1]),
        )
    )

    def state(finding) -> str:
        clock = tracking.target_state(finding, on=today)
        return clock.label if clock else ""

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
        Column("Progress updates", lambda f: f.update_count or 0),
        Column("Latest update", lambda f: f.last_update_on),
        Column("Latest update text", lambda f: f.last_update_text or ""),
    ]
    return Export("findings", columns, findings.iterator(CHUNK))


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


def xlsx_file(export: Export):
    """Writes the export to a temporary XLSX file and returns it open at the start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(export.name.capitalize())
    sheet.append([column.header for column in export.columns])
    for values in export.values():
        sheet.append([_xlsx_value(sheet, value) for value in values])
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return handle
