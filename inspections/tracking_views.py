"""Action plans: tracking each finding's owner, status, progress and targets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from inspections import deadlines, evidence, services, tracking
from inspections.concurrency import conflict_rows, form_after_conflict
from inspections.models import (
    Finding,
    Inspection,
    ProgressSubmission,
    SubmissionDecision,
    SubmissionFile,
    TargetRevision,
)
from inspections.pdf import html_to_pdf
from inspections.submissions import once
from inspections.tracking_forms import (
    ActionPlanFilterForm,
    DecisionForm,
    HmicfrsPositionForm,
    ProgressForm,
    TargetRevisionForm,
    TrackingForm,
)
from pfcc.pagination import paginate

EDIT_PERMISSION = tracking.EDIT_PERMISSION
PUBLISH_PERMISSION = "responses.publish_response"
# Inspections per page of the action plan across all inspections, on the web and in its PDF.
PLAN_PAGE_SIZE = 10


def _get_finding(pk: int) -> Finding:
    finding = (
        Finding.objects.tracked()
        .with_targets()
        .with_claims()
        .select_related("inspection", "owner", "superseded_by")
        .filter(pk=pk)
    ).first()
    if finding is None:
        raise Http404("No such finding on an action plan")
    return finding


def _require_edit(user) -> None:
    if not user.has_perm(EDIT_PERMISSION):
        raise PermissionDenied


def _require_progress(user, finding: Finding) -> None:
    if not tracking.may_add_progress(user, finding):
        raise PermissionDenied


def _plan_context(request, *, inspection: Inspection | None) -> dict:
    """One inspection's plan whole, or the plan across all inspections a page of inspections
    at a time, each with its findings under it: three queries, however many there are."""
    today = deadlines.today()
    form = ActionPlanFilterForm(request.GET)
    findings = tracking.action_plan_findings(on=today, inspection=inspection, **form.filters())
    context = {"inspection": inspection, "form": form, "today": today}
    if inspection is not None:
        context["groups"] = [tracking.plan_group(inspection, findings, on=today)]
    else:
        pages = paginate(
            request, tracking.action_plan_inspections(findings), per_page=PLAN_PAGE_SIZE
        )
        context["pages"] = pages
        context["groups"] = tracking.action_plan_groups(pages.items, findings, on=today)
    return context


def _pdf_response(request, context: dict, filename: str) -> HttpResponse:
    html = render_to_string("inspections/action_plan_document.html", context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@permission_required("inspections.view_finding", raise_exception=True)
def action_plan(request):
    return render(request, "inspections/action_plan.html", _plan_context(request, inspection=None))


@login_required
@permission_required("inspections.view_finding", raise_exception=True)
def action_plan_pdf(request):
    """The page of the plan across all inspections that the web page shows, never all of them."""
    context = _plan_context(request, inspection=None)
    number = context["pages"].page.number
    return _pdf_response(request, context, f"action-plan-{context['today']:%Y-%m-%d}-{number}.pdf")


@login_required
@permission_required("inspections.view_finding", raise_exception=True)
def action_plan_inspection(request, pk: int):
    inspection = get_object_or_404(Inspection, pk=pk)
    context = _plan_context(request, inspection=inspection)
    context["can_publish"] = services.of(inspection).action_plan and request.user.has_perm(
        PUBLISH_PERMISSION
    )
    return render(request, "inspections/action_plan.html", context)


@login_required
@permission_required("inspections.view_finding", raise_exception=True)
def action_plan_inspection_pdf(request, pk: int):
    inspection = get_object_or_404(Inspection, pk=pk)
    context = _plan_context(request, inspection=inspection)
    return _pdf_response(request, context, f"action-plan-{inspection.hmicfrs_number or pk}.pdf")


@login_required
@permission_required(PUBLISH_PERMISSION, raise_exception=True)
@require_POST
def action_plan_publish(request, pk: int):
    inspection = get_object_or_404(Inspection, pk=pk, service__in=services.keys(action_plan=True))
    tracking.publish_action_plan(inspection=inspection, on=deadlines.today(), by=request.user)
    messages.success(request, "The action plan is on the public site.")
    return redirect("action-plan-inspection", pk=pk)


def _render_tracking(
    request, finding: Finding, status: int = 200, conflict=(), **forms
) -> HttpResponse:
    user = request.user
    submissions = list(
        finding.submissions.select_related("submitted_by", "decided_by")
        .prefetch_related("files")
        .order_by("-submitted_at", "-pk")
    )
    pending = next((s for s in submissions if s.is_pending), None)
    context = {
        "finding": finding,
        "state": tracking.target_state(finding, on=deadlines.today()),
        "revisions": finding.target_revisions.select_related("created_by"),
        "updates": finding.progress_updates.select_related("created_by", "submission"),
        "submissions": submissions,
        "pending": pending,
        "can_edit": user.has_perm(EDIT_PERMISSION),
        "can_add_progress": tracking.may_add_progress(user, finding),
        "can_assure": user.has_perm(tracking.ASSURE_PERMISSION),
        "tracking_form": forms.get("tracking_form")
        or TrackingForm(
            initial={
                "owner": finding.owner,
                "owner_team": finding.owner_team,
                "version": finding.version,
            },
            **FORM_IDS["tracking_form"],
        ),
        "conflict": conflict,
        "position_conflict": forms.get("position_conflict", ()),
        "progress_form": forms.get("progress_form") or ProgressForm(**FORM_IDS["progress_form"]),
        "revision_form": forms.get("revision_form")
        or TargetRevisionForm(
            instance=TargetRevision(finding=finding), **FORM_IDS["revision_form"]
        ),
        "position_form": forms.get("position_form")
        or HmicfrsPositionForm(
            instance=finding, initial={"version": finding.version}, **FORM_IDS["position_form"]
        ),
        "decision_form": forms.get("decision_form") or DecisionForm(**FORM_IDS["decision_form"]),
    }
    return render(request, "inspections/finding_tracking.html", context, status=status)


# The page holds several forms: each its own ids.
FORM_IDS = {
    "tracking_form": {"auto_id": "tracking-%s"},
    "progress_form": {"auto_id": "progress-%s"},
    "revision_form": {"auto_id": "revision-%s"},
    "position_form": {"auto_id": "hmicfrs-%s"},
    "decision_form": {"auto_id": "decision-%s"},
}


@login_required
@permission_required("inspections.view_finding", raise_exception=True)
def finding_tracking(request, pk: int):
    return _render_tracking(request, _get_finding(pk))


def _apply(request, finding: Finding, form, form_name: str, change, done: str) -> HttpResponse:
    """Applies a valid tracking form through `change(data)` once (a second post of the same
    form changes nothing), else shows the page with errors."""
    if not form.is_valid():
        return _render_tracking(request, finding, status=400, **{form_name: form})

    def create() -> str:
        change(form.cleaned_data)
        messages.success(request, done)
        return reverse("finding-tracking", args=[finding.pk])

    return redirect(once(key=form.cleaned_data["submission"], user=request.user, create=create))


@login_required
@require_POST
def finding_tracking_update(request, pk: int):
    _require_edit(request.user)
    finding = _get_finding(pk)
    form = TrackingForm(request.POST, **FORM_IDS["tracking_form"])
    if not form.is_valid():
        return _render_tracking(request, finding, status=400, tracking_form=form)
    data = form.cleaned_data
    conflict = tracking.set_tracking(
        finding=finding,
        owner=data["owner"],
        owner_team=data["owner_team"],
        by=request.user,
        loaded_version=data["version"],
    )
    if conflict is None:
        messages.success(request, "Owner saved.")
        return redirect("finding-tracking", pk=finding.pk)
    form = form_after_conflict(form, conflict)
    rows = conflict_rows(conflict, form, Finding)
    finding = _get_finding(pk)
    return _render_tracking(request, finding, status=409, conflict=rows, tracking_form=form)


@login_required
@require_POST
def finding_hmicfrs_position(request, pk: int):
    _require_edit(request.user)
    finding = _get_finding(pk)
    form = HmicfrsPositionForm(
        request.POST,
        instance=Finding.objects.select_related("inspection").get(pk=pk),
        **FORM_IDS["position_form"],
    )
    if not form.is_valid():
        return _render_tracking(request, finding, status=400, position_form=form)
    data = form.cleaned_data
    conflict = tracking.set_hmicfrs_position(
        finding=finding,
        position=data["hmicfrs_position"],
        closed_on=data["hmicfrs_closed_on"],
        reference=data["hmicfrs_reference"],
        superseded_by=data["superseded_by"],
        by=request.user,
        loaded_version=data["version"],
    )
    if conflict is None:
        messages.success(request, "HMICFRS's position saved.")
        return redirect("finding-tracking", pk=finding.pk)
    form = form_after_conflict(form, conflict, **FORM_IDS["position_form"])
    rows = conflict_rows(conflict, form, Finding)
    finding = _get_finding(pk)
    return _render_tracking(
        request, finding, status=409, position_conflict=rows, position_form=form
    )


@login_required
@permission_required(tracking.ASSURE_PERMISSION, raise_exception=True)
@require_POST
def submission_decide(request, pk: int):
    """An Assurer accepts the force's progress, or returns it with a note."""
    submission = get_object_or_404(ProgressSubmission, pk=pk)
    finding = _get_finding(submission.finding_id)
    form = DecisionForm(request.POST, **FORM_IDS["decision_form"])
    if form.is_valid():
        accepting = form.cleaned_data["decision"] == "accept"
        decide = tracking.accept_submission if accepting else tracking.return_submission
        try:
            decide(submission=submission, by=request.user, note=form.cleaned_data["note"])
        except tracking.Refused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
        else:
            done = SubmissionDecision.ACCEPTED if accepting else SubmissionDecision.RETURNED
            messages.success(request, f"{done.label}.")
            return redirect("finding-tracking", pk=finding.pk)
    return _render_tracking(request, finding, status=400, decision_form=form)


@login_required
@permission_required("inspections.view_finding", raise_exception=True)
def submission_file(request, pk: int, file_pk: int):
    """Evidence the force sent, through a permission check like the office's own."""
    attached = get_object_or_404(
        SubmissionFile, pk=file_pk, submission_id=pk, submission__finding__applies=True
    )
    return evidence.download(attached.file)


@login_required
@require_POST
def finding_progress_add(request, pk: int):
    finding = _get_finding(pk)
    _require_progress(request.user, finding)

    def change(data):
        tracking.add_progress(
            finding=finding, text=data["text"], evidence=data["evidence"], by=request.user
        )

    form = ProgressForm(request.POST, request.FILES, **FORM_IDS["progress_form"])
    return _apply(request, finding, form, "progress_form", change, "Progress update added.")


@login_required
@require_POST
def finding_target_revise(request, pk: int):
    _require_edit(request.user)
    finding = _get_finding(pk)

    def change(data):
        tracking.revise_target(
            finding=finding,
            by=request.user,
            revised_date=data["revised_date"],
            reason=data["reason"],
            approved_by_name=data["approved_by_name"],
        )

    # The revised date is checked against the report's (TargetRevision.clean).
    form = TargetRevisionForm(
        request.POST, instance=TargetRevision(finding=finding), **FORM_IDS["revision_form"]
    )
    done = "Revised target recorded. The original target is kept."
    return _apply(request, finding, form, "revision_form", change, done)


@login_required
@permission_required("inspections.view_finding", raise_exception=True)
def progress_evidence(request, pk: int, update_pk: int):
    """Evidence is served through a permission check, never from a public media URL."""
    finding = _get_finding(pk)
    update = get_object_or_404(finding.progress_updates, pk=update_pk)
    if not update.evidence:
        raise Http404("No evidence attached")
    return evidence.download(update.evidence)
