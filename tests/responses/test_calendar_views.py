"""Private calendar feeds: secret URLs, parsed back with icalendar, stable UIDs."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from icalendar import Calendar

from inspections import tracking
from inspections.models import DuePrecision
from responses.models import CalendarToken
from tests.factories import make_finding, make_inspection, make_response

D = datetime.date
pytestmark = pytest.mark.django_db


def _events(client, token: str) -> dict[str, object]:
    response = client.get(reverse("calendar-feed", args=[token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _token_for(client, user) -> str:
    client.force_login(user)
    client.post(reverse("calendar-settings"), {"action": "create"})
    client.logout()
    return CalendarToken.objects.get(user=user).token


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC), tick=False):
        yield


def test_the_feed_parses_back_and_keeps_its_uids_when_dates_change(client, publisher, drafter):
    inspection = make_inspection(published_on=D(2026, 1, 10))
    make_response(inspection, owner=drafter)
    finding = make_finding(inspection, due_date=D(2026, 6, 30), due_precision=DuePrecision.DAY)
    token = _token_for(client, publisher)
    before = _events(client, token)
    response_uid = f"response-{inspection.public_id}@127.0.0.1"
    finding_uid = f"finding-{finding.pk}@127.0.0.1"
    assert before[response_uid]["DTSTART"].dt == D(2026, 3, 6)  # day 56
    assert before[finding_uid]["DTSTART"].dt == D(2026, 6, 30)

    inspection.published_on = D(2026, 1, 12)
    inspection.save()
    tracking.revise_target(
        finding=finding,
        revised_date=D(2026, 9, 30),
        reason="R",
        approved_by_name="CEO",
        by=publisher,
    )
    cache.clear()  # Feeds are kept for a few minutes (calendar.CACHE_SECONDS).
    after = _events(client, token)
    assert set(after) == set(before)
    assert after[response_uid]["DTSTART"].dt == D(2026, 3, 8)
    assert after[finding_uid]["DTSTART"].dt == D(2026, 9, 30)


def test_the_feed_holds_the_last_90_days_and_everything_to_come(client, publisher):
    today = D(2025, 6, 1)
    recent = make_inspection(title="Recent", published_on=today - datetime.timedelta(days=140))
    old = make_inspection(title="Old", published_on=today - datetime.timedelta(days=150))
    old_finding = make_finding(
        old, due_date=today - datetime.timedelta(days=91), due_precision=DuePrecision.DAY
    )
    revised = make_finding(
        old, due_date=today - datetime.timedelta(days=200), due_precision=DuePrecision.DAY
    )
    tracking.revise_target(
        finding=revised,
        revised_date=today + datetime.timedelta(days=10),
        reason="R",
        approved_by_name="CEO",
        by=publisher,
    )
    events = _events(client, _token_for(client, publisher))
    assert f"response-{recent.public_id}@127.0.0.1" in events  # due 85 days ago
    assert f"response-{old.public_id}@127.0.0.1" not in events  # due 95 days ago
    assert f"finding-{old_finding.pk}@127.0.0.1" not in events
    assert f"finding-{revised.pk}@127.0.0.1" in events


def test_a_feed_is_made_once_for_a_few_minutes(client, publisher, django_assert_num_queries):
    make_inspection(title="First")
    token = _token_for(client, publisher)
    _events(client, token)
    make_inspection(title="Second")
    with django_assert_num_queries(3):  # The token with its user, their groups, their own.
        events = _events(client, token)
    assert not any("Second" in str(event["SUMMARY"]) for event in events.values())


def test_staff_who_are_not_managers_see_only_what_they_own(client, drafter, second_drafter):
    mine = make_inspection(title="Mine")
    make_response(mine, owner=drafter)
    make_response(make_inspection(title="Theirs"), owner=second_drafter)
    events = _events(client, _token_for(client, drafter))
    assert [str(event["SUMMARY"]) for event in events.values()] == [
        "Statutory deadline: response to Mine"
    ]


def test_a_revoked_or_replaced_token_stops_working(client, drafter):
    old = _token_for(client, drafter)
    new = _token_for(client, drafter)
    assert old != new
    assert client.get(reverse("calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar-feed", args=[new])).status_code == 200
    client.force_login(drafter)
    client.post(reverse("calendar-settings"), {"action": "revoke"})
    assert client.get(reverse("calendar-feed", args=[new])).status_code == 404


def test_the_settings_page_shows_the_private_address(client, drafter):
    token = _token_for(client, drafter)
    client.force_login(drafter)
    page = client.get(reverse("calendar-settings")).content.decode()
    assert f"/staff/calendar/{token}.ics" in page


def test_a_user_who_lost_their_roles_loses_the_feed(client, drafter):
    token = _token_for(client, drafter)
    drafter.groups.clear()
    assert client.get(reverse("calendar-feed", args=[token])).status_code == 404


def test_a_token_holding_a_null_character_is_refused_and_a_non_token_not_found(client):
    assert client.get("/staff/calendar/%00.ics").status_code == 400
    # A token is URL-safe base64: anything else is no calendar's address.
    assert client.get("/staff/calendar/a%20b.ics").status_code == 404
