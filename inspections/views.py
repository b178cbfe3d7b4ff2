from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render

from inspections import deadlines
from inspections.models import Inspection, OfficeSettings


def _get_inspection(request, pk: int) -> Inspection:
    return get_object_or_404(Inspection, pk=pk)


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def inspection_list(request):
    inspections = Inspection.objects.search(request.GET.get("q", ""))
    return render(request, "inspections/inspection_list.html", {"inspections": inspections})


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def inspection_detail(request, pk: int):
    inspection = _get_inspection(request, pk)
    deadline = inspection.deadline(OfficeSettings.load())
    status = deadlines.clock_status(
        deadline, report_published_on=inspection.published_on, on=deadlines.today()
    )
    ctx = {
        "inspection": inspection,
        "deadline": deadline,
        "clock": status,
        "findings": inspection.findings.all(),
    }
    return render(request, "inspections/inspection_detail.html", ctx)
