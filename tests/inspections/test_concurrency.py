"""Saving over a newer version: a three-way merge against the version the person saw."""

import pytest

from inspections.concurrency import changed_since, save_fields, save_version
from inspections.models import Inspection
from tests.factories import make_inspection

pytestmark = pytest.mark.django_db


def edit(inspection, actor, loaded_version, **values):
    locked = Inspection.objects.get(pk=inspection.pk)
    return save_fields(
        locked, values=values, loaded_version=loaded_version, actor=actor, reason="Edited"
    )


def test_a_save_over_the_current_version_is_a_new_version(drafter):
    inspection = make_inspection(title="Old")
    assert edit(inspection, drafter, 1, title="New") is None
    inspection.refresh_from_db()
    assert (inspection.title, inspection.version) == ("New", 2)
    assert inspection.history.first().history_change_reason == "Edited"
    assert inspection.history.first().history_user == drafter


def test_saving_what_is_stored_writes_no_version(drafter):
    inspection = make_inspection(title="Same", key_findings="Line one  \r\n")
    assert edit(inspection, drafter, 1, title="Same", key_findings="Line one\n") is None
    assert Inspection.objects.get(pk=inspection.pk).version == 1


def test_the_same_field_changed_by_both_is_a_conflict_and_nothing_is_saved(drafter, second_drafter):
    inspection = make_inspection(title="Old", report_url="")
    edit(inspection, drafter, 1, title="Dana's")
    conflict = edit(inspection, second_drafter, 1, title="Dev's", report_url="https://x.example")
    assert (conflict.yours, conflict.saved, conflict.version) == (
        {"title": "Dev's"},
        {"title": "Dana's"},
        2,
    )
    assert conflict.merged == {"title": "Dev's", "report_url": "https://x.example"}
    assert Inspection.objects.get(pk=inspection.pk).report_url == ""


def test_fields_left_alone_keep_what_others_saved_meanwhile(drafter, second_drafter):
    inspection = make_inspection(title="Old", report_url="")
    edit(inspection, drafter, 1, title="Dana's")
    # Dev's form still holds the old title: only the link is Dev's change.
    assert edit(inspection, second_drafter, 1, title="Old", report_url="https://x.example") is None
    inspection.refresh_from_db()
    assert (inspection.title, inspection.report_url, inspection.version) == (
        "Dana's",
        "https://x.example",
        3,
    )


def test_both_making_the_same_change_is_no_conflict(drafter, second_drafter):
    inspection = make_inspection(title="Old")
    edit(inspection, drafter, 1, title="Agreed")
    assert edit(inspection, second_drafter, 1, title="Agreed") is None
    assert Inspection.objects.get(pk=inspection.pk).version == 2


def test_an_unknown_loaded_version_clashes_wherever_it_would_change_something(drafter):
    inspection = make_inspection(title="Old")
    assert edit(inspection, drafter, None, title="Old") is None
    assert edit(inspection, drafter, 99, title="New").saved == {"title": "Old"}


def test_changed_since_ignores_fields_not_asked_about(drafter):
    inspection = make_inspection(title="Old")
    inspection.report_url = "https://x.example"
    save_version(inspection, actor=drafter, reason="Linked")
    assert not changed_since(inspection, 1, ["title"])
    assert changed_since(inspection, 1, ["title", "report_url"])
    assert changed_since(inspection, None, ["title"])
