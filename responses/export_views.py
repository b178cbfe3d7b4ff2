"""Downloads of inspections, findings and responses, filtered like the page they come from."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from inspections import deadlines
from inspections.models import Inspection
from responses import exports
from responses.dashboard import Filters
from responses.dashboard_forms import ExportFilterForm, FindingExportFilterForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _build(request, kind: str) -> exports.Export:
    """The export, its filters read and checked before anything is sent: a CSV streams, so a
    fault found once it has started would cut the download short after a 200."""
    today = deadlines.today()
    if kind == "findings":
        form = FindingExportFilterForm(request.GET)
        filters = form.filters()
        if form.values["mine"]:
            filters["owner"] = request.user
        inspection_pk = form.values["inspection"]
        inspection = get_object_or_404(Inspection, pk=inspection_pk) if inspection_pk else None
        return exports.findings_export(today=today, inspection=inspection, **filters)
    form = ExportFilterForm(request.GET)
    filters = Filters(**form.filters(request.user))
    search = form.values["q"]
    if kind == "inspections":
        return exports.inspections_export(filters=filters, search=search)
    if kind == "responses":
        return exports.responses_export(filters=filters, today=today, search=search)
    raise Http404("No such export")


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def export(request, kind: str, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    built = _build(request, kind)
    filename = f"{built.name}-{deadlines.today():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        return exports.csv_response(built, filename)
    return FileResponse(
        exports.xlsx_file(built), as_attachment=True, filename=filename, content_type=XLSX_TYPE
    )
