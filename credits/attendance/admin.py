"""Attendance in the Django admin."""
from django.contrib import admin

from credits.attendance.models import Attendance, AttendanceChange
from credits.online.admin import ReadOnlyAdmin


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "status", "minutes_attended", "source", "checked_in_at"]
    list_filter = ["status", "source", "session__course__format"]
    search_fields = ["user__email", "user__full_name", "session__course__title"]
    date_hierarchy = "checked_in_at"
    list_select_related = ["user", "session__course"]
    raw_id_fields = ["user", "session", "recorded_by"]


@admin.register(AttendanceChange)
class AttendanceChangeAdmin(ReadOnlyAdmin):
    """Read-only: the audit is append-only (a trigger refuses changes on PostgreSQL)."""

    list_display = ["attendance", "actor", "changed_at", "reason"]
    list_select_related = ["attendance__user", "attendance__session__course", "actor"]
    search_fields = ["attendance__user__email", "reason"]
