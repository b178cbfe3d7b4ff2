"""Paste findings, check and correct what was read, then confirm.

Nothing is stored before confirming: the parsed rows travel in the preview form's own fields,
not in the session or the database, so abandoning a preview leaves no trace.
"""

from dataclasses import asdict
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from inspections.intake import ROW_FIELDS, FindingMatcher, add_findings
from inspections.intake_forms import MAX_ROWS, ConfirmForm, FindingRowFormSet, PasteForm
from inspections.models import Inspection
from inspections.parsing import ParsedFinding, parse_findings
from inspections.submissions import once
from pfcc.date_input import EXAMPLE as DATE_EXAMPLE


def _get_inspection(pk: int) -> Inspection:
    return get_object_or_404(Inspection, pk=pk)


@login_required
@permission_required("inspections.add_finding", raise_exception=True)
def findings_paste(request, pk: int):
    inspection = _get_inspection(pk)
    form = PasteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        parsed = parse_findings(
            form.cleaned_data["text"],
            inspection.published_on,
            default_kind=form.cleaned_data["kind"],
        )
        if not parsed:
            form.add_error(
                "text",
                "No findings were found in the text. Check that you pasted the findings "
                "themselves, each starting on a new line",
            )
        elif len(parsed) > MAX_ROWS:
            form.add_error(
                "text",
                f"The text holds {len(parsed)} findings: paste at most {MAX_ROWS} at a time",
            )
        else:
            formset = FindingRowFormSet(
                initial=[{**asdict(row), "include": True} for row in parsed],
                form_kwargs={"inspection": inspection},
            )
            return _render_preview(request, inspection, formset, ConfirmForm())
    return render(
        request, "inspections/findings_paste.html", {"inspection": inspection, "form": form}
    )


@login_required
@permission_required("inspections.add_finding", raise_exception=True)
@require_POST
def findings_confirm(request, pk: int):
    inspection = _get_inspection(pk)
    formset = FindingRowFormSet(request.POST, form_kwargs={"inspection": inspection})
    confirm = ConfirmForm(request.POST)
    if not formset.is_valid():
        return _render_preview(request, inspection, formset, confirm)
    rows = [
        ParsedFinding(**{name: form.cleaned_data[name] for name in ROW_FIELDS})
        for form in formset
        if form.cleaned_data.get("include")
    ]
    if not rows:
        messages.info(request, "No findings were added: none was chosen.")
        return redirect(inspection)

    def create() -> str:
        added, existing = add_findings(inspection, rows, reason="Added from pasted text")
        messages.success(request, _outcome(len(added), len(existing)))
        return inspection.get_absolute_url()

    key = confirm.cleaned_data["submission"] if confirm.is_valid() else None
    return redirect(once(key=key, user=request.user, create=create))


def _render_preview(request, inspection: Inspection, formset, confirm: ConfirmForm):
    # Mark rows the inspection already holds: confirming leaves those findings as they are.
    matcher = FindingMatcher.for_inspection(inspection)
    rows = []
    for form in formset:
        values = form.cleaned_data if form.is_bound else form.initial
        current = SimpleNamespace(**{name: values.get(name) for name in ROW_FIELDS})
        rows.append((form, matcher.match(current)))
    return render(
        request,
        "inspections/findings_preview.html",
        {
            "inspection": inspection,
            "formset": formset,
            "confirm_form": confirm,
            "date_example": DATE_EXAMPLE,
            "rows": rows,
            "errors": _row_errors(formset),
        },
    )


def _row_errors(formset) -> list[tuple[str, str]]:
    """The error summary's entries: the id of the cell in error and what is wrong with it."""
    errors = [("", error) for error in formset.non_form_errors()]
    for number, form in enumerate(formset, start=1):
        errors += [(f"finding-{number}", f"Finding {number}: {e}") for e in form.non_field_errors()]
        for name in form.errors:
            if name in form.fields:
                field = form[name]
                # Each message names its field already ("Due date must include a year").
                errors += [
                    (field.error_target_id, f"Finding {number}: {error}") for error in field.errors
                ]
    return errors


def _outcome(added: int, existing: int) -> str:
    were = "was" if existing == 1 else "were"
    if not added:
        return f"No findings added: {existing} {were} already recorded."
    words = f"Added {added} finding{'' if added == 1 else 's'}."
    if existing:
        words += f" {existing} {were} already recorded and left unchanged."
    return words
