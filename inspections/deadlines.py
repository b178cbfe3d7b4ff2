"""The statutory clock and every other date rule, in Europe/London calendar dates.

Police Act 1996 s.55(5A): the commissioner's comments must be published before the end of
the period of 56 days *beginning with* the day HMICFRS published the report. That day is
day 1, so the last day is publication + 55 days. Fire reports carry no statutory duty; the
office may set a local target, counted the same way and labelled as local.
"""

import calendar
import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models.functions import ExtractYear
from django.utils import timezone

from inspections import services

STATUTORY_DAYS = 56
STATUTORY_BASIS = "Police Act 1996 s.55(5A): 56 days beginning with the day of publication"
DUE_SOON_DAYS = 7


# The earliest publication date of a report the tracker records. HMIC has inspected forces
# since 1856, but an office records the reports it answers and acts on: police authorities
# have published comments on HMIC reports under Police Act 1996 s.55 since 1996, and the
# inspectorate's own archive of published reports (justiceinspectorates.gov.uk) reaches back
# to the 2000s. Anything earlier is far likelier a mistyped year (1025 for 2025) than a report,
# and would put "Overdue by 46299 days" on the dashboard.
EARLIEST_REPORT_DATE = datetime.date(2000, 1, 1)


def today() -> datetime.date:
    """Today's calendar date in Europe/London (the project's TIME_ZONE)."""
    return timezone.localdate()


def in_words(day: datetime.date) -> str:
    """A date as GOV.UK writes it: 16 May 2025."""
    return f"{day.day} {day:%B %Y}"


# What is wrong with a date a person gave, in GOV.UK's words, naming the field by `label`:
# None when nothing is. Models call these from clean(), so forms and the admin show them.


def not_after_today(day: datetime.date | None, *, label: str) -> str | None:
    if day is None or day <= today():
        return None
    return f"{label} must be today or in the past"


def not_before(
    day: datetime.date | None, earliest: datetime.date | None, *, label: str, what: str = ""
) -> str | None:
    """`what` names the earlier date ("the date the report was published")."""
    if day is None or earliest is None or day >= earliest:
        return None
    date = in_words(earliest)
    return f"{label} must be the same as or after {f'{what} ({date})' if what else date}"


def report_date_problem(published_on: datetime.date | None, *, label: str) -> str | None:
    """A report's publication date: today at the latest, and no earlier than the tracker's
    first (EARLIEST_REPORT_DATE)."""
    return not_after_today(published_on, label=label) or not_before(
        published_on, EARLIEST_REPORT_DATE, label=label
    )


def last_day_of_period(first_day: datetime.date, days: int) -> datetime.date:
    """The last day of a period of `days` days that begins with (includes) `first_day`."""
    return first_day + datetime.timedelta(days=days - 1)


def day_number(first_day: datetime.date, on: datetime.date) -> int:
    """Which day of a period beginning with `first_day` the date `on` is (first_day is day 1)."""
    return (on - first_day).days + 1


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def after_period(start: datetime.date, *, days=0, weeks=0, months=0, years=0) -> datetime.date:
    """The date a relative period ("within six months") ends, counted from `start`.

    Month arithmetic clamps to the month's end: 31 August + 6 months is 28 (or 29) February.
    """
    return start + relativedelta(days=days, weeks=weeks, months=months, years=years)


def financial_year(on: datetime.date) -> str:
    """The UK public-sector financial year (April to March) holding `on`, as "2025-26"."""
    return financial_year_label(on.year if on.month >= 4 else on.year - 1)


def financial_year_label(start: int) -> str:
    """The financial year beginning in April of `start`, as "2025-26"."""
    return f"{start}-{(start + 1) % 100:02d}"


def financial_year_bounds(label: str) -> tuple[datetime.date, datetime.date]:
    """The first and last days of the financial year written as "2025-26"; ValueError if the
    label is not one."""
    start = int(label[:4])
    if financial_year_label(start) != label:
        raise ValueError(f"{label!r} is not a financial year written like 2025-26.")
    return datetime.date(start, 4, 1), datetime.date(start + 1, 3, 31)


def financial_year_start(date_field: str) -> models.Expression:
    """financial_year's first calendar year as a database expression, for grouping by year."""
    year = ExtractYear(date_field)
    return models.Case(
        models.When(**{f"{date_field}__month__lt": 4}, then=year - 1),
        default=year,
        output_field=models.IntegerField(),
    )


@dataclass(frozen=True)
class Deadline:
    """The last day to publish a response, and what that day rests on."""

    last_day: datetime.date | None
    statutory: bool
    basis: str

    @property
    def label(self) -> str:
        if self.last_day is None:
            return "No deadline"
        return "Statutory deadline" if self.statutory else "Local target"


def _response_period_days(service: str, local_target_days: int | None) -> int | None:
    if services.for_service(service).statutory_deadline:
        return STATUTORY_DAYS
    return local_target_days or None


def publication_window(
    *,
    service: str,
    local_target_days: int | None,
    first_deadline: datetime.date | None,
    last_deadline: datetime.date | None,
) -> tuple[datetime.date | None, datetime.date | None] | None:
    """The report publication dates whose response deadline falls in [first, last] (inclusive).

    Lets a database query find responses due in a window by filtering on the stored
    publication date. None for an open bound; None overall when the service has no deadline.
    """
    days = _response_period_days(service, local_target_days)
    if days is None:
        return None
    shift = datetime.timedelta(days=days - 1)
    return (
        first_deadline - shift if first_deadline else None,
        last_deadline - shift if last_deadline else None,
    )


def response_deadline(
    *, service: str, published_on: datetime.date, local_target_days: int | None
) -> Deadline:
    """The deadline for the commissioner's response to a report of `service` ("police"/"fire")."""
    days = _response_period_days(service, local_target_days)
    if services.for_service(service).statutory_deadline:
        return Deadline(
            last_day_of_period(published_on, days), statutory=True, basis=STATUTORY_BASIS
        )
    if days:
        return Deadline(
            last_day_of_period(published_on, days),
            statutory=False,
            basis=f"Local target of {days} days (fire reports have no statutory deadline)",
        )
    return Deadline(None, statutory=False, basis="No statutory deadline for fire reports")


class AddDays(models.Func):
    """A date `days` days after the date `expression`, as a date on every database."""

    output_field = models.DateField()

    def __init__(self, expression, days: int):
        super().__init__(expression, models.Value(days))

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ")

    def as_sqlite(self, compiler, connection, **extra):
        # date(d, '+n days'): SQLite keeps dates as ISO text.
        (date_sql, date_params), (days_sql, days_params) = (
            compiler.compile(e) for e in self.source_expressions
        )
        return f"date({date_sql}, {days_sql} || ' days')", [*date_params, *days_params]


def deadline_expression(local_target_days: int | None) -> models.Expression:
    """response_deadline's last day as a database expression of an inspection's service and
    publication date: what Inspection.deadline_on stores. NULL for fire reports with no local
    target."""
    whens = [
        models.When(service=rules.key, then=AddDays("published_on", days - 1))
        for rules in services.ALL
        if (days := _response_period_days(rules.key, local_target_days))
    ]
    return models.Case(*whens, default=None, output_field=models.DateField())


class ClockState(models.TextChoices):
    DUE = "due", "Due"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue"
    ON_TIME = "on_time", "Published on time"
    LATE = "late", "Published late"
    # A statement the office published before the tracker, its date not recorded.
    PUBLISHED_UNDATED = "published_undated", "Published before this site; date not recorded"
    NO_DEADLINE = "no_deadline", "No deadline"


@dataclass(frozen=True)
class ClockStatus:
    state: ClockState
    # Days left (DUE), days overdue (OVERDUE), day taken (ON_TIME) or days late (LATE).
    days: int | None
    label: str
    # Red/amber/green in words, so colour is never the only signal.
    rag: str

    @property
    def is_open(self) -> bool:
        return self.state in (ClockState.DUE, ClockState.DUE_TODAY, ClockState.OVERDUE)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def clock_status(
    deadline: Deadline,
    *,
    report_published_on: datetime.date,
    on: datetime.date,
    response_published_on: datetime.date | None = None,
    published: bool = False,
) -> ClockStatus:
    """Where a response stands against its deadline on the date `on`.

    `published` with no `response_published_on`: the response is public but the date it was
    published is not known. Its clock has stopped; whether it was on time is not known.
    """
    if response_published_on is None and published:
        state = ClockState.PUBLISHED_UNDATED
        return ClockStatus(state, None, state.label, "Published")
    if response_published_on is not None:
        taken = day_number(report_published_on, response_published_on)
        if deadline.last_day is None or response_published_on <= deadline.last_day:
            return ClockStatus(
                ClockState.ON_TIME, taken, f"Published on time (day {taken})", "Published"
            )
        late = (response_published_on - deadline.last_day).days
        return ClockStatus(
            ClockState.LATE, late, f"Published late ({_plural(late, 'day')} late)", "Published late"
        )
    if deadline.last_day is None:
        return ClockStatus(ClockState.NO_DEADLINE, None, "No deadline", "No deadline")
    left = (deadline.last_day - on).days
    if left < 0:
        return ClockStatus(
            ClockState.OVERDUE, -left, f"Overdue by {_plural(-left, 'day')}", "Overdue"
        )
    if left == 0:
        return ClockStatus(ClockState.DUE_TODAY, 0, "Due today", "Due within 7 days")
    rag = "Due within 7 days" if left <= DUE_SOON_DAYS else "On track"
    return ClockStatus(ClockState.DUE, left, f"Due in {_plural(left, 'day')}", rag)


DEFAULT_REMINDER_OFFSETS = (28, 14, 7, 1)


def parse_reminder_offsets(text: str) -> tuple[int, ...]:
    """Reads the office's reminder offsets ("28,14,7,1"): whole days, largest first.

    Raises ValueError naming the problem, for the settings form to show.
    """
    parts = [part.strip() for part in text.split(",")]
    if not text.strip() or any(not part.isdigit() for part in parts):
        raise ValueError("Enter whole numbers of days separated by commas, like 28,14,7,1.")
    offsets = sorted({int(part) for part in parts}, reverse=True)
    if offsets[-1] < 1 or offsets[0] > 365:
        raise ValueError("Each reminder must be between 1 and 365 days before the deadline.")
    return tuple(offsets)


def reminder_offset_due(days_left: int, offsets: tuple[int, ...]) -> int | None:
    """Which reminder is due when `days_left` days remain: the tightest offset already reached.

    With offsets (28, 14, 7, 1) and 5 days left that is the 7-day reminder: a run that missed
    earlier windows sends one reminder, not a backlog. None before the first window or once due.
    """
    reached = [offset for offset in offsets if 0 <= days_left <= offset]
    return min(reached) if reached else None


def overdue_week(days_overdue: int) -> int:
    """The week of lateness a date falls in: days 1-7 overdue are week 1, days 8-14 week 2."""
    return (days_overdue - 1) // 7 + 1


@dataclass(frozen=True)
class CommentsWindow:
    """The dates the chief officer's comments may be asked for by (s.55(4)): from `earliest` to
    `latest`, `suggested` first. Always before the response's last day, so that the office can
    still answer them; `office_days` is how many days it wants for that."""

    earliest: datetime.date
    suggested: datetime.date
    latest: datetime.date | None
    last_day: datetime.date | None
    office_days: int

    def office_days_left(self, due_on: datetime.date) -> int | None:
        """The days from comments arriving on `due_on` to the response's last day."""
        return None if self.last_day is None else (self.last_day - due_on).days

    def leaves_too_few_days(self, due_on: datetime.date) -> bool:
        left = self.office_days_left(due_on)
        return left is not None and left < self.office_days

    def hint(self) -> str:
        """The window in words, for the form."""
        if self.latest is None:
            return f"{in_words(self.earliest)} or later."
        text = f"Between {in_words(self.earliest)} and {in_words(self.latest)}."
        keeps = self.last_day - datetime.timedelta(days=self.office_days)
        if keeps >= self.earliest:
            text += (
                f" {in_words(keeps)} at the latest leaves the office the {self.office_days} "
                "days it needs before the response's last day."
            )
        return text

    def problem(self, due_on: datetime.date, *, label: str) -> str | None:
        """What is wrong with asking for the comments by `due_on`, in GOV.UK's words."""
        if due_on < self.earliest:
            return f"{label} must be the same as or after {in_words(self.earliest)}"
        if self.latest is not None and due_on > self.latest:
            return (
                f"{label} must be before the response's last day ({in_words(self.last_day)}): "
                f"{in_words(self.latest)} at the latest"
            )
        return None


def comments_window(
    *,
    on: datetime.date,
    deadline: Deadline,
    default_days: int,
    min_days: int,
    office_days: int,
) -> CommentsWindow | None:
    """When the chief officer's comments, asked for on `on`, may be wanted by; None when the
    response's last day is today or past, so nothing can be asked for before it.

    The suggestion is `default_days` away, brought forward to leave the office `office_days`
    before the last day if it can; the force gets `min_days` at least, unless the last day
    comes sooner (then the day before it is the only choice)."""
    latest = deadline.last_day - datetime.timedelta(days=1) if deadline.last_day else None
    if latest is not None and latest <= on:
        return None
    earliest = on + datetime.timedelta(days=min_days)
    suggested = on + datetime.timedelta(days=default_days)
    if latest is not None:
        earliest = min(earliest, latest)
        leaves_office_time = deadline.last_day - datetime.timedelta(days=office_days)
        suggested = max(earliest, min(suggested, leaves_office_time, latest))
    else:
        suggested = max(earliest, suggested)
    return CommentsWindow(earliest, suggested, latest, deadline.last_day, office_days)
