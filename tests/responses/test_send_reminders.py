"""send_reminders: once per reminder, retried after failures, escalated weekly when overdue."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from inspections.models import DuePrecision, OfficeSettings
from responses import workflow
from responses.models import DeliveryStatus, ReminderLog
from tests.factories import make_finding, make_inspection, make_response
from tests.mail_helpers import FAILING_MAILERS, WORKING_MAILERS

D = datetime.date
TODAY = D(2026, 3, 2)
pytestmark = pytest.mark.django_db


def _run(*args, on=TODAY) -> str:
    out = StringIO()
    with time_machine.travel(on, tick=False):
        call_command("send_reminders", *args, stdout=out, stderr=out)
    return out.getvalue()


def _response_due_in(days: int, owner=None):
    inspection = make_inspection(
        title=f"Report due in {days}", published_on=TODAY + datetime.timedelta(days=days - 55)
    )
    make_response(inspection, owner=owner)
    return inspection


def test_the_owner_is_reminded_once_across_two_runs(drafter):
    _response_due_in(7, owner=drafter)
    _run()
    _run()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [drafter.email]
    assert mail.outbox[0].subject == (
        "Due in 7 days: The response to “Report due in 7” (statutory deadline)"
    )


def test_each_offset_sends_its_own_reminder(drafter):
    _response_due_in(14, owner=drafter)
    for day in range(15):  # every day until the deadline
        _run(on=TODAY + datetime.timedelta(days=day))
    offsets = sorted(ReminderLog.objects.values_list("period", flat=True))
    assert offsets == [1, 7, 14]
    assert len(mail.outbox) == 3


def test_offsets_come_from_the_office_settings(drafter):
    office = OfficeSettings.load()
    office.reminder_offsets = "3"
    office.save()
    _response_due_in(7, owner=drafter)
    _run()
    assert mail.outbox == []
    _run(on=TODAY + datetime.timedelta(days=4))
    assert len(mail.outbox) == 1


def test_a_failed_send_is_logged_and_retried_on_the_next_run(drafter, settings):
    _response_due_in(7, owner=drafter)
    settings.MAILERS = FAILING_MAILERS
    output = _run()
    log = ReminderLog.objects.get()
    assert log.status == DeliveryStatus.FAILED and "mail server down" in log.last_error
    assert "will retry" in output
    settings.MAILERS = WORKING_MAILERS
    _run()
    _run()
    log.refresh_from_db()
    assert (log.status, log.attempts) == (DeliveryStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_publishers_are_told_weekly_once_a_response_is_overdue(drafter, publisher):
    inspection = _response_due_in(-1, owner=drafter)
    _run()
    _run(on=TODAY + datetime.timedelta(days=6))  # still week 1
    _run(on=TODAY + datetime.timedelta(days=7))  # week 2
    escalations = [m for m in mail.outbox if m.subject.startswith("Overdue")]
    assert len(escalations) == 2
    assert escalations[0].to == [publisher.email] and escalations[0].cc == [drafter.email]
    assert "Overdue by 1 day" in escalations[0].subject
    assert inspection.title in escalations[1].subject


def test_the_finding_owner_is_reminded_of_its_due_date(drafter):
    make_finding(
        make_inspection(published_on=TODAY),
        reference="Rec 02",
        owner=drafter,
        due_date=TODAY + datetime.timedelta(days=28),
        due_precision=DuePrecision.DAY,
    )
    _run()
    assert [m.subject for m in mail.outbox] == [
        "Due in 28 days: Rec 02 of “An inspection of the response to serious and organised crime”"
    ]


def test_dry_run_lists_and_sends_nothing_and_names_items_without_an_owner(drafter):
    _response_due_in(7, owner=drafter)
    _response_due_in(14)
    output = _run("--dry-run")
    assert f"Would send to {drafter.email}: Due in 7 days" in output
    assert "Cannot remind: The response to “Report due in 14”" in output
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def _reminders():
    """What the runs sent but for the invitation's own email (which a run sends if unsent)."""
    return [m for m in mail.outbox if m.subject.startswith(("Due", "Overdue"))]


def _invited(drafter, force_contributor, *, due_in: int, asked_days_before: int):
    """An invitation sent `asked_days_before` TODAY, for comments wanted `due_in` days after."""
    asked_on = TODAY - datetime.timedelta(days=asked_days_before)
    inspection = make_inspection(
        title="Vetting", published_on=asked_on - datetime.timedelta(days=3)
    )
    response = make_response(inspection, owner=drafter)
    with time_machine.travel(asked_on, tick=False):
        return workflow.invite_chief_officer(
            response=response,
            actor=drafter,
            recipients=[force_contributor],
            due_on=TODAY + datetime.timedelta(days=due_in),
        )


def test_the_force_is_reminded_of_an_invitation_once_across_two_runs(
    drafter, force_contributor
):
    _invited(drafter, force_contributor, due_in=7, asked_days_before=14)
    _run()
    _run()
    [reminder] = _reminders()
    assert reminder.to == [force_contributor.email]
    assert reminder.subject.startswith("Due in 7 days: The chief constable's comments")


def test_no_reminder_falls_in_a_window_already_open_when_the_force_was_asked(
    drafter, force_contributor
):
    _invited(drafter, force_contributor, due_in=5, asked_days_before=1)  # asked 6 days ahead
    _run()
    assert _reminders() == []
    _run(on=TODAY + datetime.timedelta(days=4))  # the day before: the 1-day reminder
    assert len(_reminders()) == 1


def test_the_force_is_told_weekly_once_the_date_passes_with_the_owner_copied(
    drafter, force_contributor
):
    _invited(drafter, force_contributor, due_in=-1, asked_days_before=20)
    _run()
    _run()
    _run(on=TODAY + datetime.timedelta(days=7))
    overdue = [m for m in _reminders() if m.subject.startswith("Overdue")]
    assert len(overdue) == 2
    assert overdue[0].to == [force_contributor.email] and overdue[0].cc == [drafter.email]


def test_no_reminder_once_the_comments_are_in(drafter, force_contributor):
    invitation = _invited(drafter, force_contributor, due_in=7, asked_days_before=14)
    with time_machine.travel(TODAY, tick=False):
        workflow.submit_comments(
            invitation=invitation, author=force_contributor, text="In.", loaded_version=0
        )
    _run()
    assert _reminders() == []


def test_a_fire_response_is_reminded_of_the_offices_local_target_not_a_statutory_deadline(
    drafter,
):
    office = OfficeSettings.load()
    office.fire_target_days = 28
    office.save()
    inspection = make_inspection(
        title="Fire report",
        service="fire",
        inspection_type="fire",
        published_on=TODAY + datetime.timedelta(days=7 - 27),
    )
    make_response(inspection, owner=drafter)
    _run()
    assert [m.subject for m in mail.outbox] == [
        "Due in 7 days: The response to “Fire report” (local target)"
    ]


def test_a_fire_response_is_not_reminded_when_the_office_sets_no_local_target(drafter):
    office = OfficeSettings.load()
    office.fire_target_days = None
    office.save()
    inspection = make_inspection(
        title="Fire report", service="fire", inspection_type="fire", published_on=TODAY
    )
    make_response(inspection, owner=drafter)
    _run()
    assert mail.outbox == []
