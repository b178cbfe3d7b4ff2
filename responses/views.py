from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inspections import deadlines, evidence, services, tracking
from inspections.concurrency import conflict_rows, form_after_conflict
from inspections.context_processors import office_settings
from inspections.history import versions
from inspections.models import FindingKind, Inspection
from inspections.submissions import once
from responses import outbox, readiness, workflow
from responses.forms import (
    ActionForm,
    AnswerForm,
    CommentForm,
    InvitationForm,
    OwnerForm,
    comment_sections,
    section_form_class,
)
from responses.models import (
    Comment,
    CommentsAttachment,
    CommentsStatus,
    FindingResponse,
    Response,
    Status,
)
from responses.sections import (
    CONTENT_FIELDS,
    RESPONSE_SECTIONS,
    completeness_gaps,
    finding_key,
    section_title,
)

VIEW = "responses.view_response"


def _get_response(request, pk: int) -> Response:
    return get_object_or_404(Response.objects.select_related("inspection", "owner"), pk=pk)


def _get_applicable_finding(response: Response, finding_pk: int):
    finding = get_object_or_404(response.inspection.findings, pk=finding_pk)
    if not finding.applies:
        raise Http404("This finding does not apply to our force: it needs no answer.")
    return finding


def _require_action(request, action: str) -> str:
    if action not in workflow.RULES:
        raise Http404("No such action")
    if not request.user.has_perm(workflow.RULES[action].permission):
        raise PermissionDenied
    return action


def _detail_context(request, response: Response, *, failed=None, **extra) -> dict:
    """The response page's context. `failed` is a form posted from the page with errors: it
    takes the place of its empty twin, so the page shows what was typed and what is wrong."""
    inspection = response.inspection
    findings = list(inspection.findings.all())
    answers = {a.finding_id: a for a in response.answers.all()}
    comments = list(response.comments.select_related("author", "resolved_by"))
    by_section: dict[str, list[Comment]] = {}
    for comment in comments:
        by_section.setdefault(comment.section, []).append(comment)
    gaps = completeness_gaps(response, findings, {k: a.text for k, a in answers.items()})
    user = request.user
    rules = services.of(inspection)
    can_comment = not workflow.comment_refusals(response, user)
    commentable = comment_sections(findings)

    def comment_form(key: str):
        # A refused comment stays on the page, with what was typed and why it was refused.
        if isinstance(failed, CommentForm) and failed.box == key:
            return failed
        return CommentForm(sections=commentable, section=key) if can_comment else None

    sections = [
        {
            "key": section.key,
            "title": section.title_for(rules),
            "response": response,
            "comments": by_section.get(section.key, []),
            "comment_form": comment_form(section.key),
        }
        for section in RESPONSE_SECTIONS.values()
    ]
    finding_sections = [
        {
            "key": finding_key(f.pk),
            "finding": f,
            "answer": answers.get(f.pk),
            "comments": by_section.get(finding_key(f.pk), []),
            "comment_form": comment_form(finding_key(f.pk)),
        }
        for f in findings
    ]
    findings_by_key = {finding_key(f.pk): f for f in findings}
    available = workflow.available_actions(response, user)
    failed_action = failed.action if isinstance(failed, ActionForm) else None
    # A refused action keeps its form on the page, with what was typed and why it was refused.
    if failed_action and failed_action not in available:
        available.append(failed_action)
    actions = [
        (
            action,
            workflow.action_label(action),
            failed
            if action == failed_action
            else ActionForm(action=action, reason_required=workflow.RULES[action].reason_required),
        )
        for action in available
    ]
    deadline = inspection.deadline(office_settings(request))
    return {
        "response": response,
        "inspection": inspection,
        "rules": rules,
        "deadline": deadline,
        "clock": inspection.response_clock(on=deadlines.today(), office=office_settings(request)),
        "holder": workflow.holder(response),
        "changes_requested": workflow.changes_requested(response),
        "sections": sections,
        "finding_sections": finding_sections,
        "general_comments": by_section.get("", []),
        "general_comment_form": comment_form(""),
        "open_comments": [
            (comment, section_title(comment.section, rules, findings_by_key))
            for comment in comments
            if comment.is_open
        ],
        "gaps": gaps,
        "actions": actions,
        "approval_blockers": (
            readiness.approval_problems(response, user)
            if response.status == Status.IN_REVIEW and user.has_perm(workflow.REVIEW_PERMISSION)
            else []
        ),
        "can_edit": not workflow.edit_refusals(response, user, workflow.EDIT_PERMISSION),
        "can_answer": not workflow.edit_refusals(response, user, workflow.ANSWER_PERMISSION),
        "can_resolve": workflow.can_resolve_comments(user),
        "owner_form": failed
        if isinstance(failed, OwnerForm)
        else OwnerForm(initial={"owner": response.owner_id}),
        "failed": failed,
        "unsent_emails": list(outbox.failed_notifications().filter(response=response)),
        "invitation": workflow.latest_invitation(response),
        "force_comments": workflow.submitted_comments(response)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("-submitted_at", "-pk"),
        "fixed": workflow.force_fixed_fields(response),
        "can_invite": not workflow.invitation_refusals(
            response, user, on=deadlines.today(), office=office_settings(request)
        ),
        **extra,
    }


def _refused(request, response: Response, refused: workflow.Refused, form=None):
    """The response page again, with what stopped the user at the top: linked to the form they
    posted (which shows what they typed), if the refusal was about one."""
    if form is None:
        ctx = _detail_context(request, response, errors=refused.reasons)
    else:
        for reason in refused.reasons:
            form.add_error(None, reason)
        ctx = _detail_context(request, response, failed=form)
    return render(request, "responses/response_detail.html", ctx, status=400)


def _invalid(request, response: Response, form):
    """The response page again, showing the form posted from it with its errors."""
    ctx = _detail_context(request, response, failed=form)
    return render(request, "responses/response_detail.html", ctx, status=400)


@login_required
@permission_required(VIEW, raise_exception=True)
def response_detail(request, pk: int):
    response = _get_response(request, pk)
    return render(request, "responses/response_detail.html", _detail_context(request, response))


@login_required
@permission_required("responses.add_response", raise_exception=True)
@require_POST
def response_start(request, inspection_pk: int):
    inspection = get_object_or_404(Inspection, pk=inspection_pk)
    response = workflow.start_response(inspection=inspection, actor=request.user)
    return redirect("response-detail", response.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def response_action(request, pk: int, action: str):
    response = _get_response(request, pk)
    action = _require_action(request, action)
    form = ActionForm(
        request.POST, action=action, reason_required=workflow.RULES[action].reason_required
    )
    if not form.is_valid():
        return _invalid(request, response, form)
    try:
        workflow.perform(
            action, response=response, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except workflow.Refused as refused:
        return _refused(request, response, refused, form)
    return redirect("response-detail", response.pk)


@login_required
@permission_required(workflow.EDIT_PERMISSION, raise_exception=True)
@require_POST
def response_assign_owner(request, pk: int):
    response = _get_response(request, pk)
    form = OwnerForm(request.POST)
    if not form.is_valid():
        return _invalid(request, response, form)
    try:
        workflow.assign_owner(
            response=response, actor=request.user, owner=form.cleaned_data["owner"]
        )
    except workflow.Refused as refused:
        return _refused(request, response, refused, form)
    return redirect("response-detail", response.pk)


def _edit(request, response, *, form, model, title, save, template_ctx):
    """Shows an edit form; on POST saves through `save(form)`, which may return a Conflict."""
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save(form)
        except workflow.Refused as refused:
            return _refused(request, response, refused)
        if conflict is None:
            return redirect(f"{response.get_absolute_url()}#{template_ctx['anchor']}")
        form = form_after_conflict(form, conflict)
        rows = conflict_rows(conflict, form, model)
        ctx = {"response": response, "form": form, "title": title, "conflict": rows, **template_ctx}
        return render(request, "responses/section_edit.html", ctx, status=409)
    if response.status not in workflow.EDITABLE:
        return _refused(
            request, response, workflow.Refused(["This response cannot be edited in its state"])
        )
    ctx = {"response": response, "form": form, "title": title, **template_ctx}
    return render(request, "responses/section_edit.html", ctx, status=400 if form.errors else 200)


@login_required
@permission_required(workflow.EDIT_PERMISSION, raise_exception=True)
def response_section_edit(request, pk: int, section: str):
    response = _get_response(request, pk)
    if section not in RESPONSE_SECTIONS:
        raise Http404("No such section")
    spec = RESPONSE_SECTIONS[section]
    rules = services.of(response.inspection)
    title = spec.title_for(rules)
    fixed = workflow.force_fixed_fields(response)
    form_class = section_form_class(spec, rules, fixed)
    if request.method == "POST":
        form = form_class(request.POST, instance=Response.objects.get(pk=response.pk))
    else:
        form = form_class(instance=response, initial={"version": response.version})

    def save(form):
        return workflow.save_response_fields(
            response=response,
            actor=request.user,
            values={name: form.cleaned_data[name] for name in spec.fields if name not in fixed},
            loaded_version=form.cleaned_data["version"],
            what=title[0].lower() + title[1:],
        )

    return _edit(
        request,
        response,
        form=form,
        model=Response,
        title=title,
        save=save,
        template_ctx={"anchor": section, "fixed": fixed},
    )


@login_required
@permission_required(workflow.ANSWER_PERMISSION, raise_exception=True)
def response_answer_edit(request, pk: int, finding_pk: int):
    response = _get_response(request, pk)
    finding = _get_applicable_finding(response, finding_pk)
    answer = FindingResponse.objects.filter(finding=finding).first()
    # Each recommendation of a police report needs an answer before approval (s.55(5B)).
    needed = (
        services.of(response.inspection).explains_recommendations
        and finding.kind == FindingKind.RECOMMENDATION
    )
    if request.method == "POST":
        form = AnswerForm(request.POST, needed_for_approval=needed)
    else:
        form = AnswerForm(
            initial={
                "text": answer.text if answer else "",
                "version": answer.version if answer else 0,
            },
            needed_for_approval=needed,
        )

    def save(form):
        return workflow.save_answer(
            response=response,
            finding_id=finding.pk,
            actor=request.user,
            text=form.cleaned_data["text"],
            loaded_version=form.cleaned_data["version"],
        )

    return _edit(
        request,
        response,
        form=form,
        model=FindingResponse,
        title=f"Action on {finding.label}",
        save=save,
        template_ctx={"anchor": finding_key(finding.pk), "finding": finding},
    )


@login_required
@permission_required("responses.add_comment", raise_exception=True)
@require_POST
def comment_add(request, pk: int):
    response = _get_response(request, pk)
    form = CommentForm(
        request.POST,
        sections=comment_sections(response.inspection.findings.all()),
        section=request.POST.get("section", ""),
    )
    if not form.is_valid():
        return _invalid(request, response, form)
    section = form.cleaned_data["section"]

    def create() -> str:
        workflow.add_comment(
            response=response, actor=request.user, text=form.cleaned_data["text"], section=section
        )
        return f"{response.get_absolute_url()}#{section or 'comments'}"

    try:
        url = once(key=form.cleaned_data["submission"], user=request.user, create=create)
    except workflow.Refused as refused:
        return _refused(request, response, refused, form)
    return redirect(url)


@login_required
@permission_required("responses.change_comment", raise_exception=True)
@require_POST
def comment_resolve(request, pk: int):
    comment = get_object_or_404(Comment.objects.select_related("response"), pk=pk)
    try:
        workflow.resolve_comment(comment=comment, actor=request.user)
    except workflow.Refused as refused:
        return _refused(request, comment.response, refused)
    return redirect(f"{comment.response.get_absolute_url()}#{comment.section or 'comments'}")


@login_required
@permission_required(VIEW, raise_exception=True)
def response_history(request, pk: int):
    response = _get_response(request, pk)
    findings = {finding_key(f.pk): f for f in response.inspection.findings.all()}
    rules = services.of(response.inspection)
    own = versions(
        Response.history.filter(id=response.pk).select_related("history_user"),
        (*CONTENT_FIELDS, "status"),
        subject=lambda r: "The response",
    )
    for version in own:
        for change in version.changes:
            change.label = rules.words(change.label)
    answers = versions(
        FindingResponse.history.filter(response_id=response.pk).select_related("history_user"),
        ("text",),
        subject=lambda r: section_title(finding_key(r.finding_id), rules, findings),
    )
    can_restore = response.status in workflow.EDITABLE and request.user.has_perm(
        workflow.EDIT_PERMISSION
    )
    # A version can be restored when its text differs from the text now.
    current_answers = dict(response.answers.values_list("finding_id", "text"))
    for version in own:
        version.restore = (
            can_restore
            and any(getattr(version.record, f) != getattr(response, f) for f in CONTENT_FIELDS)
            and ("response", version.record.history_id)
        )
    for version in answers:
        record = version.record
        version.restore = (
            can_restore
            and record.history_type != "-"
            and record.finding_id in current_answers
            and record.text != current_answers[record.finding_id]
            and ("answer", record.history_id)
        )
    timeline = sorted(own + answers, key=lambda v: (v.when, v.record.history_id), reverse=True)
    ctx = {"response": response, "inspection": response.inspection, "timeline": timeline}
    return render(request, "responses/response_history.html", ctx)


@login_required
@permission_required(workflow.EDIT_PERMISSION, raise_exception=True)
@require_POST
def response_restore(request, pk: int, kind: str, history_id: int):
    response = _get_response(request, pk)
    if kind == "response":
        record = get_object_or_404(Response.history, id=response.pk, history_id=history_id)
        restore = workflow.restore_response_version
    elif kind == "answer":
        record = get_object_or_404(
            FindingResponse.history, response_id=response.pk, history_id=history_id
        )
        restore = workflow.restore_answer_version
    else:
        raise Http404("No such kind of version")
    try:
        restore(response=response, actor=request.user, record=record)
    except workflow.Refused as refused:
        return _refused(request, response, refused)
    return redirect("response-history", response.pk)


@login_required
@permission_required(workflow.EDIT_PERMISSION, raise_exception=True)
def response_invite(request, pk: int):
    """Invites the chief officer's comments (s.55(4)): to whom, by when, with a message."""
    response = _get_response(request, pk)
    office = office_settings(request)
    today = deadlines.today()
    if refusals := workflow.invitation_refusals(response, request.user, on=today, office=office):
        return _refused(request, response, workflow.Refused(refusals))
    rules = services.of(response.inspection)
    kwargs = {
        "window": workflow.comments_window(response, on=today, office=office),
        "rules": rules,
        "people": tracking.force_contributors(response.inspection.service),
    }
    form = InvitationForm(request.POST if request.method == "POST" else None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create() -> str:
            workflow.invite_chief_officer(
                response=response,
                actor=request.user,
                recipients=list(data["recipients"]),
                due_on=data["due_on"],
                message=data["message"],
            )
            messages.success(request, rules.words("The chief constable's comments are asked for."))
            return f"{reverse('response-detail', args=[response.pk])}#chief-constable"

        try:
            return redirect(once(key=data["submission"], user=request.user, create=create))
        except workflow.Refused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
    context = {
        "response": response,
        "inspection": response.inspection,
        "rules": rules,
        "form": form,
        "previous": workflow.latest_invitation(response),
    }
    return render(
        request, "responses/invite.html", context, status=400 if form.errors else 200
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def comments_attachment(request, pk: int, attachment_pk: int):
    """A file sent with the chief officer's comments, once submitted (drafts are the force's)."""
    response = _get_response(request, pk)
    attachment = get_object_or_404(
        CommentsAttachment,
        pk=attachment_pk,
        comments__invitation__response=response,
        comments__status=CommentsStatus.SUBMITTED,
    )
    return evidence.download(attachment.file)
