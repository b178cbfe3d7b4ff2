"""Changes to an inspection's list of findings that keep their order tidy."""

from django.db import transaction

from inspections.models import Finding, Inspection


def next_order(inspection: Inspection) -> int:
    last = inspection.findings.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def move(finding: Finding, *, up: bool) -> None:
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
            item._change_reason = "Reordered"
            item.save(update_fields=["order"])
