"""Email that must not be lost: reminders and notifications of a response's progress.

Each message is recorded (a Delivery row) before it is sent, and counts as sent only once the
mail server has accepted it. A failure is recorded with its error and logged; send_reminders
tries every unsent message again on its next run, so a mail server that is down delays email
but never fails the request that caused it, and never loses it.

The one gap no database can close: if the process dies after the mail server accepted a
message but before the "sent" mark is committed, the next run sends it again. An email can
therefore arrive twice in that rare case, but is never lost.
"""

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from responses.models import Delivery, DeliveryStatus, Notification

logger = logging.getLogger(__name__)


def deliver(record: Delivery, message: EmailMessage) -> bool | None:
    """Sends `message` for `record` unless it went already. True sent, False failed (recorded
    and left for the next run), None skipped (sent before, or another run is sending it)."""
    with transaction.atomic():
        # The row lock (skip_locked: another process is sending it) keeps senders apart.
        locked = (
            type(record)
            .objects.select_for_update(skip_locked=True)
            .filter(pk=record.pk)
            .exclude(status=DeliveryStatus.SENT)
            .first()
        )
        if locked is None:
            return None
        locked.attempts += 1
        try:
            accepted = message.send(fail_silently=False)
        except Exception as error:  # Any backend failure: record it and retry on the next run.
            accepted, locked.last_error = 0, f"{type(error).__name__}: {error}"
        if accepted:
            locked.status, locked.sent_at, locked.last_error = (
                DeliveryStatus.SENT,
                timezone.now(),
                "",
            )
        else:
            locked.status = DeliveryStatus.FAILED
            locked.last_error = locked.last_error or "The mail backend did not accept the message."
            logger.warning(
                "Email not sent, will retry: %s (%s)", message.subject, locked.last_error
            )
        locked.save()
    record.status, record.last_error = locked.status, locked.last_error
    return bool(accepted)


def notification_message(notification: Notification) -> EmailMessage:
    return EmailMessage(
        notification.subject, notification.body, to=notification.recipients.split(", ")
    )


def send_notification(notification: Notification) -> bool | None:
    return deliver(notification, notification_message(notification))


def unsent_notifications():
    """Notifications not yet accepted by the mail server, oldest first."""
    return Notification.objects.exclude(status=DeliveryStatus.SENT).order_by("created_at", "pk")


def failed_notifications():
    """Notifications the mail server refused at least once and that have not gone since."""
    return unsent_notifications().filter(status=DeliveryStatus.FAILED)


def retry_notifications() -> tuple[int, int]:
    """Sends every notification not sent yet; returns how many went and how many failed."""
    outcomes = [send_notification(notification) for notification in unsent_notifications()]
    return outcomes.count(True), outcomes.count(False)
