from django.contrib import admin

from .models import (
    Attendance,
    Certificate,
    CertificateRegeneration,
    CertificateRender,
    CreditRecord,
    CreditRecordChange,
    ExternalActivity,
)


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


class CertificateRenderInline(admin.TabularInline):
    model = CertificateRender
    extra = 0
    can_delete = False
    fields = ["version", "worker", "failed_at", "error"]
    verbose_name_plural = "Failed renders"
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Failed renders are listed with their error; the action queues them again."""

    list_display = ["code", "learner_name", "activity_title", "issue_date", "status", "version",
                    "rendered_version", "attempts", "last_error_short"]
    list_filter = ["status"]
    search_fields = ["verification_code", "learner_name", "user__email", "activity_title"]
    list_select_related = ["user", "course"]
    raw_id_fields = ["user", "course"]
    readonly_fields = ["verification_code", "status", "version", "rendered_version", "pdf",
                       "attempts", "last_error", "rendered_at", "revoked_at", "created_at",
                       "updated_at", "credits", "learner_name", "activity_title",
                       "activity_dates", "completion_date", "issue_date"]
    inlines = [CertificateRenderInline]
    actions = ["render_again"]

    @admin.display(description="Code", ordering="verification_code")
    def code(self, obj):
        return obj.code_display

    @admin.display(description="Last error")
    def last_error_short(self, obj):
        return obj.last_error[:80]

    @admin.action(description="Render the selected certificates again (failed or waiting)")
    def render_again(self, request, queryset):
        from .services.certificates import certificate_rerender

        for certificate in queryset:
            certificate_rerender(certificate=certificate)
        self.message_user(request, "Queued: failed or waiting certificates will be made again.")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CertificateRegeneration)
class CertificateRegenerationAdmin(admin.ModelAdmin):
    list_display = ["course", "requested_by", "requested_at", "status", "done", "failed", "total"]
    list_filter = ["status"]
    list_select_related = ["course", "requested_by"]
    readonly_fields = ["course", "requested_by", "requested_at", "certificate_versions", "total",
                       "done", "failed", "status", "finished_at"]
