from django.contrib import admin

from responses.models import Publication


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
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
