"""The CME office's view of online progress; attempts and answers are read-only and kept."""
from django.contrib import admin

from .models import AttemptAnswer, ExtraAttemptGrant, ModuleProgress, PostTestAttempt


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModuleProgress)
class ModuleProgressAdmin(ReadOnlyAdmin):
    list_display = ["user", "course", "started_at", "completed_on"]
    list_select_related = ["user", "course"]
    search_fields = ["user__email", "course__title"]


@admin.register(PostTestAttempt)
class PostTestAttemptAdmin(ReadOnlyAdmin):
    list_display = ["user", "course", "number", "submitted_at", "score_percent", "passed"]
    list_select_related = ["user", "course"]
    search_fields = ["user__email", "course__title"]


@admin.register(AttemptAnswer)
class AttemptAnswerAdmin(ReadOnlyAdmin):
    list_display = ["attempt", "question", "is_correct"]
    list_select_related = ["attempt__user", "attempt__course", "question"]


@admin.register(ExtraAttemptGrant)
class ExtraAttemptGrantAdmin(admin.ModelAdmin):
    """Granting another attempt: who and why are recorded; a grant is never edited or removed."""

    list_display = ["user", "course", "granted_by", "granted_at", "reason"]
    list_select_related = ["user", "course", "granted_by"]
    fields = ["user", "course", "reason"]
    autocomplete_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .services import extra_attempt_grant

        grant = extra_attempt_grant(user=obj.user, course=obj.course, granted_by=request.user,
                                    reason=obj.reason)
        obj.pk, obj.granted_by, obj.granted_at = grant.pk, grant.granted_by, grant.granted_at
