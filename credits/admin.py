from django.contrib import admin

from .admin_export import export_selected_to_csv
from .models import Attendance, CreditRecord, CreditRecordChange, ExportRun, ExternalActivity

admin.site.add_action(export_selected_to_csv, "export_selected_to_csv")


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "status", "minutes_attended", "source", "checked_in_at"]
    list_filter = ["status", "source", "session__course__format"]
    search_fields = ["user__email", "user__full_name", "session__course__title"]
    date_hierarchy = "checked_in_at"
    list_select_related = ["user", "session__course"]
    raw_id_fields = ["user", "session", "recorded_by"]


@admin.register(CreditRecord)
class CreditRecordAdmin(admin.ModelAdmin):
    """Credit records are voided with a reason, never deleted (ACCME six-year retention)."""

    list_display = ["user", "course", "external_activity", "credit_type", "amount",
                    "completed_on", "source", "status"]
    list_filter = ["status", "source", "credit_type", "user__profession"]
    search_fields = ["user__email", "user__full_name", "user__npi", "course__title",
                     "external_activity__title"]
    list_select_related = ["user", "course", "external_activity"]
    raw_id_fields = ["user", "course", "external_activity", "voided_by"]
    date_hierarchy = "completed_on"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreditRecordChange)
class CreditRecordChangeAdmin(admin.ModelAdmin):
    list_display = ["record", "action", "actor", "reason", "changed_at"]
    list_filter = ["action"]
    search_fields = ["record__user__email", "record__user__full_name", "record__course__title",
                     "actor__email", "reason"]
    list_select_related = ["record__user", "actor"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExternalActivity)
class ExternalActivityAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "provider", "completed_on", "credit_type", "amount",
                    "verified_at"]
    list_filter = ["credit_type", ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__full_name", "title", "provider"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "verified_by"]
    date_hierarchy = "completed_on"


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
