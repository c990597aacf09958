from django.contrib import admin

from .models import Attendance, CreditRecord, CreditRecordChange, ExternalActivity


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "status", "minutes_attended", "source", "checked_in_at"]
    list_filter = ["status", "source"]
    search_fields = ["user__email", "user__full_name", "session__course__title"]
    list_select_related = ["user", "session__course"]
    raw_id_fields = ["user", "session", "recorded_by"]


@admin.register(CreditRecord)
class CreditRecordAdmin(admin.ModelAdmin):
    """Credit records are voided with a reason, never deleted (ACCME six-year retention)."""

    list_display = ["user", "course", "external_activity", "credit_type", "amount",
                    "completed_on", "source", "status"]
    list_filter = ["status", "source", "credit_type"]
    search_fields = ["user__email", "user__full_name", "course__title"]
    list_select_related = ["user", "course", "external_activity"]
    raw_id_fields = ["user", "course", "external_activity", "voided_by"]
    date_hierarchy = "completed_on"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreditRecordChange)
class CreditRecordChangeAdmin(admin.ModelAdmin):
    list_display = ["record", "action", "actor", "changed_at"]
    list_filter = ["action"]
    search_fields = ["record__user__email"]
    list_select_related = ["record__user", "actor"]

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
    list_filter = ["credit_type"]
    search_fields = ["user__email", "title", "provider"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "verified_by"]
