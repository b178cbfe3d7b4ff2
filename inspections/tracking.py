"""Action plan tracking: who owns each finding, its progress and its targets, and the three
positions on it, kept apart.

- The force's claim: what it says in its latest progress submission (submit_progress).
- The office's assured status: changed only when an Assurer accepts a submission
  (accept_submission), which also records the progress, and any revised target it asked
  for, as the office's own; a returned submission (return_submission) changes nothing.
- HMICFRS's position: open, closed by HMICFRS on a date with its reference, or superseded by a
  later report (set_hmicfrs_position).

Every change is a keyword-only function here; views and forms only call them. Submissions and
decisions are announced by the signals below, so that responses.notifications can email
about them in the same transaction without this app knowing of it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone

from inspections import deadlines, services
from inspections.concurrency import Conflict, save_edit, save_version
from inspections.models import (
    Finding,
    ForceContributor,
    HmicfrsPosition,
    Inspection,
    ProgressSubmission,
    ProgressUpdate,
    SubmissionDecision,
    SubmissionFile,
    TargetRevision,
    TrackingStatus,
)

EDIT_PERMISSION = "inspections.change_finding"
FORCE_PERMISSION = "inspections.contribute_as_force"
ASSURE_PERMISSION = "inspections.assure_progress"

# Sent inside the transaction of the step, with `submission` and `actor`.
progress_submitted = Signal()
progress_decided = Signal()


class Refused(Exception):
    """The actor may not do this now; `reasons` say why, in words for the page."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))


def staff_users() -> QuerySet[User]:
    """People who can own work: active users holding at least one of the office's roles (the
    force's contributors work for the force, not the office)."""
    return (
        User.objects.filter(is_active=True, groups__isnull=False)
        .exclude(groups__permissions__codename=FORCE_PERMISSION.split(".")[1])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def force_service(user) -> str | None:
    """The service (a Service key) a force contributor works for; None for anyone else, and
    for a contributor whose service an administrator has not set yet."""
    if not (user.is_authenticated and user.has_perm(FORCE_PERMISSION)):
        return None
    if not hasattr(user, "_force_service"):
        profile = ForceContributor.objects.filter(user=user).first()
        user._force_service = profile.service if profile else None
    return user._force_service


def works_for(user, inspection: Inspection) -> bool:
    """Whether `user` is a contributor of the force or service `inspection` is about."""
    rules = services.of(inspection)
    return force_service(user) == rules.key


def force_contributors(service: str) -> QuerySet[User]:
    """Active contributors of `service`, who may be invited to comment on its reports."""
    return (
        User.objects.filter(
            is_active=True,
            force_contributor__service=service,
            groups__permissions__codename=FORCE_PERMISSION.split(".")[1],
        )
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
        .with_claims()
        .select_related("inspection", "owner", "superseded_by")
        .order_by("-inspection__published_on", "inspection_id", "order", "pk")
    )
    if inspection is not None:
        findings = findings.filter(inspection=inspection)
    if service:
        findings = findings.filter(inspection__service=service)
    if status:
        findings = findings.filter(assured_status=status)
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
    if finding.current_target is None or not finding.is_outstanding:
        return None
    deadline = deadlines.Deadline(finding.current_target, statutory=False, basis="Target date")
    return deadlines.clock_status(
        deadline, report_published_on=finding.inspection.published_on, on=on
    )


def set_tracking(
    *, finding: Finding, owner: User | None, owner_team: str, by: User, loaded_version: int
) -> Conflict | None:
    """Saves the owner unless someone changed it since `loaded_version`."""
    return save_edit(
        finding,
        values={"owner": owner, "owner_team": owner_team},
        loaded_version=loaded_version,
        actor=by,
        reason=f"Tracking updated by {by.get_username()}",
    )


def set_hmicfrs_position(
    *,
    finding: Finding,
    position: str,
    closed_on: datetime.date | None,
    reference: str,
    superseded_by: Inspection | None,
    by: User,
    loaded_version: int,
) -> Conflict | None:
    """Records HMICFRS's position on a finding (its closure or supersession letter), keeping
    only the details of that position, unless someone changed it since `loaded_version`."""
    closed = position == HmicfrsPosition.CLOSED
    superseded = position == HmicfrsPosition.SUPERSEDED
    return save_edit(
        finding,
        values={
            "hmicfrs_position": position,
            "hmicfrs_closed_on": closed_on if closed else None,
            "hmicfrs_reference": reference if closed else "",
            "superseded_by": superseded_by if superseded else None,
        },
        loaded_version=loaded_version,
        actor=by,
        reason=f"HMICFRS's position: {HmicfrsPosition(position).label}",
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


# --- the force's progress, and the office's assurance -----------------------------------


def submission_refusals(user, finding: Finding) -> list[str]:
    """Why `user` may not submit progress on `finding` now (none: they may)."""
    if not works_for(user, finding.inspection) or not finding.applies:
        return ["Only the force or service the finding is for can submit progress on it"]
    if finding.submissions.filter(decision=SubmissionDecision.PENDING).exists():
        return ["Progress on this finding is already awaiting the office's assurance"]
    return []


@transaction.atomic
def submit_progress(
    *,
    finding: Finding,
    by: User,
    narrative: str,
    claimed_status: str,
    revised_target: datetime.date | None = None,
    revised_target_reason: str = "",
    files: list[UploadedFile] = (),
) -> ProgressSubmission:
    """Records the force's progress on a finding, with its evidence, for the office to assure.
    Nothing about the finding changes until an Assurer accepts it."""
    locked = Finding.objects.select_for_update().select_related("inspection").get(pk=finding.pk)
    if refusals := submission_refusals(by, locked):
        raise Refused(refusals)
    submission = ProgressSubmission(
        finding=locked,
        narrative=narrative,
        claimed_status=claimed_status,
        revised_target=revised_target,
        revised_target_reason=revised_target_reason if revised_target else "",
        submitted_by=by,
    )
    submission._history_user = by
    submission._change_reason = "Submitted"
    submission.save()
    for upload in files:
        attached = SubmissionFile(submission=submission, file=upload)
        attached._history_user = by
        attached.save()
    progress_submitted.send(sender=ProgressSubmission, submission=submission, actor=by)
    return submission


def _decide(submission: ProgressSubmission, *, by: User, decision: str, note: str):
    """Locks a pending submission and records the decision on it."""
    if not by.has_perm(ASSURE_PERMISSION):
        raise Refused(["Only an Assurer can accept or return the force's progress"])
    locked = (
        ProgressSubmission.objects.select_for_update()
        .select_related("finding", "submitted_by")
        .get(pk=submission.pk)
    )
    if not locked.is_pending:
        raise Refused([f"This submission was {locked.get_decision_display().lower()} already"])
    locked.decision = decision
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked._history_user = by
    locked._change_reason = SubmissionDecision(decision).label
    locked.save()
    return locked


@transaction.atomic
def accept_submission(*, submission: ProgressSubmission, by: User, note: str = "") -> Finding:
    """The office is assured: the claimed status becomes the finding's assured status, the
    progress goes on its record, and a revised target asked for becomes its current target
    (HMICFRS's original stays beside it), approved by `by`."""
    accepted = _decide(submission, by=by, decision=SubmissionDecision.ACCEPTED, note=note)
    finding = Finding.objects.select_for_update().get(pk=accepted.finding_id)
    who = by.get_full_name() or by.get_username()
    ProgressUpdate.objects.create(
        finding=finding, text=accepted.narrative, submission=accepted, created_by=by
    )
    if accepted.revised_target:
        TargetRevision.objects.create(
            finding=finding,
            revised_date=accepted.revised_target,
            reason=accepted.revised_target_reason,
            approved_by_name=who,
            submission=accepted,
            created_by=by,
        )
    if finding.assured_status != accepted.claimed_status:
        finding.assured_status = accepted.claimed_status
        label = TrackingStatus(accepted.claimed_status).label
        save_version(finding, actor=by, reason=f"Assured: {label} (the force's progress accepted)")
    progress_decided.send(sender=ProgressSubmission, submission=accepted, actor=by)
    return finding


@transaction.atomic
def return_submission(
    *, submission: ProgressSubmission, by: User, note: str
) -> ProgressSubmission:
    """Sends the submission back to the force with `note`; the finding stays as it was."""
    if not note.strip():
        raise Refused(["Say why the progress is returned, for the force"])
    returned = _decide(submission, by=by, decision=SubmissionDecision.RETURNED, note=note)
    progress_decided.send(sender=ProgressSubmission, submission=returned, actor=by)
    return returned


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
