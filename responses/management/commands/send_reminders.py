"""Emails owners before deadlines and Publishers when overdue, and sends again any email
that the mail server refused earlier. Safe to run every hour."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from inspections import deadlines
from inspections.models import OfficeSettings
from responses import outbox, reminders
from responses.models import JobRun


class Command(BaseCommand):
    help = (
        "Sends deadline reminders (at the offsets in the office settings) and weekly "
        "escalations of overdue items to Publishers. Each is sent once, however often this runs. "
        "Notifications the mail server refused before are sent again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        due, notes = reminders.due_reminders(today=deadlines.today(), office=OfficeSettings.load())
        pending = [reminder for reminder in due if not reminders.already_sent(reminder)]
        if dry_run:
            self.report_dry_run(pending, notes)
            return
        self.report_notes(notes)
        summary = f"{self.send_all(pending)} {self.retry_notifications()}"
        JobRun.objects.update_or_create(
            command="send_reminders",
            defaults={"finished_at": timezone.now(), "outcome": summary},
        )

    def report_dry_run(self, pending, notes):
        for reminder in pending:
            self.stdout.write(f"Would send to {self.recipients(reminder)}: {reminder.subject}")
        self.report_notes(notes)
        self.stdout.write(f"{len(pending)} reminder(s) would be sent.")
        for notification in outbox.unsent_notifications():
            self.stdout.write(
                f"Would send again to {notification.recipients}: {notification.subject}"
            )

    def report_notes(self, notes):
        for note in notes:
            self.stdout.write(f"Cannot remind: {note}")

    def send_all(self, pending) -> str:
        sent = failed = 0
        for reminder in pending:
            outcome = reminders.send(reminder)
            if outcome is True:
                sent += 1
                self.stdout.write(f"Sent to {self.recipients(reminder)}: {reminder.subject}")
            elif outcome is False:
                failed += 1
                self.stderr.write(f"Failed, will retry next run: {reminder.subject}")
        summary = f"{sent} reminder(s) sent, {failed} failed."
        self.stdout.write(summary)
        return summary

    def retry_notifications(self) -> str:
        sent, failed = outbox.retry_notifications()
        summary = f"{sent} earlier notification(s) sent, {failed} failed again."
        if sent or failed:
            self.stdout.write(summary)
        return summary

    @staticmethod
    def recipients(reminder) -> str:
        return ", ".join(reminder.to + reminder.cc)
