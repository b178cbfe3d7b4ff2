"""Tracking findings: owners, statuses, append-only progress and revised targets."""

import datetime

import pytest
from django.db import IntegrityError

from inspections import tracking
from inspections.models import (
    AppendOnlyError,
    DuePrecision,
    Finding,
    HmicfrsPosition,
    TargetRevision,
    TrackingStatus,
)
from tests.factories import make_finding, make_inspection

D = datetime.date
pytestmark = pytest.mark.django_db
DUE_30_APRIL = {"due_date": D(2026, 4, 30), "due_precision": DuePrecision.DAY}


def _with_targets(finding):
    return Finding.objects.with_targets().get(pk=finding.pk)


def test_a_revised_target_keeps_the_original(drafter):
    finding = make_finding(
        make_inspection(), due_date=D(2026, 4, 30), due_precision=DuePrecision.DAY
    )
    tracking.revise_target(
        finding=finding,
        revised_date=D(2026, 9, 30),
        reason="Awaiting the new IT system",
        approved_by_name="Chief Executive",
        by=drafter,
    )
    finding = _with_targets(finding)
    assert finding.due_date == D(2026, 4, 30)
    assert finding.revised_target == D(2026, 9, 30)
    assert finding.current_target == D(2026, 9, 30)


def test_the_latest_revision_is_the_current_target(drafter):
    finding = make_finding(
        make_inspection(), due_date=D(2026, 4, 30), due_precision=DuePrecision.DAY
    )
    for revised in (D(2026, 9, 30), D(2026, 6, 30)):
        tracking.revise_target(
            finding=finding,
            revised_date=revised,
            reason="Reason",
            approved_by_name="CEO",
            by=drafter,
        )
    assert _with_targets(finding).current_target == D(2026, 6, 30)


def test_the_stored_current_target_follows_edits_of_the_due_date_until_a_revision(drafter):
    finding = make_finding(make_inspection(), due_date=D(2026, 4, 30), due_precision="day")
    finding.due_date = D(2026, 5, 31)
    finding.save()
    assert Finding.objects.get(pk=finding.pk).current_target == D(2026, 5, 31)
    tracking.revise_target(
        finding=finding,
        revised_date=D(2026, 9, 30),
        reason="Reason",
        approved_by_name="CEO",
        by=drafter,
    )
    stored = Finding.objects.get(pk=finding.pk)
    # Revising records no edit of the finding: no new version, no history row.
    assert (stored.current_target, stored.version) == (D(2026, 9, 30), finding.version)
    assert stored.history.count() == 2
    # Correcting HMICFRS's date later leaves the revision in force.
    stored.due_date = D(2026, 6, 30)
    stored.save()
    assert Finding.objects.get(pk=finding.pk).current_target == D(2026, 9, 30)
    assert Finding.objects.overdue(D(2026, 9, 30)).count() == 0
    assert list(Finding.objects.overdue(D(2026, 10, 1))) == [stored]


def test_findings_and_revisions_made_in_bulk_keep_the_current_target_too(drafter):
    inspection = make_inspection()
    first, second = Finding.objects.bulk_create(
        Finding(inspection=inspection, kind="recommendation", text="T", order=n, **DUE_30_APRIL)
        for n in (1, 2)
    )
    TargetRevision.objects.bulk_create(
        TargetRevision(
            finding=first,
            revised_date=revised,
            reason="R",
            approved_by_name="CEO",
            created_by=drafter,
        )
        for revised in (D(2026, 9, 30), D(2026, 7, 31))
    )
    targets = dict(Finding.objects.values_list("pk", "current_target"))
    assert targets == {first.pk: D(2026, 7, 31), second.pk: D(2026, 4, 30)}


def test_without_revisions_the_current_target_is_hmicfrs_date():
    finding = make_finding(
        make_inspection(), due_date=D(2026, 4, 30), due_precision=DuePrecision.DAY
    )
    finding = _with_targets(finding)
    assert finding.revised_target is None
    assert finding.current_target == D(2026, 4, 30)


@pytest.mark.parametrize("field", ["reason", "approved_by_name"])
def test_a_revision_needs_a_reason_and_an_approver(drafter, field):
    finding = make_finding(make_inspection())
    values = {"reason": "Reason", "approved_by_name": "CEO", field: ""}
    with pytest.raises(IntegrityError):
        tracking.revise_target(finding=finding, revised_date=D(2026, 1, 1), by=drafter, **values)


def test_progress_updates_cannot_be_changed_or_deleted(drafter):
    update = tracking.add_progress(
        finding=make_finding(make_inspection()), text="Policy drafted", evidence=None, by=drafter
    )
    update.text = "Rewritten"
    with pytest.raises(AppendOnlyError):
        update.save()
    with pytest.raises(AppendOnlyError):
        update.delete()


def test_revisions_cannot_be_changed(drafter):
    revision = tracking.revise_target(
        finding=make_finding(make_inspection()),
        revised_date=D(2026, 1, 1),
        reason="R",
        approved_by_name="CEO",
        by=drafter,
    )
    revision.revised_date = D(2027, 1, 1)
    with pytest.raises(AppendOnlyError):
        revision.save()


def test_overdue_findings_are_outstanding_ones_past_their_current_target(drafter):
    inspection = make_inspection()
    late = make_finding(inspection, due_date=D(2026, 1, 31), due_precision=DuePrecision.DAY)
    done = make_finding(
        inspection,
        due_date=D(2026, 1, 31),
        due_precision=DuePrecision.DAY,
        assured_status=TrackingStatus.COMPLETED,
    )
    closed = make_finding(
        inspection,
        due_date=D(2026, 1, 31),
        due_precision=DuePrecision.DAY,
        hmicfrs_position=HmicfrsPosition.CLOSED,
        hmicfrs_closed_on=D(2026, 1, 20),
    )
    moved = make_finding(inspection, due_date=D(2026, 1, 31), due_precision=DuePrecision.DAY)
    tracking.revise_target(
        finding=moved, revised_date=D(2026, 3, 1), reason="R", approved_by_name="CEO", by=drafter
    )
    overdue = set(Finding.objects.with_targets().overdue(D(2026, 2, 1)))
    assert overdue == {late}
    assert done not in overdue and closed not in overdue


def test_only_fire_action_plans_are_published():
    with pytest.raises(ValueError):
        tracking.publish_action_plan(inspection=make_inspection(), on=D(2026, 1, 1))
    fire = tracking.publish_action_plan(
        inspection=make_inspection(service="fire", inspection_type="fire"), on=D(2026, 1, 1)
    )
    assert fire.action_plan_published_on == D(2026, 1, 1)
    assert list(tracking.published_fire_action_plans()) == [fire]
