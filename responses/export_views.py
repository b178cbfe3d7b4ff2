"""Downloads of inspections, findings and responses, filtered like the page they come from.

An export of more than EXPORT_BACKGROUND_ROWS rows is made by the task worker instead
(responses.tasks), so no download can outlive a worker's timeout: the person sees its
progress and downloads it when it is ready.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from inspections import deadlines
from responses import exports, tasks
from responses.models import ExportFile, ExportStatus

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "csv": "text/csv; charset=utf-8"}


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def export(request, kind: str, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404("No such format")
    built = exports.build(kind, request.GET, request.user)
    filename = f"{built.name}-{deadlines.today():%Y-%m-%d}.{fmt}"
    if (total := built.count()) > settings.EXPORT_BACKGROUND_ROWS:
        return _in_background(request, kind, fmt, filename, total)
    if fmt == "csv":
        return exports.csv_response(built, filename)
    return FileResponse(
        exports.xlsx_file(built), as_attachment=True, filename=filename, content_type=XLSX_TYPE
    )


def _in_background(request, kind: str, fmt: str, filename: str, total: int):
    with transaction.atomic():
        export_file = ExportFile.objects.create(
            kind=kind,
            fmt=fmt,
            query=request.GET.urlencode(),
            requested_by=request.user,
            rows_total=total,
            filename=filename,
        )
        transaction.on_commit(lambda: tasks.make_export.enqueue(export_file.pk))
    return redirect(export_file)


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def export_status(request, pk: int):
    export_file = get_object_or_404(ExportFile, pk=pk)
    return render(
        request, "responses/export_status.html", {"export": export_file, "Status": ExportStatus}
    )


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def export_download(request, pk: int):
    export_file = get_object_or_404(ExportFile, pk=pk, status=ExportStatus.READY)
    return FileResponse(
        export_file.file.open("rb"),
        as_attachment=True,
        filename=export_file.filename,
        content_type=CONTENT_TYPES[export_file.fmt],
    )
