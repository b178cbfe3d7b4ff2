import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from inspections import deadlines
from inspections.models import DuePrecision, Finding, Inspection, OfficeSettings, TargetRevision
from tests.factories import clean_problems, make_finding, make_inspection

pytestmark = pytest.mark.django_db


def test_office_settings_is_a_single_row():
    first = OfficeSettings.load()
    OfficeSettings(office_name="Another office").save()
    assert OfficeSettings.objects.count() == 1
    assert OfficeSettings.load().pk == first.pk == 1


def test_the_default_statutory_paragraph_is_the_reference_statements():
    assert OfficeSettings.load().statutory_paragraph.startswith("Section 33 of the Police Act 1996")


def test_hmicfrs_numbers_are_unique_when_given():
    make_inspection(hmicfrs_number=29536)
    with pytest.raises(IntegrityError):
        make_inspection(hmicfrs_number=29536)


def test_many_inspections_may_have_no_hmicfrs_number():
    make_inspection(hmicfrs_number=None)
    make_inspection(hmicfrs_number=None)
    assert Inspection.objects.filter(hmicfrs_number=None).count() == 2


def test_a_duplicate_number_fails_validation_with_a_clear_message():
    make_inspection(hmicfrs_number=29536)
    duplicate = Inspection(
        title="Copy",
        hmicfrs_number=29536,
        published_on=datetime.date(2024, 1, 1),
        inspection_type="peel",
    )
    with pytest.raises(ValidationError, match="already has this HMICFRS number"):
        duplicate.full_clean()


def test_a_finding_that_does_not_apply_needs_a_reason():
    with pytest.raises(IntegrityError):
        make_finding(make_inspection(), applies=False, not_applicable_reason="")


def test_a_dated_precision_needs_a_date():
    with pytest.raises(IntegrityError):
        make_finding(make_inspection(), due_precision=DuePrecision.DAY, due_date=None)


def test_search_matches_title_or_number():
    wanted = make_inspection(title="Serious and organised crime", hmicfrs_number=29536)
    make_inspection(title="Custody")
    assert list(Inspection.objects.search("organised")) == [wanted]
    assert list(Inspection.objects.search("#29536")) == [wanted]


def test_the_deadline_is_derived_from_the_publication_date():
    inspection = make_inspection(published_on=datetime.date(2023, 11, 10))
    assert inspection.deadline().last_day == datetime.date(2024, 1, 4)


def test_a_cause_of_concern_links_to_its_recommendations():
    inspection = make_inspection()
    concern = make_finding(inspection, kind="concern", reference="Cause of concern")
    recommendation = make_finding(inspection, concern=concern)
    assert list(concern.recommendations.all()) == [recommendation]


def test_changes_are_kept_in_history():
    finding = make_finding(make_inspection(), text="First wording")
    finding.text = "Second wording"
    finding.save()
    assert [h.text for h in finding.history.all()] == ["Second wording", "First wording"]
    assert isinstance(Finding.history.first().instance, Finding)


# --- what lists sort on, stored ---


def test_the_stored_deadline_follows_the_report_date_and_the_local_target():
    police = make_inspection(published_on=datetime.date(2025, 11, 10))
    fire = make_inspection(
        service="fire", inspection_type="fire", published_on=datetime.date(2025, 11, 10)
    )
    assert police.deadline_on == fire.deadline_on == datetime.date(2026, 1, 4)  # day 56
    police.published_on = datetime.date(2025, 11, 12)
    police.save()
    office = OfficeSettings.load()
    office.fire_target_days = 28
    office.save()
    police.refresh_from_db()
    fire.refresh_from_db()
    assert police.deadline_on == datetime.date(2026, 1, 6)
    assert fire.deadline_on == datetime.date(2025, 12, 7)  # day 28 of the local target
    office.fire_target_days = None
    office.save()
    fire.refresh_from_db()
    assert fire.deadline_on is None and fire.deadline().last_day is None


def test_answered_follows_the_response_whatever_writes_it():
    """A trigger keeps it (responses migration 0012), so even a bulk update moves it."""
    from responses.models import Response

    inspection = make_inspection()
    response = Response.objects.create(inspection=inspection)
    inspection.refresh_from_db()
    assert not inspection.answered
    Response.objects.filter(pk=response.pk).update(
        status="published", published_on=datetime.date(2025, 6, 1)
    )
    inspection.refresh_from_db()
    assert inspection.answered
    Response.objects.filter(pk=response.pk).update(status="draft")
    inspection.refresh_from_db()
    assert not inspection.answered


# --- which dates make sense: the rules in the models, so forms and the admin share them ------



def test_a_report_cannot_be_published_in_the_future():
    tomorrow = deadlines.today() + datetime.timedelta(days=1)
    inspection = Inspection(title="A", published_on=tomorrow, inspection_type="peel")

    assert clean_problems(inspection)["published_on"] == [
        "Date HMICFRS published the report must be today or in the past"
    ]


def test_a_report_today_is_fine():
    inspection = Inspection(title="A", published_on=deadlines.today(), inspection_type="peel")

    assert "published_on" not in clean_problems(inspection)


def test_a_report_from_before_the_trackers_first_date_is_a_mistyped_year():
    mistyped = datetime.date(1025, 5, 16)
    inspection = Inspection(title="A", published_on=mistyped, inspection_type="peel")

    assert clean_problems(inspection)["published_on"] == [
        "Date HMICFRS published the report must be the same as or after 1 January 2000"
    ]


def test_the_database_refuses_an_implausibly_old_report():
    with pytest.raises(IntegrityError):
        make_inspection(published_on=datetime.date(1999, 12, 31))


def test_a_finding_cannot_be_due_before_its_report_was_published():
    inspection = make_inspection(published_on=datetime.date(2025, 5, 16))
    finding = Finding(
        inspection=inspection,
        kind="recommendation",
        text="Act.",
        due_date=datetime.date(2025, 5, 15),
        due_precision=DuePrecision.DAY,
    )

    assert clean_problems(finding)["due_date"] == [
        "Due date must be the same as or after the date the report was published (16 May 2025)"
    ]


def test_a_revised_target_cannot_be_before_the_report():
    finding = make_finding(make_inspection(published_on=datetime.date(2025, 5, 16)))
    revision = TargetRevision(
        finding=finding,
        revised_date=datetime.date(1899, 1, 1),
        reason="Typo",
        approved_by_name="DCC",
        created_by=User.objects.create(username="u"),
    )

    assert clean_problems(revision)["revised_date"] == [
        "Revised target date must be the same as or after the date the report was published "
        "(16 May 2025)"
    ]


def test_moving_a_report_after_its_findings_due_dates_is_refused():
    inspection = make_inspection(published_on=datetime.date(2025, 5, 16))
    make_finding(inspection, due_date=datetime.date(2025, 6, 30), due_precision=DuePrecision.DAY)
    inspection.published_on = datetime.date(2025, 7, 1)

    assert clean_problems(inspection)["published_on"] == [
        "Date HMICFRS published the report must be the same as or before 30 June 2025, "
        "the earliest date one of its findings is due"
    ]


def test_an_action_plan_is_published_after_its_report_and_not_in_the_future():
    inspection = make_inspection(published_on=datetime.date(2025, 5, 16))
    inspection.action_plan_published_on = datetime.date(2025, 5, 1)

    assert clean_problems(inspection)["action_plan_published_on"] == [
        "Date the action plan was first published must be the same as or after the date the "
        "report was published (16 May 2025)"
    ]
