"""The export log in the Django admin, and the "export selected" action every model list has."""
from django.contrib import admin

from credits.reports.admin_export import export_selected_to_csv
from credits.reports.models import ExportRun

admin.site.add_action(export_selected_to_csv, "export_selected_to_csv")


@admin.register(ExportRun)
class ExportRunAdmin(admin.ModelAdmin):
    """The export log is an audit trail: read-only, never deleted."""

    list_display = ["exporter", "format", "delivery", "requested_by", "status", "rows_done",
                    "created_at", "finished_at"]
    list_filter = ["status", "delivery", "format", "exporter"]
    search_fields = ["requested_by__email", "requested_by__full_name", "exporter",
                     "filters_summary"]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in ExportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
