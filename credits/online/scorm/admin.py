"""The CME office's read-only view of SCORM attempts and commits (kept, never deleted)."""
from django.contrib import admin

from credits.online.admin import ReadOnlyAdmin

from .models import ScoAttempt, ScoCommit


@admin.register(ScoAttempt)
class ScoAttemptAdmin(ReadOnlyAdmin):
    list_display = ["user", "course", "sco_identifier", "number", "lesson_status",
                    "completion_status", "success_status", "score_percent", "satisfied_at"]
    list_select_related = ["user", "course"]
    search_fields = ["user__email", "course__title"]


@admin.register(ScoCommit)
class ScoCommitAdmin(ReadOnlyAdmin):
    list_display = ["attempt", "received_at", "terminate", "satisfied"]
    list_select_related = ["attempt__user", "attempt__course"]
