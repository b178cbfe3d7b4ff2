"""Responses, answers, comments and publications in the admin: to read, never to edit.

Every field of a response is owned by its workflow (responses.workflow): the text changes
through its edit functions, which record who wrote what for separation of duties, and the
status, version and dates through its transitions. So the admin shows them read-only; the
list's actions take the workflow's own steps, with the same checks, as the signed-in user.
"""

from django.contrib import admin, messages

from inspections.admin import HistoryAdmin
from pfcc.admin_site import ReadOnly
from responses import workflow
from responses.models import (
    CalendarToken,
    ChiefOfficerComments,
    Comment,
    CommentsAttachment,
    ExportFile,
    FindingResponse,
    Invitation,
    JobRun,
    Notification,
    Publication,
    ReminderLog,
    Response,
)


class ReadOnlyAdmin(ReadOnly, HistoryAdmin):
    pass


class FindingResponseInline(ReadOnly, admin.StackedInline):
    model = FindingResponse
    extra = 0


def _transition(action: str):
    """An admin action taking the workflow step `action` on each selected response."""

    def take(modeladmin, request, queryset):
        for response in queryset.select_related("inspection"):
            try:
                workflow.perform(action, response=response, actor=request.user)
            except workflow.Refused as refused:
                modeladmin.message_user(request, f"{response}: {refused}", messages.WARNING)
            else:
                modeladmin.message_user(request, f"{response}: {workflow.action_label(action)}.")

    take.__name__ = f"workflow_{action}"
    return admin.action(description=f"{workflow.action_label(action)} (selected responses)")(take)


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "status", "owner", "published_on", "imported"]
    list_filter = ["status", "imported", "inspection__service"]
    search_fields = ["inspection__title", "inspection__hmicfrs_number"]
    list_select_related = ["inspection", "owner"]
    inlines = [FindingResponseInline]
    # Steps that need no words: asking for changes needs a reason, and publishing its form.
    actions = [_transition(a) for a, rule in workflow.RULES.items() if not rule.reason_required]


@admin.register(FindingResponse)
class FindingResponseAdmin(ReadOnlyAdmin):
    list_display = ["finding", "response"]
    search_fields = ["finding__reference", "response__inspection__title"]
    list_select_related = ["finding", "response__inspection"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    """Published records can be read here, never added, changed or deleted."""

    list_display = ["title", "version", "published_on", "published_by", "late"]
    list_filter = ["late", "service", "inspection_type"]
    search_fields = ["title", "hmicfrs_number"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    """Open comments hold up approval: they are resolved, never deleted or rewritten."""

    list_display = ["response", "section", "author", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    search_fields = ["text", "response__inspection__title"]
    list_select_related = ["response__inspection", "author"]
    actions = ["resolve"]

    @admin.action(description="Resolve (selected comments)")
    def resolve(self, request, queryset):
        for comment in queryset:
            try:
                workflow.resolve_comment(comment=comment, actor=request.user)
            except workflow.Refused as refused:
                self.message_user(request, f"{comment}: {refused}", messages.WARNING)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Invitations to comment, as sent (responses.workflow.invite_chief_officer)."""

    list_display = ["response", "requested_on", "due_on", "sent_by"]
    list_filter = ["requested_on", "due_on"]
    search_fields = ["response__inspection__title", "message"]
    list_select_related = ["response__inspection", "sent_by"]


@admin.register(ChiefOfficerComments)
class ChiefOfficerCommentsAdmin(ReadOnlyAdmin):
    """The force's comments, drafts included, as the force wrote and submitted them."""

    list_display = ["invitation", "author", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["text", "invitation__response__inspection__title"]
    list_select_related = ["invitation__response__inspection", "author"]


@admin.register(CommentsAttachment)
class CommentsAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "comments"]
    search_fields = ["file", "comments__invitation__response__inspection__title"]
    list_select_related = ["comments__invitation__response__inspection"]


@admin.register(ReminderLog)
class ReminderLogAdmin(HistoryAdmin):
    """What send_reminders sent or failed to send; written only by the command."""

    list_display = ["item_kind", "item_id", "kind", "due_on", "period", "status", "attempts"]
    list_filter = ["status", "kind", "item_kind"]
    search_fields = ["last_error"]
    readonly_fields = [field.name for field in ReminderLog._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Emails about responses' progress; send_reminders sends again those that failed."""

    list_display = ["subject", "recipients", "created_at", "status", "attempts"]
    list_filter = ["status"]
    search_fields = ["subject", "recipients", "last_error"]


@admin.register(ExportFile)
class ExportFileAdmin(ReadOnlyAdmin):
    """Exports made by the background worker (responses.tasks), kept for who asked."""

    list_display = ["filename", "requested_by", "requested_at", "status", "rows_total"]
    list_filter = ["status", "kind"]
    search_fields = ["filename", "kind"]


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    """When each periodic command last finished (its history: every run)."""

    list_display = ["command", "finished_at", "outcome"]
    search_fields = ["command", "outcome"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(HistoryAdmin):
    """Deleting a row revokes that person's calendar address."""

    list_display = ["user", "created_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False
