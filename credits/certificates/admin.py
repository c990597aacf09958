"""Certificates and bulk regenerations in the Django admin."""
from django.contrib import admin

from credits.certificates.models import (
    Certificate,
    CertificateRegeneration,
    CertificateRender,
    CertificateRevocation,
)
from credits.certificates.services import certificate_rerender


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
        for certificate in queryset:
            certificate_rerender(certificate=certificate)
        self.message_user(request, "Queued: failed or waiting certificates will be made again.")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CertificateRegeneration)
class CertificateRegenerationAdmin(admin.ModelAdmin):
    list_display = ["course", "requested_by", "requested_at", "status", "done", "failed", "total"]
    list_filter = ["status"]
    search_fields = ["course__title", "requested_by__email"]
    list_select_related = ["course", "requested_by"]
    readonly_fields = ["course", "requested_by", "requested_at", "certificate_versions", "total",
                       "done", "failed", "status", "finished_at"]


@admin.register(CertificateRevocation)
class CertificateRevocationAdmin(admin.ModelAdmin):
    """The audit of the office's revocations (made on the revoke page): read only."""

    list_display = ["certificate", "revoked_by", "revoked_at", "reason"]
    search_fields = ["certificate__verification_code", "certificate__learner_name", "reason"]
    list_select_related = ["certificate", "revoked_by"]
    readonly_fields = ["certificate", "revoked_by", "reason", "revoked_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
