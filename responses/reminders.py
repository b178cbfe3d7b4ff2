"""Reminders to owners before each deadline, and weekly escalation to Publishers once overdue.

Invitations to comment (s.55(4)) are reminded of the same way: the force's recipients before the
date the comments are wanted by, and each week once it has passed, with the response's owner
copied in.

Each reminder has a key (item, kind, date, offset or week) held unique by ReminderLog, so a
run repeated every hour sends each reminder once. Sending is
responses.outbox's: a reminder counts as sent only when the mail backend accepted it; a
failure is recorded and the next run tries again.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db.models import Exists, OuterRef
from django.urls import reverse

from inspections import deadlines, services
from inspections.models import Finding, Inspection, OfficeSettings
from responses import outbox, roles
from responses.dashboard import open_inspections
from responses.models import (
    DeliveryStatus,
    Invitation,
    ReminderItem,
    ReminderKind,
    ReminderLog,
    Response,
    Status,
)


@dataclass(frozen=True)
class Reminder:
    item_kind: str
    item_id: int
    kind: str
    due_on: datetime.date
    period: int
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    body: str

    @property
    def key(self) -> dict:
        return {
            "item_kind": self.item_kind,
            "item_id": self.item_id,
            "kind": self.kind,
            "due_on": self.due_on,
            "period": self.period,
        }


@dataclass(frozen=True)
class Item:
    """Something with a date that someone must meet."""

    item_kind: str
    item_id: int
    due_on: datetime.date
    what: str  # "The response to <title>" or "Rec 02 of <title>"
    owner: User | None
    path: str
    # Who must meet it when not the owner (the force's recipients of an invitation), who are
    # then told again once it is overdue, with the owner copied in, instead of the Publishers.
    meets: tuple[str, ...] = ()
    # When it was asked for: a reminder window already open then is left out, since the
    # request itself said when it is due.
    asked_on: datetime.date | None = None


def _email(user: User | None) -> str:
    return user.email if user is not None and user.is_active and user.email else ""


def publisher_emails() -> tuple[str, ...]:
    publishers = User.objects.filter(is_active=True, groups__name=roles.PUBLISHER).exclude(email="")
    return tuple(sorted(set(publishers.values_list("email", flat=True))))


def _response_owner(inspection: Inspection) -> User | None:
    try:
        return inspection.response.owner
    except Response.DoesNotExist:
        return None


def response_items(*, today: datetime.date, office: OfficeSettings, horizon: int) -> list[Item]:
    """Unpublished responses due within `horizon` days or already overdue."""
    last = today + datetime.timedelta(days=horizon)
    inspections = open_inspections().deadline_between(None, last, office=office)
    items = []
    for inspection in inspections:
        # Police reports have a statutory deadline, fire reports a local target: say which.
        deadline = inspection.deadline(office)
        items.append(
            Item(
                ReminderItem.RESPONSE,
                inspection.pk,
                deadline.last_day,
                f"The response to “{inspection.title}” ({deadline.label.lower()})",
                _response_owner(inspection),
                inspection.get_absolute_url(),
            )
        )
    return items


def finding_items(*, today: datetime.date, horizon: int) -> list[Item]:
    """Outstanding findings whose current target is within `horizon` days or already past."""
    last = today + datetime.timedelta(days=horizon)
    findings = (
        Finding.objects.tracked()
        .outstanding()
        .with_targets()
        .filter(current_target__lte=last)
        .select_related("inspection", "owner")
    )
    return [
        Item(
            ReminderItem.FINDING,
            finding.pk,
            finding.current_target,
            f"{finding.label} of “{finding.inspection.title}”",
            finding.owner,
            finding.get_tracking_url(),
        )
        for finding in findings
    ]


def invitation_items(*, today: datetime.date, horizon: int) -> list[Item]:
    """Invitations to comment whose comments have not arrived, wanted within `horizon` days
    or already past: the latest invitation of each response not yet published."""
    last = today + datetime.timedelta(days=horizon)
    later = Invitation.objects.filter(
        response=OuterRef("response"), sent_at__gt=OuterRef("sent_at")
    )
    invitations = (
        Invitation.objects.exclude(Exists(later))
        .exclude(response__status=Status.PUBLISHED)
        .filter(response__chief_constable_received_on__isnull=True, due_on__lte=last)
        .select_related("response__inspection", "response__owner")
        .prefetch_related("recipients")
    )
    items = []
    for invitation in invitations:
        response = invitation.response
        rules = services.of(response.inspection)
        items.append(
            Item(
                ReminderItem.INVITATION,
                invitation.pk,
                invitation.due_on,
                rules.words(f"The chief constable's comments on “{response.inspection.title}”"),
                response.owner,
                reverse("force-invitation", args=[invitation.pk]),
                meets=tuple(sorted(filter(None, map(_email, invitation.recipients.all())))),
                asked_on=invitation.requested_on,
            )
        )
    return items


def _plural_days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def reminder_for(
    item: Item, *, today: datetime.date, offsets: tuple[int, ...], publishers: tuple[str, ...]
) -> tuple[Reminder | None, str]:
    """The reminder due for `item` today, or None with a note saying why none can go."""
    days_left = (item.due_on - today).days
    owner_email = _email(item.owner)
    meets = item.meets or ((owner_email,) if owner_email else ())
    when = f"{item.due_on:%-d %B %Y}"
    if days_left >= 0:
        offset = deadlines.reminder_offset_due(days_left, offsets)
        if offset is None or (item.asked_on and (item.due_on - item.asked_on).days <= offset):
            return None, ""
        if not meets:
            return None, f"{item.what}: due {when}, but no owner with an email address to remind"
        due = "today" if days_left == 0 else f"in {_plural_days(days_left)}"
        subject = f"Due {due}: {item.what}"
        body = f"{item.what} is due {due}, on {when}.\n\n{_link(item.path)}\n"
        return Reminder(
            item.item_kind,
            item.item_id,
            ReminderKind.BEFORE,
            item.due_on,
            offset,
            meets,
            (),
            subject,
            body,
        ), ""
    overdue = -days_left
    if item.meets:
        # The force is told its date has passed; the office's owner is copied in.
        publishers = item.meets
    if not publishers:
        return None, f"{item.what}: overdue, but no Publisher with an email address to tell"
    owner_line = (
        f"Owner: {item.owner.get_full_name() or item.owner.get_username()}"
        if item.owner
        else "Nobody owns it."
    )
    subject = f"Overdue by {_plural_days(overdue)}: {item.what}"
    body = (
        f"{item.what} was due on {when} and is {_plural_days(overdue)} overdue.\n"
        f"{owner_line}\n\n{_link(item.path)}\n"
    )
    cc = (owner_email,) if owner_email and owner_email not in publishers else ()
    return Reminder(
        item.item_kind,
        item.item_id,
        ReminderKind.ESCALATION,
        item.due_on,
        deadlines.overdue_week(overdue),
        publishers,
        cc,
        subject,
        body,
    ), ""


def due_reminders(
    *, today: datetime.date, office: OfficeSettings
) -> tuple[list[Reminder], list[str]]:
    """Every reminder due today, sent or not, and notes on items nobody can be reminded of."""
    offsets = office.reminder_offset_days
    publishers = publisher_emails()
    horizon = max(offsets)
    items = (
        response_items(today=today, office=office, horizon=horizon)
        + finding_items(today=today, horizon=horizon)
        + invitation_items(today=today, horizon=horizon)
    )
    reminders, notes = [], []
    for item in items:
        reminder, note = reminder_for(item, today=today, offsets=offsets, publishers=publishers)
        if reminder is not None:
            reminders.append(reminder)
        if note:
            notes.append(note)
    return reminders, notes


def already_sent(reminder: Reminder) -> bool:
    return ReminderLog.objects.filter(**reminder.key, status=DeliveryStatus.SENT).exists()


def send(reminder: Reminder) -> bool | None:
    """Sends one reminder unless it was sent before. True sent, False failed, None skipped."""
    log, _ = ReminderLog.objects.get_or_create(
        **reminder.key, defaults={"recipients": ", ".join(reminder.to + reminder.cc)}
    )
    if log.status == DeliveryStatus.SENT:
        return None
    message = EmailMessage(reminder.subject, reminder.body, to=reminder.to, cc=reminder.cc)
    return outbox.deliver(log, message)
