"""Whether a response may be approved, and whether the approval still stands when it is published.

Approval (responses.workflow) and publishing (responses.publishing) ask the same questions
here, so a status reached any other way (the admin, a script, the ORM) cannot publish:

- every applicable part is written (responses.sections.completeness_gaps);
- no review comment is open;
- separation of duties: nobody approves text they wrote since it was last approved;
- and, at publication, the approval is a real step of the workflow that nothing has
  changed since.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q

from inspections.models import OfficeSettings
from responses.models import FindingResponse, Response, Status
from responses.sections import CONTENT_FIELDS, completeness_gaps

# History reasons the workflow writes (responses.workflow): separation of duties reads them.
APPROVED = "Approve"  # the label of the approve action
EDITED = "Edited"
EDITED_AFTER_APPROVAL = "Edited after approval"
RESTORED = "Restored version"


def _approvals(response: Response):
    """History rows of the approvals the workflow recorded, newest first: each a step from in
    review to approved (versions are consecutive), so a later save that merely carries the
    same reason is not one."""
    from_review = Response.history.filter(
        id=OuterRef("id"), version=OuterRef("version") - 1, status=Status.IN_REVIEW
    )
    return Response.history.filter(
        Exists(from_review),
        id=response.pk,
        status=Status.APPROVED,
        history_change_reason__startswith=APPROVED,
    ).order_by("-history_date", "-history_id")


def last_approval(response: Response, *, before: datetime.datetime | None = None):
    """The newest approval recorded by the workflow (before `before`), or None."""
    approvals = _approvals(response)
    if before is not None:
        approvals = approvals.filter(history_date__lt=before)
    return approvals.first()


def editors_since_last_approval(
    response: Response, *, until: datetime.datetime | None = None
) -> set[int]:
    """Ids of the users who changed the text since its last approval (or ever, if never),
    up to `until` (now when None). Two or three queries whatever the length of the history."""
    approval = last_approval(response, before=until)
    window = Q(history_date__gt=approval.history_date) if approval else Q()
    if until is not None:
        window &= Q(history_date__lt=until)
    edited = Q(history_change_reason__startswith=EDITED) | Q(
        history_change_reason__startswith=RESTORED
    )
    users = set(
        Response.history.filter(window, edited, id=response.pk).values_list(
            "history_user_id", flat=True
        )
    )
    users |= set(
        FindingResponse.history.filter(window, response_id=response.pk).values_list(
            "history_user_id", flat=True
        )
    )
    users.discard(None)
    return users


def approval_problems(
    response: Response, approver: AbstractBaseUser, *, as_of: datetime.datetime | None = None
) -> list[str]:
    """What stops `approver` approving `response` (at the moment `as_of`, now when None),
    beyond its state and their role."""
    answers = dict(response.answers.values_list("finding_id", "text"))
    findings = response.inspection.findings.all()
    problems = [gap.message for gap in completeness_gaps(response, findings, answers)]
    open_comments = response.comments.filter(resolved_at__isnull=True).count()
    if open_comments:
        problems.append(f"Resolve the open review comments ({open_comments}) before approving")
    if OfficeSettings.load().separation_of_duties and approver.pk in editors_since_last_approval(
        response, until=as_of
    ):
        problems.append(
            "You edited this response since it was last approved, so someone else must approve "
            "it (separation of duties)"
        )
    return problems


def _changed_since(response: Response, approval) -> bool:
    """Whether the text or any answer changed after the approval recorded in `approval`,
    by any path: an edit made around the workflow records no reason, or no user."""
    if any(getattr(approval, name) != getattr(response, name) for name in CONTENT_FIELDS):
        return True
    return FindingResponse.history.filter(
        response_id=response.pk, history_date__gt=approval.history_date
    ).exists()


def publication_problems(response: Response) -> list[str]:
    """What stops the approved `response` being published now: its approval must be one the
    workflow recorded, nothing may have changed since, and it must pass approval's checks as
    they stood for its approver."""
    approval = last_approval(response)
    if approval is None or approval.history_user is None:
        return ["It has no approval recorded by a reviewer, so it cannot be published"]
    if _changed_since(response, approval):
        return ["It was changed after it was approved, so it must be approved again"]
    problems = approval_problems(response, approval.history_user, as_of=approval.history_date)
    return [problem.replace("You edited", "Its approver edited") for problem in problems]
