"""Which deadlines each dashboard panel holds on a given day, the counts the database makes of
them, the timeline's weeks and the compliance figures."""

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
from responses import dashboard, roles, workflow
from responses.importer import REFERENCE_STATEMENTS_DIR, import_statement_file
from responses.models import Status
from tests.factories import (
    make_finding,
    make_inspection,
    make_publication,
    make_response,
    staff_member,
)

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


def _counts(filters=None):
    return dashboard.count(
        today=TODAY, office=OfficeSettings.load(), filters=filters or dashboard.Filters()
    )


def _membership(filters=None):
    """What each panel's list holds; the database's count of each must agree with it."""
    filters = filters or dashboard.Filters()
    office = OfficeSettings.load()
    counts = _counts(filters)
    members = {}
    for spec in dashboard.PANELS:
        items = dashboard.panel_items(spec.key, today=TODAY, office=office, filters=filters)
        rows = dashboard.panel_rows(spec.key, items, today=TODAY, office=office)
        assert counts[spec.key] == len(rows), spec.key
        members[spec.key] = {row.finding or row.inspection for row in rows}
    return members


def _holding(record, members) -> list[str]:
    """The panels holding `record`, leaving out the 90-day lists behind the timeline."""
    return [key for key, held in members.items() if record in held and not key.endswith("90")]


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
    assert _holding(inspection, _membership()) == ([panel] if panel else [])


def test_the_day_after_the_deadline_the_response_is_overdue_by_one_day():
    _due_in(-1)
    office = OfficeSettings.load()
    items = dashboard.panel_items(
        "overdue", today=TODAY, office=office, filters=dashboard.Filters()
    )
    [row] = dashboard.panel_rows("overdue", items, today=TODAY, office=office)
    assert row.clock.label == "Overdue by 1 day"
    assert row.what == "Response to Due in -1"


def test_a_panel_lists_the_soonest_deadline_first_police_and_fire_alike():
    office = OfficeSettings.load()
    office.fire_target_days = 20
    office.save()
    later = _due_in(6)
    fire = make_inspection(
        title="Fire", service="fire", inspection_type="fire", published_on=TODAY
    )  # its 20-day target ends in 19 days: due-28
    sooner = _due_in(2)
    items = dashboard.panel_items("due-90", today=TODAY, office=office, filters=dashboard.Filters())
    assert list(items) == [sooner, later, fire]


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
    assert _holding(finding, _membership()) == ([panel] if panel else [])


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


def test_fire_reports_owe_no_onward_copies_so_a_fire_dashboard_has_no_such_panel():
    copies = dashboard.PANELS_BY_KEY["copies"]
    assert dashboard.applies(copies, dashboard.Filters())
    assert dashboard.applies(copies, dashboard.Filters(service="police"))
    assert not dashboard.applies(copies, dashboard.Filters(service="fire"))
    panels = dashboard.panels(
        today=TODAY,
        office=OfficeSettings.load(),
        filters=dashboard.Filters(service="fire"),
        counts=_counts(dashboard.Filters(service="fire")),
    )
    assert "copies" not in {panel.spec.key for panel in panels}


def test_the_dashboard_shows_the_first_rows_of_each_panel_and_counts_them_all():
    for days in range(-12, -1):
        _due_in(days)
    panels = dashboard.panels(
        today=TODAY, office=OfficeSettings.load(), filters=dashboard.Filters(), counts=_counts()
    )
    [overdue] = [panel for panel in panels if panel.spec.key == "overdue"]
    assert overdue.count == 11 and overdue.more == 11 - dashboard.PREVIEW
    # The most overdue first.
    assert [row.inspection.title for row in overdue.rows][:2] == ["Due in -12", "Due in -11"]


# --- The next 90 days ---


def test_the_timeline_counts_each_week_of_the_next_90_days():
    for days in (0, 6, 7, 90, 91, -1):
        _due_in(days)
    make_finding(
        make_inspection(), due_date=TODAY + datetime.timedelta(days=8), due_precision="day"
    )
    weeks = dashboard.timeline(
        today=TODAY, office=OfficeSettings.load(), filters=dashboard.Filters(), counts=_counts()
    )
    assert len(weeks) == dashboard.TIMELINE_WEEKS
    assert (weeks[0].first, weeks[-1].last) == (TODAY, TODAY + datetime.timedelta(days=90))
    assert [(w.responses, w.findings) for w in weeks if w.responses or w.findings] == [
        (2, 0),
        (1, 1),
        (1, 0),
    ]
    assert weeks[1].words == "1 response, 1 recommendation"
    assert weeks[2].words == "Nothing due"
    assert weeks[0].label == "2 to 8 Mar"


def test_the_timeline_names_the_next_deadlines_under_their_weeks():
    for days in range(1, 12):
        _due_in(days)
    finding = make_finding(
        make_inspection(title="Rape journey"),
        reference="Recommendation 2",
        due_date=TODAY + datetime.timedelta(days=1),
        due_precision="day",
    )
    weeks = dashboard.timeline(
        today=TODAY, office=OfficeSettings.load(), filters=dashboard.Filters(), counts=_counts()
    )
    named = [row for week in weeks for row in week.rows]
    assert len(named) == dashboard.TIMELINE_ITEMS
    assert [row.what for row in named[:3]] == [
        "Response to Due in 1",
        "Recommendation 2 of Rape journey",
        "Response to Due in 2",
    ]
    assert named[1].finding == finding
    assert {row.due_on for row in weeks[1].rows} <= {
        TODAY + datetime.timedelta(days=n) for n in range(7, 14)
    }


def test_a_weeks_bar_is_scaled_to_the_busiest_week():
    for days in (1, 2, 3, 4, 10):
        _due_in(days)
    weeks = dashboard.timeline(
        today=TODAY, office=OfficeSettings.load(), filters=dashboard.Filters(), counts=_counts()
    )
    rows = [row for _, row in dashboard.timeline_rows(weeks)]
    assert [segment.width for segment in rows[0].segments] == [100, 0]
    assert [segment.width for segment in rows[1].segments] == [25, 0]


# --- Published on time ---


def _published(report_on: D, response_on: D, service="police", owner=None):
    """A first publication, late or not as the statutory clock (or the 56-day fire target)
    says: publishing decides that (tests/responses/test_publishing.py); these count it."""
    inspection = make_inspection(published_on=report_on, service=service)
    response = make_response(
        inspection, status=Status.PUBLISHED, published_on=response_on, owner=owner
    )
    days_taken = (response_on - report_on).days + 1
    late = days_taken > 56
    return make_publication(
        response,
        staff_member("publisher-of-record", roles.PUBLISHER),
        published_on=response_on,
        late=late,
        days_late=days_taken - 56 if late else None,
        late_reason="Awaiting the chief constable." if late else "",
    )


def _years(filters=None):
    return {
        part.rules.key: [(y.label, y.on_time, y.late, y.median_days) for y in part.years]
        for part in dashboard.compliance(filters or dashboard.Filters())
    }


def test_compliance_is_bucketed_by_the_financial_year_the_response_was_published():
    _published(D(2026, 2, 1), D(2026, 3, 31))  # day 59: late, 2025-26 (its last day)
    _published(D(2026, 2, 10), D(2026, 4, 1))  # day 51: on time, 2026-27 (its first day)
    _published(D(2025, 4, 1), D(2025, 5, 26))  # day 56: on time, 2025-26
    assert _years() == {"police": [("2025-26", 1, 1, 57.5), ("2026-27", 1, 0, 51)]}


def test_the_median_is_the_middle_day_taken_or_the_mean_of_the_middle_two():
    for days in (10, 40, 30):
        _published(D(2025, 6, 1), D(2025, 6, 1) + datetime.timedelta(days=days - 1))
    assert _years()["police"] == [("2025-26", 3, 0, 30)]
    _published(D(2025, 6, 1), D(2025, 6, 1) + datetime.timedelta(days=19))
    assert _years()["police"] == [("2025-26", 4, 0, 25)]


def test_compliance_counts_police_and_fire_apart_and_follows_the_filters(drafter):
    _published(D(2025, 6, 1), D(2025, 7, 1), owner=drafter)
    _published(D(2025, 6, 1), D(2025, 9, 1), service="fire")
    assert _years() == {
        "police": [("2025-26", 1, 0, 31)],
        "fire": [("2025-26", 0, 1, 93)],
    }
    assert _years(dashboard.Filters(service="fire")) == {"fire": [("2025-26", 0, 1, 93)]}
    assert _years(dashboard.Filters(owner=drafter)) == {"police": [("2025-26", 1, 0, 31)]}


def test_the_published_list_holds_one_financial_year_in_the_order_published():
    later = _published(D(2026, 2, 10), D(2026, 3, 31))
    earlier = _published(D(2025, 4, 1), D(2025, 4, 20))
    _published(D(2026, 2, 10), D(2026, 4, 1))
    assert list(dashboard.published_in("2025-26", dashboard.Filters())) == [earlier, later]
    assert len(dashboard.published_in("", dashboard.Filters())) == 3


def test_compliance_leaves_out_imported_responses_whose_date_is_not_recorded():
    for path in sorted(REFERENCE_STATEMENTS_DIR.glob("*.txt")):
        import_statement_file(path)
    _published(D(2025, 6, 1), D(2025, 7, 26))
    assert _years() == {"police": [("2025-26", 1, 0, 56)]}
    # Their onward copies were the earlier process's: nothing for the tracker to chase.
    assert _counts()["copies"] == 1  # only the one published through the tracker


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
