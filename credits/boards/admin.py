"""Board reports in the admin: read-only audit of what was sent and what came back."""
from django.contrib import admin

from credits.boards.models import BoardReport, BoardReportAttempt


class BoardReportAttemptInline(admin.TabularInline):
    model = BoardReportAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "started_at", "finished_at", "outcome", "http_status",
                       "response_code", "message", "requested_by"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BoardReport)
class BoardReportAdmin(admin.ModelAdmin):
    list_display = ["credit_record", "board", "status", "due_on", "attempts", "reported_at"]
    list_filter = ["board", "status"]
    search_fields = ["credit_record__user__email", "credit_record__user__full_name",
                     "credit_record__course__title"]
    list_select_related = ["credit_record__user", "credit_record__course"]
    readonly_fields = [field.name for field in BoardReport._meta.fields]
    inlines = [BoardReportAttemptInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
