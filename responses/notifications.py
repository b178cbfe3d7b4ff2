"""Emails about a response's progress, to its owner and the reviewers (never to the actor).

Each is recorded with the step it tells of and sent once that step is committed
(responses.outbox): a mail server that is down never fails or undoes the step.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

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


def transition(*, response, action: str, actor, reason: str) -> Notification | None:
    """Tells the owner and reviewers that `actor` took `action` on `response`, once the
    current transaction commits; None when there is nobody to tell."""
    to = recipients(response, actor=actor)
    if not to:
        return None
    who = actor.get_full_name() or actor.get_username()
    url = settings.SITE_URL.rstrip("/") + reverse("response-detail", args=[response.pk])
    lines = [
        f"{who} chose “{action}” on the response to:",
        str(response.inspection),
        "",
        f"It is now {response.get_status_display().lower()}.",
    ]
    if reason:
        lines += ["", "Their note:", reason]
    lines += ["", f"Open the response: {url}"]
    notification = Notification.objects.create(
        response=response,
        subject=f"{action}: {response.inspection}",
        body="\n".join(lines),
        recipients=", ".join(to),
    )
    # robust: a fault while sending (the database gone too) is logged, never the request's
    # failure; the notification stays unsent and the next reminders run sends it.
    transaction.on_commit(lambda: outbox.send_notification(notification), robust=True)
    return notification
