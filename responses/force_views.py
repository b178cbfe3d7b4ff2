"""The force's own pages (/force/): a force contributor sees the inspections and findings of
their service, the invitations to comment addressed to them and their own submissions, and
nothing of the office's: no drafts, comments, review notes or unpublished statement text.

Kept apart from the staff pages, which force contributors cannot open (they hold none of
their permissions), so that no staff page filters what it shows per person. The access
helpers below let a contributor reach only their own service's and their own records.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
)
from inspections.submissions import once
from inspections.tracking_forms import ProgressSubmissionForm
from responses import workflow
from responses.forms import CommentsForm
from responses.models import (
    ChiefOfficerComments,
    CommentsAttachment,
    CommentsStatus,
    Invitation,
    Status,
)

PAGE_SIZE = 25
# The home page's lists are short: the newest first, each with a page of its own if longer.
HOME_LIST = 10


def _service(request) -> str:
    """The requester's service; 403 for anyone who is not a force contributor."""
    service = tracking.force_service(request.user)
    if service is None:
        raise PermissionDenied
    return service


def _require_service(request, inspection: Inspection) -> None:
    _service(request)
    if not tracking.works_for(request.user, inspection):
        raise PermissionDenied


def _inspection(request, pk: int) -> Inspection:
    inspection = get_object_or_404(Inspection, pk=pk)
    _require_service(request, inspection)
    return inspection


def _finding(request, pk: int) -> Finding:
    finding = get_object_or_404(
        Finding.objects.tracked()
        .with_targets()
        .with_claims()
        .select_related("inspection", "superseded_by"),
        pk=pk,
    )
    _require_service(request, finding.inspection)
    return finding


def _invitation(request, pk: int) -> Invitation:
    invitation = get_object_or_404(
        Invitation.objects.select_related("response__inspection", "sent_by"), pk=pk
    )
    _require_service(request, invitation.response.inspection)
    if not invitation.recipients.filter(pk=request.user.pk).exists():
        raise PermissionDenied
    return invitation


def _addressed(request):
    """Invitations to the requester, newest first."""
    return (
        Invitation.objects.filter(
            recipients=request.user, response__inspection__service=_service(request)
        )
        .select_related("response__inspection")
        .order_by("-sent_at", "-pk")
    )


@login_required
def force_home(request):
    service = _service(request)
    own = ProgressSubmission.objects.filter(submitted_by=request.user)
    later = ProgressSubmission.objects.filter(
        finding=OuterRef("finding"), submitted_at__gt=OuterRef("submitted_at")
    )
    returned = own.filter(decision=SubmissionDecision.RETURNED).exclude(Exists(later))
    context = {
        "rules": services.for_service(service),
        "today": deadlines.today(),
        "invitations": list(
            _addressed(request).exclude(response__status=Status.PUBLISHED)[:HOME_LIST]
        ),
        "returned": list(returned.select_related("finding__inspection")[:HOME_LIST]),
        "pending": list(
            own.filter(decision=SubmissionDecision.PENDING).select_related(
                "finding__inspection"
            )[:HOME_LIST]
        ),
    }
    return render(request, "force/home.html", context)


@login_required
def force_inspection_list(request):
    service = _service(request)
    inspections = (
        Inspection.objects.filter(service=service)
        .annotate(finding_count=Count("findings", filter=Q(findings__applies=True)))
        .order_by("-published_on", "title")
    )
    page = Paginator(inspections, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"rules": services.for_service(service), "page": page}
    return render(request, "force/inspection_list.html", context)


@login_required
def force_inspection(request, pk: int):
    inspection = _inspection(request, pk)
    today = deadlines.today()
    findings = tracking.action_plan_findings(on=today, inspection=inspection).prefetch_related(
        None
    )
    context = {
        "inspection": inspection,
        "rules": services.of(inspection),
        "rows": [(finding, tracking.target_state(finding, on=today)) for finding in findings],
        "invitations": _addressed(request).filter(response__inspection=inspection)[:HOME_LIST],
    }
    return render(request, "force/inspection.html", context)


def _render_finding(request, finding: Finding, form=None, status: int = 200) -> HttpResponse:
    refusals = tracking.submission_refusals(request.user, finding)
    context = {
        "finding": finding,
        "rules": services.of(finding.inspection),
        "state": tracking.target_state(finding, on=deadlines.today()),
        "submissions": finding.submissions.filter(submitted_by=request.user)
        .select_related("decided_by")
        .prefetch_related("files")
        .order_by("-submitted_at", "-pk"),
        "form": form or (None if refusals else ProgressSubmissionForm()),
        "refusals": refusals,
    }
    return render(request, "force/finding.html", context, status=status)


@login_required
def force_finding(request, pk: int):
    return _render_finding(request, _finding(request, pk))


@login_required
@require_POST
def force_progress_submit(request, pk: int):
    finding = _finding(request, pk)
    form = ProgressSubmissionForm(
        request.POST, request.FILES, instance=ProgressSubmission(finding=finding)
    )
    if not form.is_valid():
        return _render_finding(request, finding, form, status=400)
    data = form.cleaned_data

    def create() -> str:
        tracking.submit_progress(
            finding=finding,
            by=request.user,
            narrative=data["narrative"],
            claimed_status=data["claimed_status"],
            revised_target=data["revised_target"],
            revised_target_reason=data["revised_target_reason"],
            files=data["files"],
        )
        messages.success(request, "Progress submitted. The office will accept or return it.")
        return reverse("force-finding", args=[finding.pk])

    try:
        return redirect(once(key=data["submission"], user=request.user, create=create))
    except tracking.Refused as refused:
        for reason in refused.reasons:
            form.add_error(None, reason)
        return _render_finding(request, finding, form, status=400)


@login_required
def force_submission_file(request, pk: int, file_pk: int):
    """Evidence the requester sent: their own submissions' files only."""
    _service(request)
    attached = get_object_or_404(
        SubmissionFile.objects.select_related("submission"), pk=file_pk, submission_id=pk
    )
    if attached.submission.submitted_by_id != request.user.pk:
        raise PermissionDenied
    return evidence.download(attached.file)


def _draft(invitation: Invitation, user) -> ChiefOfficerComments | None:
    return invitation.comments.filter(author=user, status=CommentsStatus.DRAFT).first()


def _render_invitation(request, invitation: Invitation, form=None, status=200, conflict=()):
    rules = services.of(invitation.response.inspection)
    own = invitation.comments.filter(author=request.user).prefetch_related("attachments")
    submitted = list(own.filter(status=CommentsStatus.SUBMITTED).order_by("-submitted_at"))
    draft = _draft(invitation, request.user)
    refusals = workflow.comments_refusals(invitation, request.user)
    if form is None and not refusals:
        # A correction starts from the text last sent.
        text = draft.text if draft else (submitted[0].text if submitted else "")
        form = CommentsForm(
            initial={"text": text, "version": draft.version if draft else 0}, rules=rules
        )
    context = {
        "invitation": invitation,
        "response": invitation.response,
        "inspection": invitation.response.inspection,
        "rules": rules,
        "deadline_passed": invitation.due_on < deadlines.today(),
        "submitted": submitted,
        "draft": draft,
        "form": None if refusals else form,
        "refusals": refusals,
        "conflict": conflict,
    }
    return render(request, "force/invitation.html", context, status=status)


@login_required
def force_invitation(request, pk: int):
    return _render_invitation(request, _invitation(request, pk))


@login_required
@require_POST
def force_comments(request, pk: int):
    """Saves the requester's draft, or submits it with the button named `submit`."""
    invitation = _invitation(request, pk)
    rules = services.of(invitation.response.inspection)
    form = CommentsForm(request.POST, request.FILES, rules=rules)
    if not form.is_valid():
        return _render_invitation(request, invitation, form, status=400)
    submitting = "submit" in request.POST
    step = workflow.submit_comments if submitting else workflow.save_comments_draft
    try:
        _, conflict = step(
            invitation=invitation,
            author=request.user,
            text=form.cleaned_data["text"],
            loaded_version=form.cleaned_data["version"],
            files=form.cleaned_data["attachments"],
        )
    except workflow.Refused as refused:
        for reason in refused.reasons:
            form.add_error(None, reason)
        return _render_invitation(request, invitation, form, status=400)
    if conflict is not None:
        form = form_after_conflict(form, conflict, rules=rules)
        rows = conflict_rows(conflict, form, ChiefOfficerComments)
        return _render_invitation(request, invitation, form, status=409, conflict=rows)
    if submitting:
        messages.success(request, rules.words("The chief constable's comments are submitted."))
    else:
        messages.success(request, "Draft saved. Only you can see it until you submit it.")
    return redirect("force-invitation", pk=invitation.pk)


def _own_attachment(request, pk: int, attachment_pk: int) -> CommentsAttachment:
    _service(request)
    attachment = get_object_or_404(
        CommentsAttachment.objects.select_related("comments"), pk=attachment_pk, comments_id=pk
    )
    if attachment.comments.author_id != request.user.pk:
        raise PermissionDenied
    return attachment


@login_required
def force_attachment(request, pk: int, attachment_pk: int):
    return evidence.download(_own_attachment(request, pk, attachment_pk).file)


@login_required
@require_POST
def force_attachment_remove(request, pk: int, attachment_pk: int):
    attachment = _own_attachment(request, pk, attachment_pk)
    try:
        workflow.remove_attachment(attachment=attachment, author=request.user)
    except workflow.Refused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        messages.success(request, f"{attachment.name} removed from your draft.")
    return redirect("force-invitation", pk=attachment.comments.invitation_id)
