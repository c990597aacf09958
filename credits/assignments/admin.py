"""Assignments in the Django admin: read members, never delete them (their history counts)."""
from django.contrib import admin

from credits.assignments.models import Assignment, AssignmentMember


class AssignmentMemberInline(admin.TabularInline):
    model = AssignmentMember
    extra = 0
    fields = ("user", "assigned_on", "due_on", "period_starts_after", "completed_on")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "target", "target_value", "due_on", "due_days",
                    "recurrence", "status", "created_at")
    list_filter = ("status", "target", "recurrence")
    search_fields = ("title", "course__title")
    raw_id_fields = ("course", "created_by")
    readonly_fields = ("created_by", "created_at", "email_line_count", "email_errors",
                       "email_preview")
    inlines = [AssignmentMemberInline]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if obj.status == Assignment.Status.ACTIVE:
            from credits.assignments.services import assignment_members_sync

            assignment_members_sync(assignment=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
