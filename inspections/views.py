from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from inspections import deadlines, findings
from inspections.concurrency import conflict_rows, form_after_conflict, save_edit
from inspections.context_processors import office_settings
from inspections.forms import FindingForm, InspectionFilterForm, InspectionForm, VersionedForm
from inspections.history import versions
from inspections.models import Finding, Inspection, OfficeSettings
from inspections.submissions import once
from pfcc.filters import years_of
from pfcc.pagination import paginate

PAGE_SIZE = 25
INSPECTION_HISTORY_FIELDS = InspectionForm.Meta.fields
FINDING_HISTORY_FIELDS = (*FindingForm.Meta.fields, "order")


def _get_inspection(request, pk: int) -> Inspection:
    return get_object_or_404(Inspection, pk=pk)


def _get_finding(request, pk: int) -> Finding:
    return get_object_or_404(Finding.objects.select_related("inspection"), pk=pk)


def _clock(inspection: Inspection, office: OfficeSettings, on):
    return inspection.deadline(office), inspection.response_clock(on=on, office=office)


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def inspection_list(request):
    office = office_settings(request)
    form = InspectionFilterForm(request.GET, years=years_of(Inspection.objects, "published_on"))
    inspections = form.filter(Inspection.objects.select_related("response", "response__owner"))
    pages = paginate(request, inspections.deadline_queue(), per_page=PAGE_SIZE)
    today = deadlines.today()
    rows = [(inspection, *_clock(inspection, office, today)) for inspection in pages.items]
    ctx = {"form": form, "pages": pages, "rows": rows}
    return render(request, "inspections/inspection_list.html", ctx)


@login_required
@permission_required("inspections.view_inspection", raise_exception=True)
def inspection_detail(request, pk: int):
    inspection = get_object_or_404(
        Inspection.objects.select_related("response", "response__owner"), pk=pk
    )
    deadline, status = _clock(inspection, office_settings(request), deadlines.today())
    ctx = {
        "inspection": inspection,
        "deadline": deadline,
        "clock": status,
        "findings": inspection.findings.all(),
    }
    return render(request, "inspections/inspection_detail.html", ctx)


def _edit_form(request, form_class, instance, *, template: str, ctx: dict, create):
    """Shows an add or edit form for `instance` (unsaved: an add form). A valid add is saved
    once by `create(form)`, which returns the URL to go to; a second post of the same form adds
    nothing (inspections.submissions). An edit is saved over the version it was loaded from
    unless someone changed the same fields meanwhile: then the form comes back with both."""
    editing = instance.pk is not None
    form = form_class(
        request.POST or None,
        instance=instance,
        initial={"version": instance.version if editing else 0},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        if not editing:
            url = once(
                key=form.cleaned_data["submission"],
                user=request.user,
                create=lambda: create(form),
            )
            return redirect(url)
        conflict = save_edit(
            instance,
            values={name: form.cleaned_data[name] for name in form._meta.fields},
            loaded_version=form.cleaned_data["version"],
            actor=request.user,
            reason="Edited",
        )
        if conflict is None:
            return redirect(ctx["saved_url"])
        form = form_after_conflict(form, conflict)
        ctx["conflict"] = conflict_rows(conflict, form, type(instance))
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, template, {**ctx, "form": form}, status=status)


def _inspection_form(request, inspection: Inspection | None):
    return _edit_form(
        request,
        InspectionForm,
        inspection or Inspection(),
        template="inspections/inspection_form.html",
        ctx={
            "inspection": inspection,
            "saved_url": inspection.get_absolute_url() if inspection else "",
        },
        create=lambda form: form.save().get_absolute_url(),
    )


@login_required
@permission_required("inspections.add_inspection", raise_exception=True)
def inspection_create(request):
    return _inspection_form(request, None)


@login_required
@permission_required("inspections.change_inspection", raise_exception=True)
def inspection_edit(request, pk: int):
    return _inspection_form(request, _get_inspection(request, pk))


def _finding_url(finding: Finding) -> str:
    return f"{finding.inspection.get_absolute_url()}#finding-{finding.pk}"


def _finding_form(request, inspection: Inspection, finding: Finding | None):
    def create(form) -> str:
        added = form.save(commit=False)
        added.order = findings.next_order(inspection)
        added.save()
        return _finding_url(added)

    return _edit_form(
        request,
        FindingForm,
        # A new finding belongs to its inspection before it is checked: its due date is
        # checked against the report's (Finding.clean).
        finding or Finding(inspection=inspection),
        template="inspections/finding_form.html",
        ctx={
            "inspection": inspection,
            "finding": finding,
            "saved_url": _finding_url(finding) if finding else "",
        },
        create=create,
    )


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
    changed, status = [], 200
    if request.method == "POST" and not findings.tracked_record(finding):
        form = VersionedForm(request.POST)
        loaded_version = form.cleaned_data["version"] if form.is_valid() else None
        if findings.delete(finding, loaded_version=loaded_version, actor=request.user):
            return redirect(finding.inspection)
        # Show what it says now, with the version now seen, so removing it is a fresh choice.
        changed, status = [{"label": "The finding", "id": "finding-text"}], 409
        finding = _get_finding(request, pk)
    kept = findings.tracked_record(finding)
    ctx = {
        "finding": finding,
        "form": VersionedForm(initial={"version": finding.version}),
        "changed": changed,
        "kept": kept,
    }
    if kept and request.method == "POST":
        status = 400
    return render(request, "inspections/finding_delete.html", ctx, status=status)


@login_required
@permission_required("inspections.change_finding", raise_exception=True)
@require_POST
def finding_move(request, pk: int, direction: str):
    if direction not in ("up", "down"):
        raise Http404("Findings move up or down")
    finding = _get_finding(request, pk)
    findings.move(finding, up=direction == "up", actor=request.user)
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
