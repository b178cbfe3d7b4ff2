"""The life of a response: who may do what, in which state, and what each step records.

States run draft -> in review -> changes requested -> in review -> approved -> published.
Every transition is one atomic function that locks the response, checks the actor's
permission and the source state, saves (simple-history writes a row with the actor and a
reason) and records its notifications, sent once the transaction commits. `available_actions`
answers which transitions a user may take now; views show buttons and accept posts from it.

A later transition (publish) is added by writing its function and registering its Rule.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from inspections import deadlines, services, tracking
from inspections.concurrency import Conflict, save_fields, save_version
from inspections.models import Inspection, OfficeSettings
from inspections.tracking import Refused
from responses import notifications, publishing, readiness
from responses.models import (
    ChiefOfficerComments,
    Comment,
    CommentsAttachment,
    CommentsStatus,
    FindingResponse,
    Invitation,
    Publication,
    Response,
    Status,
)
from responses.readiness import EDITED, EDITED_AFTER_APPROVAL, RESTORED
from responses.sections import CONTENT_FIELDS

EDIT_PERMISSION = "responses.change_response"
ANSWER_PERMISSION = "responses.change_findingresponse"
REVIEW_PERMISSION = "responses.review_response"

# Text can change in these states; an edit to an approved response sends it back to draft.
EDITABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED})


class Action(models.TextChoices):
    SUBMIT = "submit", "Submit for review"
    WITHDRAW = "withdraw", "Withdraw from review"
    REQUEST_CHANGES = "request_changes", "Request changes"
    APPROVE = "approve", readiness.APPROVED
    AMEND = "amend", "Start an amendment"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str
    permission: str
    # Extra conditions beyond state and permission: returns what blocks the actor.
    check: Callable[[Response, AbstractBaseUser], list[str]] | None = None
    reason_required: bool = False
    notify: bool = False


# --- who holds the response -------------------------------------------------------


def holder(response: Response | None) -> str:
    """Who the response is waiting on, in words."""
    if response is None:
        return "Nobody: no response has been started"
    if response.status in (Status.DRAFT, Status.CHANGES_REQUESTED):
        if waiting_on_force(response):
            return services.of(response.inspection).words("The chief constable's office")
        return display_name(response.owner) if response.owner else "No owner assigned"
    if response.status == Status.IN_REVIEW:
        return "Reviewers"
    if response.status == Status.APPROVED:
        return "Publishers"
    return "Published"


def display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Unknown"


RULES: dict[str, Rule] = {
    Action.SUBMIT: Rule(
        sources=frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
        target=Status.IN_REVIEW,
        permission=EDIT_PERMISSION,
        notify=True,
    ),
    Action.WITHDRAW: Rule(
        sources=frozenset({Status.IN_REVIEW}), target=Status.DRAFT, permission=EDIT_PERMISSION
    ),
    Action.REQUEST_CHANGES: Rule(
        sources=frozenset({Status.IN_REVIEW}),
        target=Status.CHANGES_REQUESTED,
        permission=REVIEW_PERMISSION,
        reason_required=True,
        notify=True,
    ),
    Action.APPROVE: Rule(
        sources=frozenset({Status.IN_REVIEW}),
        target=Status.APPROVED,
        permission=REVIEW_PERMISSION,
        check=readiness.approval_problems,
        notify=True,
    ),
    # Back to draft to change a published response; the published versions stay public and
    # the next publication becomes version N+1 with a note of what changed.
    Action.AMEND: Rule(
        sources=frozenset({Status.PUBLISHED}), target=Status.DRAFT, permission=EDIT_PERMISSION
    ),
}


def action_label(action: str) -> str:
    try:
        return Action(action).label
    except ValueError:
        return action.replace("_", " ").capitalize()


def blockers(response: Response, user: AbstractBaseUser, action: str) -> list[str]:
    """Why `user` may not take `action` on `response` now: empty when they may."""
    rule = RULES.get(action)
    if rule is None:
        return ["There is no such action"]
    if not user.has_perm(rule.permission):
        return ["Your role does not allow this"]
    if response.status not in rule.sources:
        return [
            f"A response that is {response.get_status_display().lower()} cannot be given "
            f"“{action_label(action).lower()}”"
        ]
    return rule.check(response, user) if rule.check else []


def available_actions(response: Response | None, user: AbstractBaseUser) -> list[str]:
    """The transitions `user` may take on `response` now, in the order buttons are shown."""
    if response is None:
        return []
    return [action for action in RULES if not blockers(response, user, action)]


def _lock(response_id: int) -> Response:
    return Response.objects.select_for_update().select_related("inspection").get(pk=response_id)


@transaction.atomic
def perform(
    action: str, *, response: Response, actor: AbstractBaseUser, reason: str = ""
) -> Response:
    """Takes `action` on `response` as `actor`; raises Refused when it is not allowed now."""
    locked = _lock(response.pk)
    rule = RULES.get(action)
    problems = blockers(locked, actor, action)
    reason = reason.strip()
    if rule and rule.reason_required and not reason and not problems:
        problems = ["Say what needs to change"]
    if problems:
        raise Refused(problems)
    locked.status = rule.target
    label = action_label(action)
    save_version(locked, actor=actor, reason=_step_reason(label, reason))
    if rule.notify:
        notifications.transition(response=locked, action=label, actor=actor, reason=reason)
    return locked


def _step_reason(label: str, note: str) -> str:
    """A step's history reason: its label, then the person's note in full."""
    return f"{label}: {note}" if note else label


@dataclass(frozen=True)
class ChangesRequest:
    note: str
    by: AbstractBaseUser | None
    at: datetime.datetime


def changes_requested(response: Response) -> ChangesRequest | None:
    """What the reviewer asked to change, while the response waits for the change (until it
    is submitted again)."""
    if response.status != Status.CHANGES_REQUESTED:
        return None
    label = action_label(Action.REQUEST_CHANGES)
    step = (
        Response.history.filter(
            id=response.pk,
            status=Status.CHANGES_REQUESTED,
            history_change_reason__startswith=label,
        )
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if step is None:
        return None
    note = step.history_change_reason.removeprefix(label).removeprefix(": ")
    return ChangesRequest(note=note, by=step.history_user, at=step.history_date)


def submit(*, response: Response, actor: AbstractBaseUser, reason: str = "") -> Response:
    return perform(Action.SUBMIT, response=response, actor=actor, reason=reason)


def withdraw(*, response: Response, actor: AbstractBaseUser, reason: str = "") -> Response:
    return perform(Action.WITHDRAW, response=response, actor=actor, reason=reason)


def request_changes(*, response: Response, actor: AbstractBaseUser, reason: str) -> Response:
    return perform(Action.REQUEST_CHANGES, response=response, actor=actor, reason=reason)


def approve(*, response: Response, actor: AbstractBaseUser, reason: str = "") -> Response:
    return perform(Action.APPROVE, response=response, actor=actor, reason=reason)


def amend(*, response: Response, actor: AbstractBaseUser, reason: str = "") -> Response:
    return perform(Action.AMEND, response=response, actor=actor, reason=reason)


def response_publish(
    *, response: Response, by: AbstractBaseUser, amendment_note: str = "", late_reason: str = ""
) -> Publication:
    """Publishes an approved response as its next version (not a RULES action: publishing
    renders and stores files, so it has its own form and never goes through `perform`)."""
    try:
        return publishing.publish_statement(
            response=response, by=by, amendment_note=amendment_note, late_reason=late_reason
        )
    except publishing.PublishError as error:
        raise Refused([str(error)]) from error


# --- starting, owning and editing -----------------------------------------------------


@transaction.atomic
def start_response(*, inspection: Inspection, actor: AbstractBaseUser) -> Response:
    """The inspection's response, made as a draft owned by `actor` if it has none yet."""
    if not actor.has_perm("responses.add_response"):
        raise Refused(["Your role does not allow this"])
    existing = Response.objects.filter(inspection=inspection).first()
    if existing:
        return existing
    response = Response(inspection=inspection, owner=actor)
    response._history_user = actor
    response._change_reason = "Started"
    response.save()
    return response


@transaction.atomic
def assign_owner(*, response: Response, actor: AbstractBaseUser, owner) -> Response:
    locked = _lock(response.pk)
    if not actor.has_perm(EDIT_PERMISSION):
        raise Refused(["Your role does not allow this"])
    if locked.status == Status.PUBLISHED:
        raise Refused(["A published response cannot be reassigned"])
    if locked.owner_id != (owner.pk if owner else None):
        locked.owner = owner
        save_version(
            locked, actor=actor, reason=f"Owner: {display_name(owner) if owner else 'none'}"
        )
    return locked


def edit_refusals(response: Response, actor: AbstractBaseUser, permission: str) -> list[str]:
    """Why `actor` may not change the response's text now (none: they may)."""
    if not actor.has_perm(permission):
        return ["Your role does not allow this"]
    if response.status not in EDITABLE:
        return [
            f"A response that is {response.get_status_display().lower()} cannot be edited"
            + (": withdraw it from review first" if response.status == Status.IN_REVIEW else "")
        ]
    return []


def comment_refusals(response: Response, actor: AbstractBaseUser) -> list[str]:
    """Why `actor` may not comment on the response now (none: they may)."""
    if not actor.has_perm(REVIEW_PERMISSION):
        return ["Only reviewers can comment"]
    if response.status == Status.PUBLISHED:
        return ["A published response cannot be commented on"]
    return []


def can_resolve_comments(actor: AbstractBaseUser) -> bool:
    return actor.has_perm(REVIEW_PERMISSION) or actor.has_perm(EDIT_PERMISSION)


def _check_editable(response: Response, actor: AbstractBaseUser, permission: str) -> None:
    if refusals := edit_refusals(response, actor, permission):
        raise Refused(refusals)


def _edit_reason(response: Response, what: str) -> str:
    return EDITED_AFTER_APPROVAL if response.status == Status.APPROVED else f"{EDITED}: {what}"


@transaction.atomic
def save_response_fields(
    *,
    response: Response,
    actor: AbstractBaseUser,
    values: dict[str, Any],
    loaded_version: int,
    what: str,
    reason: str | None = None,
) -> Conflict | None:
    """Saves `values` onto the response's own fields unless someone changed them since
    `loaded_version`: then nothing is saved and the Conflict holds both texts."""
    locked = _lock(response.pk)
    _check_editable(locked, actor, EDIT_PERMISSION)
    fixed = [
        name
        for name in force_fixed_fields(locked)
        if name in values and values[name] != getattr(locked, name)
    ]
    if fixed:
        rules = services.of(locked.inspection)
        raise Refused([rules.words("What the force sent for the chief constable stays as sent")])
    return save_fields(
        locked,
        values=values,
        loaded_version=loaded_version,
        actor=actor,
        reason=reason or _edit_reason(locked, what),
        also={"status": Status.DRAFT} if locked.status == Status.APPROVED else None,
    )


@transaction.atomic
def save_answer(
    *,
    response: Response,
    finding_id: int,
    actor: AbstractBaseUser,
    text: str,
    loaded_version: int,
    reason: str | None = None,
) -> Conflict | None:
    """Saves the answer to one finding (version 0: none existed when the form was loaded)."""
    locked = _lock(response.pk)
    _check_editable(locked, actor, ANSWER_PERMISSION)
    finding = locked.inspection.findings.filter(pk=finding_id, applies=True).first()
    if finding is None:
        raise Refused(["That finding has been removed or does not apply to our force"])
    answer = FindingResponse.objects.select_for_update().filter(
        finding=finding
    ).first() or FindingResponse(response=locked, finding=finding, version=0)
    before = answer.version
    conflict = save_fields(
        answer,
        values={"text": text},
        loaded_version=loaded_version,
        actor=actor,
        reason=reason or _edit_reason(locked, f"action on {finding.label}"),
    )
    if answer.version != before and locked.status == Status.APPROVED:
        locked.status = Status.DRAFT
        save_version(locked, actor=actor, reason=EDITED_AFTER_APPROVAL)
    return conflict


def restore_response_version(*, response: Response, actor: AbstractBaseUser, record) -> None:
    """Makes the text of an earlier version (a HistoricalResponse row) the current text, but
    for what the force sent (it stays as the force sent it)."""
    fixed = force_fixed_fields(response)
    save_response_fields(
        response=response,
        actor=actor,
        values={f: getattr(record, f) for f in CONTENT_FIELDS if f not in fixed},
        loaded_version=response.version,
        what="",
        reason=f"{RESTORED} {record.version}",
    )


def restore_answer_version(*, response: Response, actor: AbstractBaseUser, record) -> None:
    """Makes the text of an earlier version (a HistoricalFindingResponse row) current."""
    current = FindingResponse.objects.filter(finding_id=record.finding_id).first()
    save_answer(
        response=response,
        finding_id=record.finding_id,
        actor=actor,
        text=record.text,
        loaded_version=current.version if current else 0,
        reason=f"{RESTORED} {record.version}",
    )


# --- review comments ------------------------------------------------------------------


@transaction.atomic
def add_comment(
    *, response: Response, actor: AbstractBaseUser, text: str, section: str = ""
) -> Comment:
    if refusals := comment_refusals(response, actor):
        raise Refused(refusals)
    comment = Comment(response=response, author=actor, text=text.strip(), section=section)
    comment._history_user = actor
    comment.save()
    return comment


@transaction.atomic
def resolve_comment(*, comment: Comment, actor: AbstractBaseUser) -> Comment:
    if not can_resolve_comments(actor):
        raise Refused(["Your role does not allow this"])
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.resolved_at is None:
        locked.resolved_at = timezone.now()
        locked.resolved_by = actor
        locked._history_user = actor
        locked._change_reason = "Resolved"
        locked.save()
    return locked


# --- the chief officer's comments (Police Act 1996 s.55(4)) ------------------------------
#
# The drafter invites the chief officer (chief constable, or chief fire officer: for fire the
# office asks the same way, though no law requires it) to comment by a date; the force's
# contributors write the comments on their own pages and submit them, which places them in
# the response's chief officer's section.

# An invitation goes out while the response is being written.
INVITABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
INVITED = "Invited"
COMMENTS_SUBMITTED = "Comments submitted"


def comments_window(response: Response, *, on: datetime.date, office: OfficeSettings):
    """When the chief officer's comments on `response`, asked for on `on`, may be wanted by
    (inspections.deadlines.comments_window); None when it is too late to ask."""
    return deadlines.comments_window(
        on=on,
        deadline=response.inspection.deadline(office),
        default_days=office.comments_default_days,
        min_days=office.comments_min_days,
        office_days=office.comments_office_days,
    )


def latest_invitation(response: Response) -> Invitation | None:
    return response.invitations.order_by("-sent_at", "-pk").first()


def waiting_on_force(response: Response) -> bool:
    """Invited, and the comments not yet received."""
    return (
        response.status != Status.PUBLISHED
        and response.chief_constable_received_on is None
        and response.invitations.exists()
    )


def submitted_comments(response: Response):
    return ChiefOfficerComments.objects.filter(
        invitation__response=response, status=CommentsStatus.SUBMITTED
    )


def force_fixed_fields(response: Response) -> tuple[str, ...]:
    """The chief officer's section's fields the force's part fixes, which the drafter sees but
    cannot change: the dates, once the invitation is sent; the comments and the date they
    arrived, once submitted."""
    if not response.invitations.exists():
        return ()
    fixed = ("chief_constable_requested_on", "chief_constable_due_on")
    if submitted_comments(response).exists():
        fixed += ("chief_constable_comments", "chief_constable_received_on")
    return fixed


def invitation_refusals(
    response: Response, actor: AbstractBaseUser, *, on: datetime.date, office: OfficeSettings
) -> list[str]:
    """Why `actor` may not invite the chief officer's comments on `response` now."""
    rules = services.of(response.inspection)
    if not actor.has_perm(EDIT_PERMISSION):
        return ["Your role does not allow this"]
    if response.status not in INVITABLE:
        return [
            f"A response that is {response.get_status_display().lower()} cannot be sent out "
            "for comments"
        ]
    if response.chief_constable_received_on:
        return [
            rules.words(
                "The chief constable's comments were received on "
                f"{deadlines.in_words(response.chief_constable_received_on)}: a correction "
                "comes from the force's own pages"
            )
        ]
    if comments_window(response, on=on, office=office) is None:
        return [
            "The response's last day is today or has passed, so comments can no longer be "
            "asked for before it"
        ]
    return []


@transaction.atomic
def invite_chief_officer(
    *,
    response: Response,
    actor: AbstractBaseUser,
    recipients: list,
    due_on: datetime.date,
    message: str = "",
) -> Invitation:
    """Sends the invitation: records the date it was sent and the date the comments are
    wanted by in the response's chief officer's section, and emails each recipient a link."""
    locked = _lock(response.pk)
    today = deadlines.today()
    office = OfficeSettings.load()
    if refusals := invitation_refusals(locked, actor, on=today, office=office):
        raise Refused(refusals)
    problem = comments_window(locked, on=today, office=office).problem(
        due_on, label="The date the comments are wanted by"
    )
    allowed = set(
        tracking.force_contributors(locked.inspection.service).values_list("pk", flat=True)
    )
    if not recipients or any(person.pk not in allowed for person in recipients):
        problem = problem or "Choose who to send it to, among the force's contributors"
    if problem:
        raise Refused([problem])
    invitation = Invitation(
        response=locked, requested_on=today, due_on=due_on, message=message, sent_by=actor
    )
    invitation._history_user = actor
    invitation.save()
    invitation.recipients.set(recipients)
    locked.chief_constable_requested_on = today
    locked.chief_constable_due_on = due_on
    save_version(locked, actor=actor, reason=f"{INVITED}: comments by {deadlines.in_words(due_on)}")
    notifications.invitation_sent(invitation=invitation, actor=actor)
    return invitation


def comments_refusals(invitation: Invitation, user: AbstractBaseUser) -> list[str]:
    """Why `user` may not write comments for `invitation` now (none: they may)."""
    response = invitation.response
    if (
        not tracking.works_for(user, response.inspection)
        or not invitation.recipients.filter(pk=user.pk).exists()
    ):
        return ["This invitation is not addressed to you"]
    if response.status == Status.PUBLISHED:
        return ["The statement has been published, so comments can no longer be added to it"]
    if latest_invitation(response) != invitation:
        return ["A later invitation replaced this one: answer that one"]
    return []


def _attach(comments: ChiefOfficerComments, files, actor) -> None:
    for upload in files:
        attachment = CommentsAttachment(comments=comments, file=upload)
        attachment._history_user = actor
        attachment.save()


@transaction.atomic
def save_comments_draft(
    *,
    invitation: Invitation,
    author: AbstractBaseUser,
    text: str,
    loaded_version: int,
    files: list[UploadedFile] = (),
) -> tuple[ChiefOfficerComments, Conflict | None]:
    """Saves the author's draft (version 0: none existed when the form was loaded), which
    only they see, with any files added to it; nothing is saved if someone (the author in
    another window) saved it since."""
    if refusals := comments_refusals(invitation, author) or (
        [] if text.strip() else ["Write the comments"]
    ):
        raise Refused(refusals)
    draft = (
        ChiefOfficerComments.objects.select_for_update()
        .filter(invitation=invitation, author=author, status=CommentsStatus.DRAFT)
        .first()
    )
    if draft is None:
        # A new draft; the one the form was loaded from, if any, was submitted since.
        draft, loaded_version = ChiefOfficerComments(
            invitation=invitation, author=author, version=0
        ), 0
    conflict = save_fields(
        draft, values={"text": text}, loaded_version=loaded_version, actor=author, reason="Saved"
    )
    if conflict is None:
        _attach(draft, files, author)
    return draft, conflict


@transaction.atomic
def remove_attachment(*, attachment: CommentsAttachment, author: AbstractBaseUser) -> None:
    """Takes a file off the author's draft; a submitted one's files are kept."""
    comments = ChiefOfficerComments.objects.select_for_update().get(pk=attachment.comments_id)
    if comments.author_id != author.pk or not comments.is_draft:
        raise Refused(["Only a file of your own draft can be removed"])
    attachment._history_user = author
    attachment.delete()


@transaction.atomic
def submit_comments(
    *,
    invitation: Invitation,
    author: AbstractBaseUser,
    text: str,
    loaded_version: int,
    files: list[UploadedFile] = (),
) -> tuple[ChiefOfficerComments, Conflict | None]:
    """Saves and submits the author's comments: records the date received and who sent them,
    places them in the response's chief officer's section (a response in review or approved
    goes back to draft, to be reviewed with them), and tells the response's owner.

    The submitted text is never changed; a correction is a later submission, which takes
    its place in the section (the history keeps both)."""
    draft, conflict = save_comments_draft(
        invitation=invitation, author=author, text=text, loaded_version=loaded_version, files=files
    )
    if conflict is not None:
        return draft, conflict
    response = _lock(invitation.response_id)
    today = deadlines.today()
    draft.status = CommentsStatus.SUBMITTED
    draft.submitted_at = timezone.now()
    draft.received_on = today
    save_version(draft, actor=author, reason="Submitted")
    response.chief_constable_comments = draft.text
    response.chief_constable_received_on = today
    reason = f"{COMMENTS_SUBMITTED} by {display_name(author)}"
    if response.status in (Status.IN_REVIEW, Status.APPROVED):
        response.status = Status.DRAFT
        reason += ": back to draft to be reviewed with them"
    save_version(response, actor=author, reason=reason)
    notifications.comments_submitted(comments=draft, actor=author)
    return draft, None
