"""The single tracking status mixed the office's view with HMICFRS's: "Closed by HMICFRS" now
lives in the finding's HMICFRS position, dated from the history of when the finding was marked
so, and the office's assured status says the work was completed (HMICFRS closes a finding once
it is done). The reference HMICFRS gave is not known for these: it stays empty."""

from django.db import migrations
from django.utils import timezone

OLD_CLOSED = "closed_by_hmicfrs"


def _runs(rows):
    """Each history row with the date its finding was first marked closed in an unbroken run
    of closed rows (None for rows not closed)."""
    start = None
    for row in rows:
        if row.assured_status == OLD_CLOSED:
            start = start or timezone.localtime(row.history_date).date()
            yield row, start
        else:
            start = None
            yield row, None


def split_positions(apps, schema_editor):
    Finding = apps.get_model("inspections", "Finding")
    HistoricalFinding = apps.get_model("inspections", "HistoricalFinding")
    for finding in Finding.objects.filter(assured_status=OLD_CLOSED):
        rows = HistoricalFinding.objects.filter(id=finding.pk).order_by(
            "history_date", "history_id"
        )
        closed_on = None
        for row, start in _runs(rows):
            if start is not None:
                closed_on = start
                HistoricalFinding.objects.filter(history_id=row.history_id).update(
                    assured_status="completed", hmicfrs_position="closed", hmicfrs_closed_on=start
                )
        Finding.objects.filter(pk=finding.pk).update(
            assured_status="completed",
            hmicfrs_position="closed",
            hmicfrs_closed_on=closed_on or timezone.localdate(),
        )


def join_positions(apps, schema_editor):
    for name in ("Finding", "HistoricalFinding"):
        apps.get_model("inspections", name).objects.exclude(hmicfrs_position="open").update(
            assured_status=OLD_CLOSED,
            hmicfrs_position="open",
            hmicfrs_closed_on=None,
            hmicfrs_reference="",
            superseded_by=None,
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0008_force_contributors_and_three_positions")]

    operations = [migrations.RunPython(split_positions, join_positions)]
