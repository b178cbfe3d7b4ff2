"""What is due and what is late: the dashboard's figures, panels, timeline and compliance.

Pure functions of `today`, the office settings and the filters (service, owner). Whatever the
number of inspections, the database does the counting: every panel's count and every week of
the timeline in three queries (`count`), the first few rows of each panel in one query each,
compliance in two (responses.record.year_figures). The full list behind a panel is its queryset
(`panel_items`) a page at a time. Deadlines are found through the publication-date windows of
inspections.models.deadline_within, so the date rules stay in inspections/deadlines.py.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse

from inspections import deadlines, services, tracking
from inspections.models import (
    Finding,
    Inspection,
    OfficeSettings,
    assurance_awaited,
    deadline_within,
    disagreement,
)
from responses import charts, record
from responses.models import Invitation, Publication, Response, Status


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

    @property
    def what(self) -> str:
        """What the deadline is for, in words: "Response to ..." or "Rec 02 of ..."."""
        if self.finding is not None:
            return f"{self.finding.label} of {self.inspection.title}"
        return f"Response to {self.inspection.title}"


@dataclass(frozen=True)
class PanelSpec:
    key: str
    title: str
    description: str
    about: str  # "responses", "copies", "invitations" or "findings"
    # Its figure in the dashboard's summary, and the tab its panel is on ("" for a list that is
    # reached from the timeline only).
    figure: str = ""
    tab: str = ""


PANELS = [
    PanelSpec(
        "overdue",
        "Overdue responses",
        "Past their deadline and not yet published.",
        "responses",
        "Overdue",
        "due",
    ),
    PanelSpec(
        "due-7",
        "Responses due within 7 days",
        "Deadline today or in the next 7 days.",
        "responses",
        "Due within 7 days",
        "due",
    ),
    PanelSpec(
        "due-14",
        "Responses due in 8 to 14 days",
        "Deadline 8 to 14 days from today.",
        "responses",
        "Due in 8 to 14 days",
        "due",
    ),
    PanelSpec(
        "due-28",
        "Responses due in 15 to 28 days",
        "Deadline 15 to 28 days from today.",
        "responses",
        "Due in 15 to 28 days",
        "due",
    ),
    PanelSpec(
        "in-review",
        "Responses awaiting review",
        "Submitted for review.",
        "responses",
        "Awaiting review",
        "waiting",
    ),
    PanelSpec(
        "approved",
        "Responses approved but not published",
        "Approved, waiting to be published.",
        "responses",
        "Approved, not published",
        "waiting",
    ),
    PanelSpec(
        "copies",
        "Published but copies not recorded",
        "Copies to HMICFRS and the Home Secretary (Police Act 1996 s.55(6)) not yet recorded.",
        "copies",
        "Copies not recorded",
        "waiting",
    ),
    PanelSpec(
        "force-waiting",
        "Waiting on the force",
        "The chief officer's comments asked for (Police Act 1996 s.55(4)) and not yet received.",
        "invitations",
        tab="force",
    ),
    PanelSpec(
        "force-overdue",
        "Comments past their requested date",
        "The chief officer's comments not received by the date they were asked for.",
        "invitations",
        tab="force",
    ),
    PanelSpec(
        "assurance",
        "Progress awaiting assurance",
        "The force's progress submitted for the office to accept or return.",
        "findings",
        tab="force",
    ),
    PanelSpec(
        "disagree",
        "Force and office disagree",
        "The force says complete and the office has not assured it, or the office has assured "
        "it and HMICFRS still has it open.",
        "findings",
        tab="force",
    ),
    PanelSpec(
        "findings-overdue",
        "Recommendations past their due date",
        "Outstanding findings whose current target has passed.",
        "findings",
        "Overdue",
        "findings",
    ),
    PanelSpec(
        "findings-due-30",
        "Recommendations due in the next 30 days",
        "Outstanding findings with a current target in the next 30 days.",
        "findings",
        "Due within 30 days",
        "findings",
    ),
    PanelSpec(
        "due-90",
        "Responses due in the next 90 days",
        "Deadline today or in the next 90 days.",
        "responses",
    ),
    PanelSpec(
        "findings-due-90",
        "Recommendations due in the next 90 days",
        "Outstanding findings with a current target today or in the next 90 days.",
        "findings",
    ),
]
PANELS_BY_KEY = {spec.key: spec for spec in PANELS}
# (first, last) days from today of each deadline band; None is open-ended.
RESPONSE_BANDS = {
    "overdue": (None, -1),
    "due-7": (0, 7),
    "due-14": (8, 14),
    "due-28": (15, 28),
    "due-90": (0, 90),
}
RESPONSE_STATUSES = {"in-review": Status.IN_REVIEW, "approved": Status.APPROVED}
FINDING_BANDS = {
    "findings-overdue": (None, -1),
    "findings-due-30": (0, 30),
    "findings-due-90": (0, 90),
}
# Panels about where the force's, the office's and HMICFRS's positions stand, whatever the
# office's assured status (so not only outstanding findings).
POSITIONS = {"assurance": assurance_awaited, "disagree": disagreement}
# Rows of each panel on the dashboard, and of a panel's list per page.
PREVIEW = 5
PAGE_SIZE = 25
TIMELINE_DAYS = 90
TIMELINE_WEEKS = 13  # days 0-6, 7-13, ... 84-90
TIMELINE_ITEMS = 8  # the next deadlines named under their weeks
TIMELINE_LEGEND = [("response", "Response deadlines"), ("finding", "Recommendation targets")]


def _shift(today: datetime.date, days: int | None) -> datetime.date | None:
    return None if days is None else today + datetime.timedelta(days=days)


def _alias(key: str) -> str:
    return key.replace("-", "_")


def applies(spec: PanelSpec, filters: Filters) -> bool:
    """Whether a panel can hold anything for the chosen service: onward copies are owed for
    police reports only (s.55(6)), so a fire-only dashboard has no such panel."""
    if spec.about == "copies" and filters.service:
        return services.for_service(filters.service).onward_copies
    return True


# --- What each panel holds ---


def open_inspections():
    """Inspections whose response is not yet published (including those with no response yet)."""
    return Inspection.objects.exclude(response__status=Status.PUBLISHED).select_related(
        "response", "response__owner"
    )


def _filtered(records, filters: Filters, *, service: str, owner: str):
    """`records` of the filters' service and owner, found through the fields named."""
    if filters.service:
        records = records.filter(**{service: filters.service})
    if filters.owner is not None:
        records = records.filter(**{owner: filters.owner})
    return records


def _open_inspections(filters: Filters):
    return _filtered(open_inspections(), filters, service="service", owner="response__owner")


def _findings(filters: Filters):
    findings = Finding.objects.tracked().outstanding().select_related("inspection", "owner")
    return _filtered(findings, filters, service="inspection__service", owner="owner")


def _positions(filters: Filters):
    findings = Finding.objects.tracked().with_claims()
    findings = findings.select_related("inspection", "owner", "superseded_by")
    return _filtered(findings, filters, service="inspection__service", owner="owner")


def _invited(filters: Filters):
    """Responses not yet published whose chief officer was invited to comment and has not yet
    (the invitation records its dates in the response's own fields)."""
    invited = Invitation.objects.filter(response=OuterRef("pk"))
    responses = (
        Response.objects.exclude(status=Status.PUBLISHED)
        .filter(Exists(invited), chief_constable_received_on__isnull=True)
        .select_related("inspection", "owner")
    )
    return _filtered(responses, filters, service="inspection__service", owner="owner")


def _invitation_condition(key: str, *, today: datetime.date) -> Q:
    if key == "force-waiting":
        return Q(chief_constable_due_on__gte=today)
    return Q(chief_constable_due_on__lt=today)


def _copies(filters: Filters):
    publications = Publication.objects.awaiting_onward_copies().select_related(
        "response__inspection", "response__owner"
    )
    return _filtered(publications, filters, service="service", owner="response__owner")


def _response_condition(key: str, *, today: datetime.date, office: OfficeSettings) -> Q:
    if key in RESPONSE_BANDS:
        first, last = RESPONSE_BANDS[key]
        return deadline_within(_shift(today, first), _shift(today, last), office=office)
    return Q(response__status=RESPONSE_STATUSES[key])


def _finding_condition(first: int | None, last: int, *, today: datetime.date) -> Q:
    condition = Q(current_target__lte=_shift(today, last))
    if first is not None:
        condition &= Q(current_target__gte=_shift(today, first))
    return condition


def _week(index: int) -> tuple[int, int]:
    """The first and last days from today of the timeline's week `index`."""
    return 7 * index, min(7 * index + 6, TIMELINE_DAYS)


def count(*, today: datetime.date, office: OfficeSettings, filters: Filters) -> dict[str, int]:
    """Every panel's count, and each timeline week's ("week-N-responses", "week-N-findings").

    Six queries whatever the size: the open inspections, the outstanding findings and the
    invited responses, each counted under every condition at once; the findings awaiting
    assurance and those whose positions disagree (a count each, as the force's claim is a
    subquery that an aggregate's filter cannot hold); the publications awaiting copies.
    """
    response_conditions = {
        key: _response_condition(key, today=today, office=office)
        for key in (*RESPONSE_BANDS, *RESPONSE_STATUSES)
    }
    finding_conditions = {
        key: _finding_condition(first, last, today=today)
        for key, (first, last) in FINDING_BANDS.items()
    }
    for index in range(TIMELINE_WEEKS):
        first, last = _week(index)
        response_conditions[f"week-{index}-responses"] = deadline_within(
            _shift(today, first), _shift(today, last), office=office
        )
        finding_conditions[f"week-{index}-findings"] = _finding_condition(first, last, today=today)
    # Every finding counted has a current target within the next 90 days at the latest: the
    # index on it finds them.
    findings = _findings(filters).filter(current_target__lte=_shift(today, TIMELINE_DAYS))
    counts = {}
    invitation_conditions = {
        key: _invitation_condition(key, today=today) for key in ("force-waiting", "force-overdue")
    }
    for queryset, conditions in (
        (_open_inspections(filters), response_conditions),
        (findings, finding_conditions),
        (_invited(filters), invitation_conditions),
    ):
        totals = queryset.aggregate(
            **{_alias(key): Count("pk", filter=condition) for key, condition in conditions.items()}
        )
        counts |= {key: totals[_alias(key)] for key in conditions}
    for key, condition in POSITIONS.items():
        counts[key] = _positions(filters).filter(condition()).count()
    counts["copies"] = _copies(filters).count()
    return counts


def panel_items(key: str, *, today: datetime.date, office: OfficeSettings, filters: Filters):
    """The records of one panel, in the order they are listed (soonest deadline first), as a
    queryset: the dashboard takes its first rows, the panel's list a page at a time."""
    spec = PANELS_BY_KEY[key]
    if spec.about == "copies":
        return _copies(filters).order_by("published_on", "pk")
    if spec.about == "invitations":
        return (
            _invited(filters)
            .filter(_invitation_condition(key, today=today))
            .order_by("chief_constable_due_on", "pk")
        )
    if key in POSITIONS:
        return (
            _positions(filters)
            .with_targets()
            .filter(POSITIONS[key]())
            .order_by(F("current_target").asc(nulls_last=True), "inspection_id", "pk")
        )
    if spec.about == "findings":
        first, last = FINDING_BANDS[key]
        return (
            _findings(filters)
            .with_targets()
            .filter(_finding_condition(first, last, today=today))
            .order_by(F("current_target").asc(nulls_last=True), "inspection_id", "pk")
        )
    return (
        _open_inspections(filters)
        .filter(_response_condition(key, today=today, office=office))
        .order_by(F("deadline_on").asc(nulls_last=True), "pk")
    )


def _user_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _response(inspection: Inspection) -> Response | None:
    try:
        return inspection.response
    except Response.DoesNotExist:
        return None


def _response_row(inspection: Inspection, today: datetime.date, office: OfficeSettings) -> Row:
    response = _response(inspection)
    return Row(
        inspection=inspection,
        due_on=inspection.deadline(office).last_day,
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


def _copies_row(publication: Publication) -> Row:
    return Row(
        inspection=publication.response.inspection,
        due_on=publication.published_on,
        clock=None,
        owner_name=_user_name(publication.response.owner),
        status=f"Version {publication.version}: {_copies_missing(publication)}",
        url=reverse("response-publications", args=[publication.response_id]),
    )


def _invitation_row(response: Response, today: datetime.date) -> Row:
    due = response.chief_constable_due_on
    asked = services.of(response.inspection).words("The chief constable's comments asked for")
    return Row(
        inspection=response.inspection,
        due_on=due,
        clock=deadlines.clock_status(
            deadlines.Deadline(due, statutory=False, basis="Requested date"),
            report_published_on=response.inspection.published_on,
            on=today,
        ),
        owner_name=_user_name(response.owner),
        status=f"{asked} on {deadlines.in_words(response.chief_constable_requested_on)}",
        url=response.get_absolute_url() + "#chief-constable",
    )


def panel_rows(key: str, items, *, today: datetime.date, office: OfficeSettings) -> list[Row]:
    """The rows of `items` (some of panel_items(key)) as the panel shows them."""
    about = PANELS_BY_KEY[key].about
    if about == "copies":
        return [_copies_row(publication) for publication in items]
    if about == "invitations":
        return [_invitation_row(response, today) for response in items]
    if about == "findings":
        return [_finding_row(finding, today, positions=key in POSITIONS) for finding in items]
    return [_response_row(inspection, today, office) for inspection in items]


@dataclass(frozen=True)
class Panel:
    spec: PanelSpec
    count: int
    rows: list[Row]  # the first PREVIEW

    @property
    def more(self) -> int:
        """How many more the panel's list holds than the dashboard shows."""
        return self.count - len(self.rows)


def panels(
    *, today: datetime.date, office: OfficeSettings, filters: Filters, counts: dict[str, int]
) -> list[Panel]:
    """The dashboard's panels (those on a tab), each with its first rows: a query each."""
    return [
        Panel(
            spec,
            counts[spec.key],
            panel_rows(
                spec.key,
                panel_items(spec.key, today=today, office=office, filters=filters)[:PREVIEW],
                today=today,
                office=office,
            ),
        )
        for spec in PANELS
        if spec.tab and applies(spec, filters)
    ]


# --- The next 90 days, week by week ---


@dataclass(frozen=True)
class Week:
    first: datetime.date
    last: datetime.date
    responses: int
    findings: int
    rows: list[Row]  # the deadlines of the week among the next TIMELINE_ITEMS

    @property
    def label(self) -> str:
        if self.first.month == self.last.month:
            return f"{self.first:%-d} to {self.last:%-d %b}"
        return f"{self.first:%-d %b} to {self.last:%-d %b}"

    @property
    def words(self) -> str:
        parts = []
        if self.responses:
            parts.append(f"{self.responses} response{'s' if self.responses != 1 else ''}")
        if self.findings:
            parts.append(f"{self.findings} recommendation{'s' if self.findings != 1 else ''}")
        return ", ".join(parts) or "Nothing due"

    def chart_row(self, busiest: int) -> charts.Row:
        """The week's bar, scaled to the busiest week so that weeks compare."""
        parts = [("response", self.responses), ("finding", self.findings)]
        return charts.row(self.label, parts, whole=busiest, words=self.words)


def timeline(
    *, today: datetime.date, office: OfficeSettings, filters: Filters, counts: dict[str, int]
) -> list[Week]:
    """The next 90 days week by week, counted (see `count`), with the next few deadlines
    named under their weeks: two queries, the first responses and findings due."""
    upcoming = panel_rows(
        "due-90",
        panel_items("due-90", today=today, office=office, filters=filters)[:TIMELINE_ITEMS],
        today=today,
        office=office,
    ) + panel_rows(
        "findings-due-90",
        panel_items("findings-due-90", today=today, office=office, filters=filters)[
            :TIMELINE_ITEMS
        ],
        today=today,
        office=office,
    )
    upcoming.sort(key=lambda row: (row.due_on, row.finding is not None, row.inspection.pk))
    upcoming = upcoming[:TIMELINE_ITEMS]
    weeks = []
    for index in range(TIMELINE_WEEKS):
        first, last = _week(index)
        weeks.append(
            Week(
                _shift(today, first),
                _shift(today, last),
                counts[f"week-{index}-responses"],
                counts[f"week-{index}-findings"],
                [row for row in upcoming if first <= (row.due_on - today).days <= last],
            )
        )
    return weeks


def timeline_rows(weeks: list[Week]) -> list[tuple[Week, charts.Row]]:
    busiest = max((week.responses + week.findings for week in weeks), default=0)
    return [(week, week.chart_row(busiest)) for week in weeks]


# --- Published on time: per financial year published, counted in the database ---


def published(filters: Filters):
    """First publications with a known date (the statutory clock stops at the first)."""
    publications = Publication.objects.first_versions().filter(published_on__isnull=False)
    return _filtered(publications, filters, service="service", owner="response__owner")


def compliance(filters: Filters) -> list[record.ServiceFigures]:
    """Each service's responses on time and late, and median days taken, per financial year
    published: police against the statutory 56 days, fire against the local target."""
    return record.year_figures(
        published(filters),
        year=deadlines.financial_year_start("published_on"),
        label=deadlines.financial_year_label,
    )


def published_in(year: str, filters: Filters):
    """The first publications of one financial year ("2025-26"; every year if empty), in the
    order they were published."""
    publications = published(filters).select_related("response__inspection")
    if year:
        first, last = deadlines.financial_year_bounds(year)
        publications = publications.filter(published_on__range=(first, last))
    return publications.order_by("published_on", "pk")
