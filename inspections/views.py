from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from inspections import deadlines, findings
from inspections.forms import FindingForm, InspectionFilterForm, InspectionForm
from inspections.history import versions
from inspections.models import Finding, Inspection, OfficeSettings

PAGE_SIZE = 25
INSPECTION_HISTORY_FIELDS = InspectionForm.Meta.fields
FINDING_HISTORY_FIELDS = (*FindingForm.Meta.fields, "order")


def _get_inspection(request, pk: int) -> Inspection:
    return get_object_or_404(Inspection, pk=pk)


def _get_finding(request, pk: int) -> Finding:
    return get_object_or_404(Finding.objects.select_related("inspection"), pk=pk)


def _clock(inspection: Inspection, office: OfficeSettings, on):
    deadline = inspection.deadline(office)
    try:
        response_published_on = inspection.response.published_on
    except Inspection.response.RelatedObjectDoesNotExist:
        response_published_on = None
    return deadline, deadlines.clock_status(
        deadline,
        report_published_on=inspection.published_on,
        on=on,
        response_published_on=response_published_on,
    )


def _sorted_by_deadline(queryset, office: OfficeSettings):
    """Open reports first, nearest deadline first; then those answered, latest first."""
    # "published" is the response's final state: its clock has stopped.
    queryset = queryset.annotate(
        last_day=deadlines.deadline_expression(office.fire_target_days),
        closed=Case(
            When(response__status="published", then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )
    return queryset.order_by(
        "closed",
        Case(When(closed=0, then=F("last_day"))).asc(nulls_last=True),
        Case(When(closed=1, then=F("last_day"))).desc(nulls_last=True),
        "-published_on",
        "title",
    )


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def inspection_list(request):
    office = OfficeSettings.load()
    years = [d.year for d in Inspection.objects.dates("published_on", "year", order="DESC")]
    form = InspectionFilterForm(request.GET, years=years)
    inspections = Inspection.objects.select_related("response", "response__owner")
    if form.is_valid():
        inspections = form.filter(inspections)
    page = Paginator(_sorted_by_deadline(inspections, office), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = deadlines.today()
    rows = [(inspection, *_clock(inspection, office, today)) for inspection in page]
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "inspections/inspection_list.html", ctx)


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def inspection_detail(request, pk: int):
    inspection = get_object_or_404(
        Inspection.objects.select_related("response", "response__owner"), pk=pk
    )
    deadline, status = _clock(inspection, OfficeSettings.load(), deadlines.today())
    ctx = {
        "inspection": inspection,
        "deadline": deadline,
        "clock": status,
        "findings": inspection.findings.all(),
    }
    return render(request, "inspections/inspection_detail.html", ctx)


def _inspection_form(request, inspection: Inspection | None):
    form = InspectionForm(request.POST or None, instance=inspection)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        return redirect(saved)
    ctx = {"form": form, "inspection": inspection}
    return render(
        request, "inspections/inspection_form.html", ctx, status=400 if form.errors else 200
    )


@login_required
@permission_required("inspections.add_inspection", raise_exception=True)
def inspection_create(request):
    return _inspection_form(request, None)


@login_required
@permission_required("inspections.change_inspection", raise_exception=True)
def inspection_edit(request, pk: int):
    return _inspection_form(request, _get_inspection(request, pk))


def _finding_form(request, inspection: Inspection, finding: Finding | None):
    form = FindingForm(request.POST or None, instance=finding)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.inspection = inspection
        if finding is None:
            saved.order = findings.next_order(inspection)
        saved.save()
        return redirect(f"{inspection.get_absolute_url()}#finding-{saved.pk}")
    ctx = {"form": form, "inspection": inspection, "finding": finding}
    return render(request, "inspections/finding_form.html", ctx, status=400 if form.errors else 200)


@login_required
@permission_required("inspections.add_finding", raise_exception=True)
def finding_add(request, pk: int):
    return _finding_form(request, _get_inspection(request, pk), None)


@login_required
@permission_required("inspections.change_finding", raise_exception=True)
def finding_edit(request, pk: int):
    finding = _get_finding(request, pk)
    return _finding_form(request, finding.inspection, finding)


@login_required
@permission_required("inspections.delete_finding", raise_exception=True)
def finding_delete(request, pk: int):
    finding = _get_finding(request, pk)
    if request.method == "POST":
        finding.delete()
        return redirect(finding.inspection)
    return render(request, "inspections/finding_delete.html", {"finding": finding})


@login_required
@permission_required("inspections.change_finding", raise_exception=True)
@require_POST
def finding_move(request, pk: int, direction: str):
    if direction not in ("up", "down"):
        raise Http404("Findings move up or down")
    finding = _get_finding(request, pk)
    findings.move(finding, up=direction == "up")
    return redirect(f"{finding.inspection.get_absolute_url()}#finding-{finding.pk}")


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def inspection_history(request, pk: int):
    inspection = _get_inspection(request, pk)
    own = versions(
        Inspection.history.filter(id=inspection.pk).select_related("history_user"),
        INSPECTION_HISTORY_FIELDS,
        subject=lambda r: "The inspection",
    )
    of_findings = versions(
        Finding.history.filter(inspection_id=inspection.pk).select_related("history_user"),
        FINDING_HISTORY_FIELDS,
        subject=lambda r: r.reference or r.get_kind_display(),
    )
    ctx = {"inspection": inspection, "inspection_versions": own, "finding_versions": of_findings}
    return render(request, "inspections/inspection_history.html", ctx)
