"""Downloads of inspections, findings and responses, filtered like the page they come from."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404

from inspections import deadlines
from inspections.models import Inspection
from inspections.tracking_forms import ActionPlanFilterForm
from responses import exports
from responses.dashboard import Filters
from responses.dashboard_forms import DashboardFilterForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _build(request, kind: str) -> exports.Export:
    today = deadlines.today()
    search = request.GET.get("q", "")
    if kind == "findings":
        filters = ActionPlanFilterForm(request.GET or None).filters()
        if request.GET.get("mine"):
            filters["owner"] = request.user
        inspection_pk = request.GET.get("inspection", "")
        inspection = (
            get_object_or_404(Inspection, pk=inspection_pk) if inspection_pk.isdigit() else None
        )
        return exports.findings_export(today=today, inspection=inspection, **filters)
    filters = Filters(**DashboardFilterForm(request.GET or None).filters(request.user))
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
        response = StreamingHttpResponse(
            exports.csv_lines(built), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        exports.xlsx_file(built), as_attachment=True, filename=filename, content_type=XLSX_TYPE
    )
