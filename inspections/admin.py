from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from inspections.concurrency import save_version
from inspections.models import (
    Finding,
    ForceContributor,
    FormSubmission,
    GradedArea,
    Inspection,
    OfficeSettings,
    ProgressSubmission,
    ProgressUpdate,
    SubmissionFile,
    TargetRevision,
)
from pfcc.forms import DATE_FIELD_OVERRIDES


class HistoryAdmin(SimpleHistoryAdmin):
    """History pages for reading. Reverting is refused (settings.SIMPLE_HISTORY_REVERT_DISABLED
    hides its button, but simple-history would still save a posted revert): it writes an old
    version's every field back, status, version and dates included, around every rule.

    Dates are typed into the GOV.UK date input, as on the staff pages."""

    formfield_overrides = DATE_FIELD_OVERRIDES

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Earlier versions are restored on the staff pages, if at all.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(OfficeSettings)
class OfficeSettingsAdmin(HistoryAdmin):
    search_fields = ["office_name", "force_name"]
    list_display = ["office_name", "force_name", "separation_of_duties", "fire_target_days"]

    def has_add_permission(self, request):
        # A single row: OfficeSettings.load() makes it.
        return not OfficeSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class VersionedAdmin(HistoryAdmin):
    """Changes made here are new versions too, so an edit form open elsewhere notices them."""

    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        if change:
            save_version(obj, actor=request.user, reason="Changed in the admin")
        else:
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline in formset.forms:
            versioned = hasattr(inline.instance, "version")
            if versioned and inline.instance.pk and inline.has_changed():
                inline.instance.version += 1
        super().save_formset(request, form, formset, change)


class FindingInline(admin.TabularInline):
    model = Finding
    fk_name = "inspection"
    fields = ["order", "kind", "reference", "hmicfrs_number", "due_date", "applies"]
    formfield_overrides = DATE_FIELD_OVERRIDES
    extra = 0
    show_change_link = True


class GradedAreaInline(admin.TabularInline):
    model = GradedArea
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(VersionedAdmin):
    # Publishing a fire action plan sets its date (inspections.tracking.publish_action_plan).
    readonly_fields = [*VersionedAdmin.readonly_fields, "action_plan_published_on"]
    list_display = ["title", "hmicfrs_number", "published_on", "inspection_type", "service"]
    list_filter = ["service", "inspection_type", "force_inspected", "published_on"]
    search_fields = ["title", "hmicfrs_number"]
    date_hierarchy = "published_on"
    inlines = [GradedAreaInline, FindingInline]


@admin.register(Finding)
class FindingAdmin(VersionedAdmin):
    list_display = ["__str__", "inspection", "kind", "due_date", "applies", "assured_status"]
    list_filter = ["kind", "due_precision", "applies", "assured_status", "hmicfrs_position"]
    search_fields = ["reference", "text", "hmicfrs_number", "inspection__title"]
    list_select_related = ["inspection"]
    raw_id_fields = ["inspection", "concern", "superseded_by"]
    # Only accepting the force's progress changes it (inspections.tracking.accept_submission).
    readonly_fields = [*VersionedAdmin.readonly_fields, "assured_status"]


@admin.register(ForceContributor)
class ForceContributorAdmin(HistoryAdmin):
    """Which service each force contributor works for (their role is set on the user)."""

    list_display = ["user", "service"]
    list_filter = ["service"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


class SubmissionFileInline(admin.TabularInline):
    model = SubmissionFile
    fields = ["file"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProgressSubmission)
class ProgressSubmissionAdmin(HistoryAdmin):
    """The force's progress and the office's decisions on it: read here, decided on the finding's
    tracking page (inspections.tracking), never changed."""

    list_display = ["finding", "claimed_status", "submitted_by", "submitted_at", "decision"]
    list_filter = ["decision", "claimed_status", "submitted_at"]
    search_fields = ["narrative", "finding__reference", "finding__inspection__title"]
    list_select_related = ["finding__inspection", "submitted_by"]
    inlines = [SubmissionFileInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubmissionFile)
class SubmissionFileAdmin(ProgressSubmissionAdmin):
    list_display = ["__str__", "submission"]
    list_filter = []
    search_fields = ["file", "submission__finding__inspection__title"]
    list_select_related = ["submission__finding"]
    inlines = []


@admin.register(GradedArea)
class GradedAreaAdmin(HistoryAdmin):
    list_display = ["area", "grade", "inspection"]
    list_filter = ["grade"]
    search_fields = ["area", "inspection__title"]
    list_select_related = ["inspection"]


class AppendOnlyAdmin(HistoryAdmin):
    """Progress updates and target revisions are kept as written: add and view only."""

    list_select_related = ["finding__inspection", "created_by"]
    raw_id_fields = ["finding"]
    search_fields = ["finding__reference", "finding__inspection__title"]
    list_filter = ["created_at"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TargetRevision)
class TargetRevisionAdmin(AppendOnlyAdmin):
    list_display = ["finding", "revised_date", "approved_by_name", "created_at"]
    exclude = ["created_by"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(AppendOnlyAdmin):
    list_display = ["finding", "created_at", "created_by"]
    exclude = ["created_by"]


@admin.register(FormSubmission)
class FormSubmissionAdmin(HistoryAdmin):
    """The keys of posted create forms (inspections.submissions): read only."""

    list_display = ["created_at", "user", "result_url"]
    list_select_related = ["user"]
    search_fields = ["result_url", "user__username"]
    readonly_fields = ["key", "user", "created_at", "result_url"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
