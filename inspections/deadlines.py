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
from django.utils import timezone

STATUTORY_DAYS = 56
STATUTORY_BASIS = "Police Act 1996 s.55(5A): 56 days beginning with the day of publication"
DUE_SOON_DAYS = 7


def today() -> datetime.date:
    """Today's calendar date in Europe/London (the project's TIME_ZONE)."""
    return timezone.localdate()


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
    start = on.year if on.month >= 4 else on.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


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


def response_deadline(
    *, service: str, published_on: datetime.date, local_target_days: int | None
) -> Deadline:
    """The deadline for the commissioner's response to a report of `service` ("police"/"fire")."""
    if service == "police":
        return Deadline(
            last_day_of_period(published_on, STATUTORY_DAYS), statutory=True, basis=STATUTORY_BASIS
        )
    if local_target_days:
        return Deadline(
            last_day_of_period(published_on, local_target_days),
            statutory=False,
            basis=f"Local target of {local_target_days} days "
            "(fire reports have no statutory deadline)",
        )
    return Deadline(None, statutory=False, basis="No statutory deadline for fire reports")


def deadline_expression(local_target_days: int | None) -> models.Expression:
    """response_deadline's last day as a database expression, for sorting lists of reports.

    Fire reports with no local target have no deadline (NULL). Compare the result only with
    itself: databases differ in whether date arithmetic gives a date or a timestamp.
    """
    whens = [
        models.When(
            service="police",
            then=models.F("published_on") + datetime.timedelta(days=STATUTORY_DAYS - 1),
        )
    ]
    if local_target_days:
        whens.append(
            models.When(
                service="fire",
                then=models.F("published_on") + datetime.timedelta(days=local_target_days - 1),
            )
        )
    return models.Case(*whens, default=None, output_field=models.DateTimeField())


class ClockState(models.TextChoices):
    DUE = "due", "Due"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue"
    ON_TIME = "on_time", "Published on time"
    LATE = "late", "Published late"
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
) -> ClockStatus:
    """Where a response stands against its deadline on the date `on`."""
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
