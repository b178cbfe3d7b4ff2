from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pfcc.forms import DATE_FIELD_OVERRIDES
from responses.models import (
    CalendarToken,
    Comment,
    FindingResponse,
    Publication,
    ReminderLog,
    Response,
)


class FindingResponseInline(admin.StackedInline):
    model = FindingResponse
    extra = 0
    raw_id_fields = ["finding"]


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "status", "owner", "published_on", "imported"]
    list_filter = ["status", "imported", "inspection__service"]
    search_fields = ["inspection__title", "inspection__hmicfrs_number"]
    list_select_related = ["inspection", "owner"]
    raw_id_fields = ["inspection"]
    formfield_overrides = DATE_FIELD_OVERRIDES
    inlines = [FindingResponseInline]


@admin.register(FindingResponse)
class FindingResponseAdmin(SimpleHistoryAdmin):
    list_display = ["finding", "response"]
    search_fields = ["finding__reference", "response__inspection__title"]
    list_select_related = ["finding", "response__inspection"]
    raw_id_fields = ["finding", "response"]


@admin.register(Publication)
class PublicationAdmin(SimpleHistoryAdmin):
    """Published records can be read here, never added, changed or deleted."""

    list_display = ["title", "version", "published_on", "published_by", "late"]
    list_filter = ["late", "service", "inspection_type"]
    search_fields = ["title", "hmicfrs_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ["response", "section", "author", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    search_fields = ["text", "response__inspection__title"]
    list_select_related = ["response__inspection", "author"]
    raw_id_fields = ["response", "author", "resolved_by"]
@admin.register(ReminderLog)
class ReminderLogAdmin(SimpleHistoryAdmin):
    """What send_reminders sent or failed to send; written only by the command."""

    list_display = ["item_kind", "item_id", "kind", "due_on", "period", "status", "attempts"]
    list_filter = ["status", "kind", "item_kind"]
    search_fields = ["last_error"]
    readonly_fields = [field.name for field in ReminderLog._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(CalendarToken)
class CalendarTokenAdmin(SimpleHistoryAdmin):
    """Deleting a row revokes that person's calendar address."""

    list_display = ["user", "created_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False
