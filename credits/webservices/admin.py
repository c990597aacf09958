"""Submissions in the admin: a read-only audit of what was sent and what came back."""
from django.contrib import admin

from credits.webservices.models import Submission, SubmissionAttempt


class SubmissionAttemptInline(admin.TabularInline):
    model = SubmissionAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "call", "started_at", "finished_at", "outcome", "http_status",
                       "response_code", "message"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["kind", "course", "user", "version", "status", "board_status", "due_on",
                    "attempts"]
    list_filter = ["service", "kind", "status", "board_status"]
    search_fields = ["user__email", "user__full_name", "course__title", "remote_id"]
    list_select_related = ["user", "course"]
    readonly_fields = [field.name for field in Submission._meta.fields]
    inlines = [SubmissionAttemptInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
