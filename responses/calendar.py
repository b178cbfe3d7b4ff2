"""Private iCalendar feeds of deadlines: a secret token in the URL stands in for signing in."""

import datetime
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from inspections import deadlines
from inspections.models import Finding, Inspection, OfficeSettings, TargetRevision
from responses.models import CalendarToken

MANAGER_PERMISSIONS = ("responses.review_response", "responses.publish_response")
# The window a feed holds: deadlines from this many days ago, and every one still to come.
PAST_DAYS = 90
CACHE_SECONDS = 300


def is_manager(user) -> bool:
    """Managers see every deadline; others see the deadlines they own."""
    return any(user.has_perm(permission) for permission in MANAGER_PERMISSIONS)


@transaction.atomic
def issue_token(*, user) -> CalendarToken:
    """Makes a new secret for the user, so any URL given out before stops working."""
    CalendarToken.objects.filter(user=user).delete()
    return CalendarToken.objects.create(user=user, token=secrets.token_urlsafe(32))


def revoke_token(*, user) -> None:
    CalendarToken.objects.filter(user=user).delete()


def user_for_token(token: str):
    """The active staff user a feed token belongs to, or None."""
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        return None
    if not found.user.has_perm("inspections.view_inspection"):
        return None
    return found.user


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _all_day(event: Event, day: datetime.date) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("transp", "TRANSPARENT")


def _response_events(user, office: OfficeSettings, now: datetime.datetime, start):
    # Not yet published, due from `start` on: both stored on the inspection, and indexed.
    inspections = Inspection.objects.filter(answered=False, deadline_on__gte=start).select_related(
        "response", "response__owner"
    )
    if not is_manager(user):
        inspections = inspections.filter(response__owner=user)
    for inspection in inspections.iterator():
        deadline = inspection.deadline(office)
        if deadline.last_day is None:
            continue
        event = Event()
        # Stable: the same inspection keeps its UID when its dates change, so calendars update.
        event.add("uid", f"response-{inspection.public_id}@{_host()}")
        event.add("dtstamp", now)
        event.add("last-modified", inspection.updated_at)
        event.add("summary", f"{deadline.label}: response to {inspection.title}")
        event.add("description", f"{deadline.basis}.\n{_absolute(inspection.get_absolute_url())}")
        event.add("url", _absolute(inspection.get_absolute_url()))
        _all_day(event, deadline.last_day)
        yield event


def _finding_events(user, now: datetime.datetime, start):
    # Targets from `start` on: HMICFRS's date (indexed), or a revision's (a small table).
    revised = TargetRevision.objects.filter(revised_date__gte=start).values("finding")
    findings = (
        Finding.objects.tracked()
        .outstanding()
        .filter(Q(due_date__gte=start) | Q(pk__in=revised))
        .with_targets()
        .filter(current_target__gte=start)
        .select_related("inspection")
    )
    if not is_manager(user):
        findings = findings.filter(owner=user)
    for finding in findings.iterator():
        event = Event()
        event.add("uid", f"finding-{finding.pk}@{_host()}")
        event.add("dtstamp", now)
        revised = " (revised target)" if finding.revised_target else ""
        event.add("summary", f"{finding.label} due{revised}: {finding.inspection.title}")
        event.add(
            "description",
            f"{finding.get_assured_status_display()}. {finding.text}\n"
            f"{_absolute(finding.get_tracking_url())}",
        )
        event.add("url", _absolute(finding.get_tracking_url()))
        _all_day(event, finding.current_target)
        yield event


def feed(user) -> bytes:
    """The user's calendar, from PAST_DAYS ago on: made at most once per CACHE_SECONDS for
    each user (calendar programs ask every hour or so, and the deadlines of many years add up).
    """
    key = f"calendar-feed:{user.pk}:{is_manager(user)}"
    cached = cache.get(key)
    if cached is None:
        cached = _feed(user)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _feed(user) -> bytes:
    office = OfficeSettings.load()
    now = timezone.now()
    start = deadlines.today() - datetime.timedelta(days=PAST_DAYS)
    calendar = Calendar()
    calendar.add("prodid", f"-//{office.office_name}//Response tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Deadlines – {office.office_name}")
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for event in _response_events(user, office, now, start):
        calendar.add_component(event)
    for event in _finding_events(user, now, start):
        calendar.add_component(event)
    return calendar.to_ical()
