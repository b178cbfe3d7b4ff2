import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from inspections.models import DuePrecision, Finding, Inspection, OfficeSettings
from tests.factories import make_finding, make_inspection

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
    """A trigger keeps it (responses migration 0011), so even a bulk update moves it."""
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
