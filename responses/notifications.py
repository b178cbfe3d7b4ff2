"""Emails about a response's progress, to its owner and the reviewers (never to the actor), and
about the force's part: invitations to comment, comments received, progress submitted and the
office's decision on it.

Each is recorded with the step it tells of and sent once that step is committed
(responses.outbox): a mail server that is down never fails or undoes the step.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse

from inspections import services, tracking
from responses import outbox, roles
from responses.models import Notification


def recipients(response, *, actor) -> list[str]:
    """The owner's and every active reviewer's address, without the person who acted."""
    User = get_user_model()
    people = list(
        User.objects.filter(groups__name=roles.REVIEWER, is_active=True).exclude(email="")
    )
    if response.owner and response.owner.is_active and response.owner.email:
        people.append(response.owner)
    return sorted({person.email for person in people if person.pk != actor.pk})


def _addresses(people, *, actor) -> list[str]:
    return sorted(
        {p.email for p in people if p and p.is_active and p.email and p.pk != actor.pk}
    )


def _link(url_name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(url_name, args=args)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _record(*, to: list[str], subject: str, lines: list[str], response=None):
    """Records the email and sends it once the current transaction commits; None when there
    is nobody to tell."""
    if not to:
        return None
    notification = Notification.objects.create(
        response=response, subject=subject, body="\n".join(lines), recipients=", ".join(to)
    )
    # robust: a fault while sending (the database gone too) is logged, never the request's
    # failure; the notification stays unsent and the next reminders run sends it.
    transaction.on_commit(lambda: outbox.send_notification(notification), robust=True)
    return notification


def transition(*, response, action: str, actor, reason: str) -> Notification | None:
    """Tells the owner and reviewers that `actor` took `action` on `response`."""
    lines = [
        f"{_name(actor)} chose “{action}” on the response to:",
        str(response.inspection),
        "",
        f"It is now {response.get_status_display().lower()}.",
    ]
    if reason:
        lines += ["", "Their note:", reason]
    lines += ["", f"Open the response: {_link('response-detail', response.pk)}"]
    return _record(
        to=recipients(response, actor=actor),
        subject=f"{action}: {response.inspection}",
        lines=lines,
        response=response,
    )


def invitation_sent(*, invitation, actor) -> Notification | None:
    """Asks each recipient for the chief officer's comments, with a link to write them."""
    response = invitation.response
    rules = services.of(response.inspection)
    due = f"{invitation.due_on.day} {invitation.due_on:%B %Y}"
    lines = [
        rules.words(
            f"{_name(actor)} of the commissioner's office invites the chief constable's "
            "comments on the HMICFRS report:"
        ),
        str(response.inspection),
        "",
        f"The comments are wanted by {due}.",
    ]
    if rules.invites_chief_comments:
        lines.append("(Police Act 1996 s.55(4).)")
    if invitation.message:
        lines += ["", "Their message:", invitation.message]
    lines += ["", f"Write the comments: {_link('force-invitation', invitation.pk)}"]
    return _record(
        to=_addresses(invitation.recipients.all(), actor=actor),
        subject=rules.words(f"The chief constable's comments wanted by {due}: ")
        + str(response.inspection),
        lines=lines,
        response=response,
    )


def comments_submitted(*, comments, actor) -> Notification | None:
    """Tells the response's owner that the force's comments are in the section."""
    response = comments.invitation.response
    rules = services.of(response.inspection)
    lines = [
        rules.words(f"{_name(actor)} submitted the chief constable's comments on:"),
        str(response.inspection),
        "",
        rules.words("They are now in the chief constable's section of the response."),
        "",
        f"Open the response: {_link('response-detail', response.pk)}",
    ]
    return _record(
        to=_addresses([response.owner], actor=actor),
        subject=rules.words("The chief constable's comments received: ")
        + str(response.inspection),
        lines=lines,
        response=response,
    )


@receiver(tracking.progress_submitted)
def progress_submitted(sender, *, submission, actor, **kwargs) -> Notification | None:
    """Tells the Assurers, and the finding's owner, that progress awaits their decision."""
    finding = submission.finding
    User = get_user_model()
    codename = tracking.ASSURE_PERMISSION.split(".")[1]
    assurers = User.objects.filter(
        Q(groups__permissions__codename=codename) | Q(user_permissions__codename=codename)
    ).distinct()
    lines = [
        f"{_name(actor)} submitted progress on {finding.label} of:",
        str(finding.inspection),
        "",
        f"The force says: {submission.get_claimed_status_display()}.",
        "",
        f"Accept or return it: {_link('finding-tracking', finding.pk)}",
    ]
    return _record(
        to=_addresses([*assurers, finding.owner], actor=actor),
        subject=f"Progress to assure: {finding.label} of {finding.inspection}",
        lines=lines,
    )


@receiver(tracking.progress_decided)
def progress_decided(sender, *, submission, actor, **kwargs) -> Notification | None:
    """Tells the force contributor who submitted the progress what the office decided."""
    finding = submission.finding
    decision = submission.get_decision_display()
    lines = [
        f"Your progress on {finding.label} of:",
        str(finding.inspection),
        "",
        f"{decision}, by {_name(actor)}.",
    ]
    if submission.decision_note:
        lines += ["", "Their note:", submission.decision_note]
    lines += ["", f"Open the finding: {_link('force-finding', finding.pk)}"]
    return _record(
        to=_addresses([submission.submitted_by], actor=actor),
        subject=f"{decision}: your progress on {finding.label} of {finding.inspection}",
        lines=lines,
    )
