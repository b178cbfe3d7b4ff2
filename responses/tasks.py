"""Work done outside requests, by `manage.py db_worker` (django-tasks-db's worker)."""

import logging

from django.core.files import File
from django.db.models import F
from django.http import QueryDict
from django.tasks import task

from responses import exports
from responses.models import ExportFile, ExportStatus

logger = logging.getLogger(__name__)


@task()
def make_export(export_id: int) -> None:
    """Makes a large export's file, recording its progress as it goes."""
    export = ExportFile.objects.select_related("requested_by").get(pk=export_id)
    rows = ExportFile.objects.filter(pk=export_id)
    rows.update(status=ExportStatus.RUNNING, rows_done=0)
    try:
        built = exports.build(export.kind, QueryDict(export.query), export.requested_by)
        write = exports.xlsx_file if export.fmt == "xlsx" else exports.csv_file
        with write(built, progress=lambda done: rows.update(rows_done=done)) as handle:
            export.file.save(f"exports/{export.pk}/{export.filename}", File(handle), save=False)
    except Exception:
        logger.exception("Export %s could not be made", export_id)
        rows.update(status=ExportStatus.FAILED)
        raise
    rows.update(status=ExportStatus.READY, file=export.file.name, rows_done=F("rows_total"))
