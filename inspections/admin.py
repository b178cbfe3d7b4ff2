from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inspections.models import Finding, GradedArea, Inspection, OfficeSettings


@admin.register(OfficeSettings)
class OfficeSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["office_name", "force_name", "separation_of_duties", "fire_target_days"]

    def has_add_permission(self, request):
        # A single row: OfficeSettings.load() makes it.
        return not OfficeSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class FindingInline(admin.TabularInline):
    model = Finding
    fk_name = "inspection"
    fields = ["order", "kind", "reference", "hmicfrs_number", "due_date", "applies"]
    extra = 0
    show_change_link = True


class GradedAreaInline(admin.TabularInline):
    model = GradedArea
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "hmicfrs_number", "published_on", "inspection_type", "service"]
    list_filter = ["service", "inspection_type", "force_inspected", "published_on"]
    search_fields = ["title", "hmicfrs_number"]
    date_hierarchy = "published_on"
    inlines = [GradedAreaInline, FindingInline]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "inspection", "kind", "due_date", "applies"]
    list_filter = ["kind", "due_precision", "applies"]
    search_fields = ["reference", "text", "hmicfrs_number", "inspection__title"]
    list_select_related = ["inspection"]
    raw_id_fields = ["inspection", "concern"]


@admin.register(GradedArea)
class GradedAreaAdmin(SimpleHistoryAdmin):
    list_display = ["area", "grade", "inspection"]
    list_filter = ["grade"]
    search_fields = ["area", "inspection__title"]
    list_select_related = ["inspection"]
