"""Action plan tracking: who owns each finding, its progress and its targets.

Every change is a keyword-only function here; views and forms only call them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from inspections import deadlines, services
from inspections.concurrency import Conflict, save_edit, save_version
from inspections.models import (
    Finding,
    Inspection,
    ProgressUpdate,
    TargetRevision,
    TrackingStatus,
)

EDIT_PERMISSION = "inspections.change_finding"


def staff_users() -> QuerySet[User]:
    """People who can own work: active users holding at least one of the office's roles."""
    return (
        User.objects.filter(is_active=True, groups__isnull=False)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def action_plan_findings(
    *,
    on: datetime.date,
    inspection: Inspection | None = None,
    status: str = "",
    owner: AbstractBaseUser | None = None,
    overdue: bool = False,
    service: str = "",
) -> QuerySet[Finding]:
    """The findings on an action plan, with current targets and their latest progress.

    One query whatever the size: the findings with inspection and owner joined, and the
    current target and latest update as subqueries.
    """
    findings = (
        Finding.objects.tracked()
        .with_targets()
        .with_latest_progress()
        .select_related("inspection", "owner")
        .order_by("-inspection__published_on", "inspection_id", "order", "pk")
    )
    if inspection is not None:
        findings = findings.filter(inspection=inspection)
    if service:
        findings = findings.filter(inspection__service=service)
    if status:
        findings = findings.filter(tracking_status=status)
    if owner is not None:
        findings = findings.filter(owner=owner)
    if overdue:
        findings = findings.overdue(on)
    return findings


def action_plan_inspections(findings: QuerySet[Finding]) -> QuerySet[Inspection]:
    """The inspections holding any of `findings` (from action_plan_findings), newest report
    first: the action plan across all inspections is a page of these at a time."""
    holding = findings.filter(inspection=OuterRef("pk"))
    return Inspection.objects.filter(Exists(holding)).order_by("-published_on", "pk")


@dataclass(frozen=True)
class PlanGroup:
    """One inspection's part of an action plan: its findings, each with its target's state."""

    inspection: Inspection
    rows: list[tuple[Finding, deadlines.ClockStatus | None]]


def plan_group(inspection: Inspection, findings, *, on: datetime.date) -> PlanGroup:
    return PlanGroup(inspection, [(finding, target_state(finding, on=on)) for finding in findings])


def action_plan_groups(
    inspections, findings: QuerySet[Finding], *, on: datetime.date
) -> list[PlanGroup]:
    """The findings of `inspections` (a page of action_plan_inspections) under each: a query."""
    inspections = list(inspections)
    held = defaultdict(list)
    for finding in findings.filter(inspection__in=[inspection.pk for inspection in inspections]):
        held[finding.inspection_id].append(finding)
    return [plan_group(inspection, held[inspection.pk], on=on) for inspection in inspections]


def target_state(finding: Finding, *, on: datetime.date) -> deadlines.ClockStatus | None:
    """Where a finding stands against its current target."""
    if finding.current_target is None:
        return None
    if finding.tracking_status not in TrackingStatus.outstanding():
        return None
    deadline = deadlines.Deadline(finding.current_target, statutory=False, basis="Target date")
    return deadlines.clock_status(
        deadline, report_published_on=finding.inspection.published_on, on=on
    )


def set_tracking(
    *,
    finding: Finding,
    owner: User | None,
    owner_team: str,
    status: str,
    by: User,
    loaded_version: int,
) -> Conflict | None:
    """Saves the owner and status unless someone changed them since `loaded_version`."""
    return save_edit(
        finding,
        values={"owner": owner, "owner_team": owner_team, "tracking_status": status},
        loaded_version=loaded_version,
        actor=by,
        reason=f"Tracking updated by {by.get_username()}",
    )


def may_add_progress(user: User, finding: Finding) -> bool:
    """Whoever edits findings may record progress, and so may the finding's own owner."""
    return user.has_perm(EDIT_PERMISSION) or finding.owner_id == user.pk


@transaction.atomic
def add_progress(
    *, finding: Finding, text: str, evidence: UploadedFile | None, by: User
) -> ProgressUpdate:
    return ProgressUpdate.objects.create(
        finding=finding, text=text, evidence=evidence or "", created_by=by
    )


@transaction.atomic
def revise_target(
    *, finding: Finding, revised_date: datetime.date, reason: str, approved_by_name: str, by: User
) -> TargetRevision:
    """Records a new target beside HMICFRS's original, which stays on the finding."""
    return TargetRevision.objects.create(
        finding=finding,
        revised_date=revised_date,
        reason=reason,
        approved_by_name=approved_by_name,
        created_by=by,
    )


@transaction.atomic
def publish_action_plan(
    *, inspection: Inspection, on: datetime.date, by: User | None = None
) -> Inspection:
    """Puts a fire inspection's action plan on the public site (it stays there, kept current)."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not services.of(inspection).action_plan:
        raise ValueError("Only fire and rescue action plans are published on the public site.")
    if inspection.action_plan_published_on is None:
        inspection.action_plan_published_on = on
        save_version(inspection, actor=by, reason="Action plan published")
    return inspection


def published_fire_action_plans() -> QuerySet[Inspection]:
    return Inspection.objects.filter(
        Q(service__in=services.keys(action_plan=True)) & Q(action_plan_published_on__isnull=False)
    ).order_by("-published_on", "pk")
