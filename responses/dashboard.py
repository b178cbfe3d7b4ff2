"""What is due and what is late: the panels, compliance figures and timeline of the dashboard.

Pure functions of `today`, the office settings and the filters (service, owner), each panel one
database query. Deadlines are found in the database through the publication-date windows of
inspections.deadlines, so the date rules stay in one place.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse

from inspections import deadlines, services, tracking
from inspections.models import Finding, Inspection, OfficeSettings
from inspections.services import ServiceRules
from responses.models import Publication, Response, Status


@dataclass(frozen=True)
class Filters:
    service: str = ""
    owner: object | None = None


@dataclass(frozen=True)
class Row:
    """One deadline on a panel: a response's, or a finding's target."""

    inspection: Inspection
    due_on: datetime.date | None
    clock: deadlines.ClockStatus | None
    owner_name: str
    status: str
    finding: Finding | None = None
    url: str = ""


@dataclass(frozen=True)
class PanelSpec:
    key: str
    title: str
    description: str
    about: str  # "responses", "copies" or "findings"


PANELS = [
    PanelSpec(
        "overdue", "Overdue responses", "Past their deadline and not yet published.", "responses"
    ),
    PanelSpec("due-7", "Due within 7 days", "Deadline today or in the next 7 days.", "responses"),
    PanelSpec("due-14", "Due in 8 to 14 days", "Deadline 8 to 14 days from today.", "responses"),
    PanelSpec("due-28", "Due in 15 to 28 days", "Deadline 15 to 28 days from today.", "responses"),
    PanelSpec("in-review", "Awaiting review", "Submitted for review.", "responses"),
    PanelSpec(
        "approved", "Approved but not published", "Approved, waiting to be published.", "responses"
    ),
    PanelSpec(
        "copies",
        "Published but copies not recorded",
        "Copies to HMICFRS and the Home Secretary (Police Act 1996 s.55(6)) not yet recorded.",
        "copies",
    ),
    PanelSpec(
        "force-waiting",
        "Waiting on the force",
        "The chief officer's comments asked for and not yet received.",
        "invitations",
    ),
    PanelSpec(
        "force-overdue",
        "Comments past their requested date",
        "The chief officer's comments not received by the date they were asked for.",
        "invitations",
    ),
    PanelSpec(
        "assurance",
        "Progress awaiting assurance",
        "The force's progress submitted for the office to accept or return.",
        "findings",
    ),
    PanelSpec(
        "disagree",
        "Force and office disagree",
        "The force says complete and the office has not assured it, or the office has assured "
        "it and HMICFRS still has it open.",
        "findings",
    ),
    PanelSpec(
        "findings-overdue",
        "Recommendations past their due date",
        "Outstanding findings whose current target has passed.",
        "findings",
    ),
    PanelSpec(
        "findings-due-30",
        "Recommendations due in the next 30 days",
        "Outstanding findings with a current target in the next 30 days.",
        "findings",
    ),
]
PANELS_BY_KEY = {spec.key: spec for spec in PANELS}
# (first, last) days from today of each deadline band; None is open-ended.
RESPONSE_BANDS = {"overdue": (None, -1), "due-7": (0, 7), "due-14": (8, 14), "due-28": (15, 28)}
RESPONSE_STATUSES = {"in-review": Status.IN_REVIEW, "approved": Status.APPROVED}
FINDING_DAYS = 30
TIMELINE_DAYS = 90


@dataclass
class Panel:
    spec: PanelSpec
    rows: list[Row] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)


def _shift(today: datetime.date, days: int | None) -> datetime.date | None:
    return None if days is None else today + datetime.timedelta(days=days)


def open_inspections():
    """Inspections whose response is not yet published (including those with no response yet)."""
    return Inspection.objects.exclude(response__status=Status.PUBLISHED).select_related(
        "response", "response__owner"
    )


def _open_inspections(filters: Filters):
    inspections = open_inspections()
    if filters.service:
        inspections = inspections.filter(service=filters.service)
    if filters.owner is not None:
        inspections = inspections.filter(response__owner=filters.owner)
    return inspections


def _response(inspection: Inspection) -> Response | None:
    try:
        return inspection.response
    except Response.DoesNotExist:
        return None


def _user_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _response_row(inspection: Inspection, today: datetime.date, office: OfficeSettings) -> Row:
    deadline = inspection.deadline(office)
    response = _response(inspection)
    return Row(
        inspection=inspection,
        due_on=deadline.last_day,
        clock=inspection.response_clock(on=today, office=office),
        owner_name=_user_name(response.owner if response else None),
        status=response.get_status_display() if response else "Not started",
        url=inspection.get_absolute_url(),
    )


def _finding_row(finding: Finding, today: datetime.date, *, positions: bool = False) -> Row:
    status = finding.get_assured_status_display()
    if positions:
        status = (
            f"Force: {finding.claimed_status_label}; office: {status}; "
            f"HMICFRS: {finding.hmicfrs_position_text}"
        )
    return Row(
        inspection=finding.inspection,
        due_on=finding.current_target,
        clock=tracking.target_state(finding, on=today),
        owner_name=finding.owner_name,
        status=status,
        finding=finding,
        url=finding.get_tracking_url(),
    )


def _sorted(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: (row.due_on or datetime.date.max, row.inspection.pk))


def _findings(filters: Filters):
    findings = (
        Finding.objects.tracked().outstanding().with_targets().select_related("inspection", "owner")
    )
    if filters.service:
        findings = findings.filter(inspection__service=filters.service)
    if filters.owner is not None:
        findings = findings.filter(owner=filters.owner)
    return findings


def response_panel_rows(
    key: str, *, today: datetime.date, office: OfficeSettings, filters: Filters
) -> list[Row]:
    inspections = _open_inspections(filters)
    if key in RESPONSE_BANDS:
        first, last = RESPONSE_BANDS[key]
        inspections = inspections.deadline_between(
            _shift(today, first), _shift(today, last), office=office
        )
    else:
        inspections = inspections.filter(response__status=RESPONSE_STATUSES[key])
    return _sorted([_response_row(inspection, today, office) for inspection in inspections])


def finding_panel_rows(key: str, *, today: datetime.date, filters: Filters) -> list[Row]:
    if key in ("assurance", "disagree"):
        # Whatever the assured status: these are about the force's and the office's positions.
        findings = Finding.objects.tracked().with_targets().with_claims()
        findings = findings.select_related("inspection", "owner", "superseded_by")
        if filters.service:
            findings = findings.filter(inspection__service=filters.service)
        if filters.owner is not None:
            findings = findings.filter(owner=filters.owner)
        if key == "assurance":
            findings = findings.awaiting_assurance()
        else:
            findings = findings.disagreeing()
        return _sorted([_finding_row(f, today, positions=True) for f in findings])
    findings = _findings(filters)
    if key == "findings-overdue":
        findings = findings.filter(current_target__lt=today)
    else:
        findings = findings.filter(
            current_target__gte=today, current_target__lte=_shift(today, FINDING_DAYS)
        )
    return _sorted([_finding_row(finding, today) for finding in findings])


def _copies_missing(publication: Publication) -> str:
    missing = [
        name
        for name, sent_on in (
            ("HMICFRS", publication.sent_to_hmicfrs_on),
            ("the Home Secretary", publication.sent_to_home_secretary_on),
        )
        if sent_on is None
    ]
    return "Not yet sent to " + " or ".join(missing)


def copies_panel_rows(*, filters: Filters) -> list[Row]:
    publications = Publication.objects.awaiting_onward_copies().select_related(
        "response__inspection", "response__owner"
    )
    if filters.service:
        publications = publications.filter(response__inspection__service=filters.service)
    if filters.owner is not None:
        publications = publications.filter(response__owner=filters.owner)
    rows = [
        Row(
            inspection=publication.response.inspection,
            due_on=publication.published_on,
            clock=None,
            owner_name=_user_name(publication.response.owner),
            status=f"Version {publication.version}: {_copies_missing(publication)}",
            url=reverse("response-publications", args=[publication.response_id]),
        )
        for publication in publications
    ]
    return _sorted(rows)


def invitation_panel_rows(key: str, *, today: datetime.date, filters: Filters) -> list[Row]:
    """Responses waiting on the chief officer's comments (the invitation records the dates in
    the response's own fields): still to come by the date asked, or past it."""
    responses = (
        Response.objects.exclude(status=Status.PUBLISHED)
        .filter(invitations__isnull=False, chief_constable_received_on__isnull=True)
        .distinct()
        .select_related("inspection", "owner")
    )
    if key == "force-waiting":
        responses = responses.filter(chief_constable_due_on__gte=today)
    else:
        responses = responses.filter(chief_constable_due_on__lt=today)
    if filters.service:
        responses = responses.filter(inspection__service=filters.service)
    if filters.owner is not None:
        responses = responses.filter(owner=filters.owner)
    rows = []
    for response in responses:
        rules = services.of(response.inspection)
        due = response.chief_constable_due_on
        rows.append(
            Row(
                inspection=response.inspection,
                due_on=due,
                clock=deadlines.clock_status(
                    deadlines.Deadline(due, statutory=False, basis="Requested date"),
                    report_published_on=response.inspection.published_on,
                    on=today,
                ),
                owner_name=_user_name(response.owner),
                status=rules.words("The chief constable's comments asked for ")
                + f"on {deadlines.in_words(response.chief_constable_requested_on)}",
                url=response.get_absolute_url() + "#chief-constable",
            )
        )
    return _sorted(rows)


def panel(key: str, *, today: datetime.date, office: OfficeSettings, filters: Filters) -> Panel:
    spec = PANELS_BY_KEY[key]
    if spec.about == "invitations":
        rows = invitation_panel_rows(key, today=today, filters=filters)
    elif spec.about == "findings":
        rows = finding_panel_rows(key, today=today, filters=filters)
    elif spec.about == "copies":
        rows = copies_panel_rows(filters=filters)
    else:
        rows = response_panel_rows(key, today=today, office=office, filters=filters)
    return Panel(spec, rows)


def panels(*, today: datetime.date, office: OfficeSettings, filters: Filters) -> list[Panel]:
    """Every panel, in the order the dashboard shows them: one query each."""
    return [panel(spec.key, today=today, office=office, filters=filters) for spec in PANELS]


# Compliance: published responses on time and late per financial year.


@dataclass(frozen=True)
class PublishedResponse:
    inspection: Inspection
    published_on: datetime.date
    clock: deadlines.ClockStatus
    days_taken: int
    year: str


@dataclass
class YearCompliance:
    year: str
    on_time: int = 0
    late: int = 0
    days_taken: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.on_time + self.late

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days_taken) if self.days_taken else None


def published_responses(
    *, office: OfficeSettings, filters: Filters, year: str = ""
) -> list[PublishedResponse]:
    """Responses published with a known date, each with its clock and financial year.

    The year is the financial year (April to March) in which the response was published.
    """
    responses = Response.objects.published().filter(published_on__isnull=False)
    responses = responses.select_related("inspection")
    if filters.service:
        responses = responses.filter(inspection__service=filters.service)
    if filters.owner is not None:
        responses = responses.filter(owner=filters.owner)
    result = []
    for response in responses.order_by("published_on", "pk"):
        inspection = response.inspection
        result.append(
            PublishedResponse(
                inspection=inspection,
                published_on=response.published_on,
                clock=deadlines.clock_status(
                    inspection.deadline(office),
                    report_published_on=inspection.published_on,
                    on=response.published_on,
                    response_published_on=response.published_on,
                ),
                days_taken=deadlines.day_number(inspection.published_on, response.published_on),
                year=deadlines.financial_year(response.published_on),
            )
        )
    return [item for item in result if not year or item.year == year]


def compliance(published: list[PublishedResponse]) -> list[YearCompliance]:
    years: dict[str, YearCompliance] = defaultdict(lambda: YearCompliance(""))
    for item in published:
        year = years[item.year]
        year.year = item.year
        if item.clock.state == deadlines.ClockState.LATE:
            year.late += 1
        else:
            year.on_time += 1
        year.days_taken.append(item.days_taken)
    return [years[key] for key in sorted(years)]


def overall_median(published: list[PublishedResponse]) -> float | None:
    return statistics.median([item.days_taken for item in published]) if published else None


# Charts, drawn on the server as SVG; every chart has a table of the same figures beside it.


@dataclass(frozen=True)
class Bar:
    year: str
    x: float
    width: float
    on_time_y: float
    on_time_height: float
    late_y: float
    late_height: float
    on_time: int
    late: int
    label_x: float


CHART_WIDTH, CHART_HEIGHT, CHART_BASE = 640, 240, 200


def compliance_bars(years: list[YearCompliance]) -> list[Bar]:
    """Stacked bars (on time below, late above) scaled to the busiest year."""
    if not years:
        return []
    most = max(year.total for year in years) or 1
    slot = (CHART_WIDTH - 60) / len(years)
    width = min(80.0, slot * 0.6)
    scale = (CHART_BASE - 30) / most
    bars = []
    for index, year in enumerate(years):
        x = 50 + index * slot + (slot - width) / 2
        on_time_height = year.on_time * scale
        late_height = year.late * scale
        bars.append(
            Bar(
                year=year.year,
                x=round(x, 1),
                width=round(width, 1),
                on_time_y=round(CHART_BASE - on_time_height, 1),
                on_time_height=round(on_time_height, 1),
                late_y=round(CHART_BASE - on_time_height - late_height, 1),
                late_height=round(late_height, 1),
                on_time=year.on_time,
                late=year.late,
                label_x=round(x + width / 2, 1),
            )
        )
    return bars


@dataclass(frozen=True)
class ServiceCompliance:
    """One service's figures: police against the statutory 56 days, fire its local target."""

    rules: ServiceRules
    years: list[YearCompliance]
    bars: list[Bar]
    median_days: float | None


def compliance_by_service(published: list[PublishedResponse]) -> list[ServiceCompliance]:
    """The compliance figures of each service with published responses, police first."""
    result = []
    for rules in services.ALL:
        own = [item for item in published if item.inspection.service == rules.key]
        if own:
            years = compliance(own)
            result.append(
                ServiceCompliance(rules, years, compliance_bars(years), overall_median(own))
            )
    return result


@dataclass(frozen=True)
class TimelineMark:
    row: Row
    x: float
    lane_y: int
    days_left: int

    @property
    def due_soon(self) -> bool:
        """A response due within the week: the chart marks it in red and says so in words."""
        return self.row.finding is None and self.days_left <= deadlines.DUE_SOON_DAYS


TIMELINE_LEFT, TIMELINE_RIGHT, TIMELINE_AXIS = 20, 620, 30
TIMELINE_LANES = 4


def timeline(
    *, today: datetime.date, office: OfficeSettings, filters: Filters
) -> list[TimelineMark]:
    """Open response deadlines and finding targets in the next 90 days, placed on a day axis.

    Marks take lanes in turn so that labels of nearby dates do not overlap.
    """
    end = _shift(today, TIMELINE_DAYS)
    inspections = _open_inspections(filters).deadline_between(today, end, office=office)
    findings = _findings(filters).filter(current_target__gte=today, current_target__lte=end)
    rows = _sorted(
        [_response_row(inspection, today, office) for inspection in inspections]
        + [_finding_row(finding, today) for finding in findings]
    )
    span = TIMELINE_RIGHT - TIMELINE_LEFT
    marks = []
    for index, row in enumerate(rows):
        days_left = (row.due_on - today).days
        marks.append(
            TimelineMark(
                row=row,
                x=round(TIMELINE_LEFT + span * days_left / TIMELINE_DAYS, 1),
                lane_y=TIMELINE_AXIS + 22 * (1 + index % TIMELINE_LANES),
                days_left=days_left,
            )
        )
    return marks


def timeline_ticks(today: datetime.date) -> list[tuple[float, str]]:
    """Axis labels every 30 days."""
    span = TIMELINE_RIGHT - TIMELINE_LEFT
    return [
        (round(TIMELINE_LEFT + span * days / TIMELINE_DAYS, 1), f"{_shift(today, days):%-d %b}")
        for days in range(0, TIMELINE_DAYS + 1, 30)
    ]
