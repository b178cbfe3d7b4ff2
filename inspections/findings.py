"""Changes to an inspection's list of findings that keep their order tidy."""

from django.db import transaction

from inspections.concurrency import changed_since, save_version
from inspections.models import Finding, Inspection

# A change of position alone does not stop a removal: only what the finding says does (its
# current target follows its due date and revisions, and is not kept in its history).
_UNPOSITIONED = [
    f.name
    for f in Finding._meta.concrete_fields
    if f.name not in ("id", "order", "version", "current_target")
]


def next_order(inspection: Inspection) -> int:
    last = inspection.findings.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def move(finding: Finding, *, up: bool, actor) -> None:
    """Swaps `finding` with its neighbour above (or below), renumbering the list 1..n first
    so that findings imported with equal positions still move one place at a time."""
    findings = list(Finding.objects.select_for_update().filter(inspection_id=finding.inspection_id))
    index = next(i for i, f in enumerate(findings) if f.pk == finding.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(findings):
        return
    findings[index], findings[other] = findings[other], findings[index]
    for position, item in enumerate(findings, start=1):
        if item.order != position:
            item.order = position
            save_version(item, actor=actor, reason="Reordered")


def tracked_record(finding: Finding) -> bool:
    """Whether the finding has a tracking record (progress, the force's submissions, revised
    targets), which is kept: such a finding is not removed."""
    return (
        finding.progress_updates.exists()
        or finding.submissions.exists()
        or finding.target_revisions.exists()
    )


@transaction.atomic
def delete(finding: Finding, *, loaded_version: int | None, actor) -> bool:
    """Removes `finding` unless it changed since the person saw it at `loaded_version`
    (None: unknown) or has a tracking record (the view says so); returns whether it is gone."""
    locked = Finding.objects.select_for_update().filter(pk=finding.pk).first()
    if locked is None:
        return True
    if tracked_record(locked):
        return False
    if loaded_version is None or changed_since(locked, loaded_version, _UNPOSITIONED):
        return False
    locked._history_user = actor
    locked._change_reason = "Removed"
    locked.delete()
    return True
