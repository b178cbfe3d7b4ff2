"""Which deadlines each dashboard panel holds on a given day, and the compliance figures."""

import datetime

import pytest
import time_machine

from inspections import tracking
from inspections.models import (
    DuePrecision,
    Finding,
    HmicfrsPosition,
    OfficeSettings,
    TrackingStatus,
)
from responses import dashboard, workflow
from responses.importer import REFERENCE_STATEMENTS_DIR, import_statement_file
from responses.models import Status
from tests.factories import make_finding, make_inspection, make_response

D = datetime.date
TODAY = D(2026, 3, 2)
pytestmark = pytest.mark.django_db


def _due_in(days: int, service="police", **response_fields):
    """An inspection whose response deadline is `days` days from TODAY (police: day 56)."""
    published_on = TODAY + datetime.timedelta(days=days - 55)
    inspection = make_inspection(
        title=f"Due in {days}",
        published_on=published_on,
        service=service,
        inspection_type="fire" if service == "fire" else "peel",
    )
    make_response(inspection, **response_fields)
    return inspection


def _membership(filters=None):
    panels = dashboard.panels(
        today=TODAY, office=OfficeSettings.load(), filters=filters or dashboard.Filters()
    )
    return {
        panel.spec.key: {row.finding or row.inspection for row in panel.rows} for panel in panels
    }


@pytest.mark.parametrize(
    ("days", "panel"),
    [
        (-30, "overdue"),
        (-1, "overdue"),
        (0, "due-7"),
        (7, "due-7"),
        (8, "due-14"),
        (14, "due-14"),
        (15, "due-28"),
        (28, "due-28"),
        (29, None),
    ],
)
def test_a_response_sits_in_the_panel_of_its_deadline(days, panel):
    inspection = _due_in(days)
    panels = _membership()
    holding = [key for key, members in panels.items() if inspection in members]
    assert holding == ([panel] if panel else [])


def test_the_day_after_the_deadline_the_response_is_overdue_by_one_day():
    _due_in(-1)
    overdue = dashboard.panel(
        "overdue", today=TODAY, office=OfficeSettings.load(), filters=dashboard.Filters()
    )
    assert overdue.rows[0].clock.label == "Overdue by 1 day"
    assert overdue.rows[0].clock.rag == "Overdue"


def test_an_inspection_without_a_response_still_counts():
    inspection = make_inspection(published_on=TODAY - datetime.timedelta(days=60))
    assert inspection in _membership()["overdue"]


def test_published_responses_leave_the_deadline_panels():
    inspection = _due_in(-3, status=Status.PUBLISHED, published_on=TODAY)
    assert all(inspection not in members for members in _membership().values())


def test_fire_reports_follow_the_local_target_or_none():
    fire = _due_in(3, service="fire")
    assert fire in _membership()["due-7"]
    office = OfficeSettings.load()
    office.fire_target_days = None
    office.save()
    assert all(fire not in members for members in _membership().values())


def test_review_and_approval_panels_follow_the_status():
    reviewing = _due_in(40, status=Status.IN_REVIEW)
    approved = _due_in(40, status=Status.APPROVED)
    panels = _membership()
    assert panels["in-review"] == {reviewing}
    assert panels["approved"] == {approved}


@pytest.mark.parametrize(
    ("days", "panel"),
    [(-1, "findings-overdue"), (0, "findings-due-30"), (30, "findings-due-30"), (31, None)],
)
def test_a_finding_sits_in_the_panel_of_its_target(days, panel):
    finding = make_finding(
        make_inspection(),
        due_date=TODAY + datetime.timedelta(days=days),
        due_precision=DuePrecision.DAY,
    )
    holding = [key for key, members in _membership().items() if finding in members]
    assert holding == ([panel] if panel else [])


def test_completed_findings_are_never_overdue():
    finding = make_finding(
        make_inspection(),
        due_date=TODAY - datetime.timedelta(days=5),
        due_precision=DuePrecision.DAY,
        assured_status=TrackingStatus.COMPLETED,
    )
    assert finding not in _membership()["findings-overdue"]


def test_filters_narrow_by_service_and_owner(drafter):
    mine = _due_in(3, owner=drafter)
    other = _due_in(3)
    fire = _due_in(4, service="fire")
    assert _membership(dashboard.Filters(owner=drafter))["due-7"] == {mine}
    assert _membership(dashboard.Filters(service="fire"))["due-7"] == {fire}
    assert other in _membership()["due-7"]


def _published(report_on: D, response_on: D, service="police"):
    inspection = make_inspection(published_on=report_on, service=service)
    make_response(inspection, status=Status.PUBLISHED, published_on=response_on)


def test_compliance_is_bucketed_by_the_financial_year_the_response_was_published():
    _published(D(2026, 2, 1), D(2026, 3, 31))  # day 59: late, 2025-26
    _published(D(2026, 2, 10), D(2026, 4, 1))  # day 51: on time, 2026-27
    _published(D(2025, 4, 1), D(2025, 5, 26))  # day 56: on time, 2025-26 (its first day)
    published = dashboard.published_responses(
        office=OfficeSettings.load(), filters=dashboard.Filters()
    )
    years = {year.year: (year.on_time, year.late) for year in dashboard.compliance(published)}
    assert years == {"2025-26": (1, 1), "2026-27": (1, 0)}
    assert dashboard.overall_median(published) == 56


def test_a_response_published_on_day_56_is_on_time_and_on_day_57_late():
    _published(D(2025, 6, 1), D(2025, 7, 26))
    _published(D(2025, 6, 1), D(2025, 7, 27))
    published = dashboard.published_responses(
        office=OfficeSettings.load(), filters=dashboard.Filters()
    )
    assert [item.days_taken for item in published] == [56, 57]
    assert [year.late for year in dashboard.compliance(published)] == [1]


def test_the_timeline_places_the_next_90_days_in_order():
    _due_in(90)
    _due_in(2)
    _due_in(91)
    _due_in(-1)
    marks = dashboard.timeline(
        today=TODAY, office=OfficeSettings.load(), filters=dashboard.Filters()
    )
    assert [mark.days_left for mark in marks] == [2, 90]
    assert marks[0].x < marks[1].x == dashboard.TIMELINE_RIGHT


def test_the_timeline_marks_responses_due_within_a_week_as_due_soon():
    _due_in(7)
    _due_in(8)
    marks = dashboard.timeline(
        today=TODAY, office=OfficeSettings.load(), filters=dashboard.Filters()
    )
    assert [(mark.days_left, mark.due_soon) for mark in marks] == [(7, True), (8, False)]


def test_compliance_leaves_out_imported_responses_whose_date_is_not_recorded():
    for path in sorted(REFERENCE_STATEMENTS_DIR.glob("*.txt")):
        import_statement_file(path)
    _published(D(2025, 6, 1), D(2025, 7, 26))
    office, filters = OfficeSettings.load(), dashboard.Filters()
    published = dashboard.published_responses(office=office, filters=filters)
    assert [item.days_taken for item in published] == [56]
    assert [(y.on_time, y.late) for y in dashboard.compliance(published)] == [(1, 0)]
    # Their onward copies were the earlier process's: nothing for the tracker to chase.
    assert dashboard.panel("copies", today=TODAY, office=office, filters=filters).count == 0


def _invited(force_contributor, drafter, *, due_in: int):
    """A response whose chief constable's comments were asked for, wanted `due_in` days from
    TODAY (asked a few days before that, so a date already passed is possible)."""
    published_on = TODAY - datetime.timedelta(days=10)
    inspection = make_inspection(title=f"Invited {due_in}", published_on=published_on)
    response = make_response(inspection, owner=drafter)
    asked_on = TODAY - datetime.timedelta(days=8)
    with time_machine.travel(asked_on, tick=False):
        workflow.invite_chief_officer(
            response=response,
            actor=drafter,
            recipients=[force_contributor],
            due_on=TODAY + datetime.timedelta(days=due_in),
        )
    return inspection, response


def test_responses_waiting_on_the_force_and_past_the_date_asked_are_listed(
    force_contributor, drafter
):
    waiting, _ = _invited(force_contributor, drafter, due_in=3)
    late, _ = _invited(force_contributor, drafter, due_in=-1)
    _, answered = _invited(force_contributor, drafter, due_in=4)
    with time_machine.travel(TODAY, tick=False):
        workflow.submit_comments(
            invitation=answered.invitations.get(),
            author=force_contributor,
            text="In.",
            loaded_version=0,
        )
    membership = _membership()
    assert membership["force-waiting"] == {waiting}
    assert membership["force-overdue"] == {late}


def test_progress_awaiting_assurance_and_disagreements_are_listed(force_contributor, reviewer):
    inspection = make_inspection(published_on=TODAY)
    claimed, assured, agreed = (make_finding(inspection) for _ in range(3))
    tracking.submit_progress(
        finding=claimed, by=force_contributor, narrative="Done.", claimed_status="completed"
    )
    for finding in (assured, agreed):
        submission = tracking.submit_progress(
            finding=finding, by=force_contributor, narrative="Done.", claimed_status="completed"
        )
        tracking.accept_submission(submission=submission, by=reviewer)
    tracking.set_hmicfrs_position(
        finding=Finding.objects.get(pk=agreed.pk),
        position=HmicfrsPosition.CLOSED,
        closed_on=TODAY,
        reference="Letter",
        superseded_by=None,
        by=reviewer,
        loaded_version=Finding.objects.get(pk=agreed.pk).version,
    )
    membership = _membership()
    assert membership["assurance"] == {claimed}
    # The force says complete, not assured; assured, HMICFRS still has it open.
    assert membership["disagree"] == {claimed, assured}
