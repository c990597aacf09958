from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone

from courses.credit_types import CreditType

from .admin_export import export_selected_to_csv
from .forms import VoidReasonForm
from .models import (
    Attendance,
    Certificate,
    CertificateRegeneration,
    CertificateRender,
    CreditRecord,
    CreditRecordChange,
    EvaluationQuestion,
    ExportRun,
    ExternalActivity,
    RequirementSet,
    TopicRequirement,
)
from .services.external import external_activity_verify
from .services.ledger import (
    course_credits_changed_send_on_commit,
    credit_record_snapshot,
    credit_record_void,
)

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
    actions = ["void_selected"]
    readonly_fields = ["status", "void_reason", "voided_at", "voided_by"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # A recorded credit is a fact: it changes only through the audited void action.
        if obj is not None:
            return [field.name for field in self.model._meta.fields]
        return [*self.readonly_fields, "claimed_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        with transaction.atomic():
            obj.claimed_at = timezone.now()
            super().save_model(request, obj, form, change)
            CreditRecordChange.objects.create(record=obj, actor=request.user, action="created",
                                              after=credit_record_snapshot(obj),
                                              reason="Recorded in the admin")
            course_credits_changed_send_on_commit(user_id=obj.user_id, course_id=obj.course_id)

    @admin.action(description="Void selected credit records", permissions=["change"])
    def void_selected(self, request, queryset):
        form = VoidReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            voided = 0
            for record in queryset.filter(status=CreditRecord.Status.ACTIVE):
                try:
                    credit_record_void(record=record, actor=request.user,
                                       reason=form.cleaned_data["reason"])
                except ValidationError as error:
                    self.message_user(request, f"{record}: {error.messages[0]}", messages.ERROR)
                else:
                    voided += 1
            self.message_user(request, f"Voided {voided} credit record{'s' * (voided != 1)}.",
                              messages.SUCCESS)
            return None
        return TemplateResponse(request, "credits/admin_void_records.html", {
            **self.admin_site.each_context(request),
            "title": "Void credit records", "opts": self.model._meta, "form": form,
            "records": queryset.select_related("user", "course", "external_activity"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


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
    readonly_fields = ["verified_at", "verified_by"]
    actions = ["mark_verified"]

    @admin.action(description="Mark selected external activities verified",
                  permissions=["change"])
    def mark_verified(self, request, queryset):
        count = 0
        for activity in queryset.filter(verified_at__isnull=True):
            external_activity_verify(activity=activity, actor=request.user)
            count += 1
        self.message_user(request, f"Marked {count} external activit{'ies' if count != 1 else 'y'} "
                                   "verified.", messages.SUCCESS)


@admin.register(EvaluationQuestion)
class EvaluationQuestionAdmin(admin.ModelAdmin):
    """Course-specific questions; questions without a course are the defaults every course
    without its own questions uses."""

    list_display = ["text", "course", "kind", "position", "required"]
    list_filter = ["kind", ("course", admin.EmptyFieldListFilter)]
    search_fields = ["text", "course__title"]
    list_select_related = ["course"]
    raw_id_fields = ["course"]


# --- Licence requirements ----------------------------------------------------------------------
# Boards change their rules; the CME office edits requirement sets here rather than in code.


class RequirementSetForm(forms.ModelForm):
    accepted_credit_types = forms.MultipleChoiceField(
        choices=CreditType.choices, widget=forms.CheckboxSelectMultiple,
        help_text="Credit types that count toward this requirement set.")
    source_url = forms.URLField(label="Source URL", required=False, max_length=300,
                                assume_scheme="https")

    class Meta:
        model = RequirementSet
        fields = ["name", "state", "profession", "is_active", "cycle_months", "total_credits",
                  "accepted_credit_types", "source_note", "source_url"]



class TopicRequirementInline(admin.TabularInline):
    model = TopicRequirement
    extra = 1
    autocomplete_fields = ["topic"]


@admin.register(RequirementSet)
class RequirementSetAdmin(admin.ModelAdmin):
    form = RequirementSetForm
    inlines = [TopicRequirementInline]
    list_display = ["name", "state", "profession", "cycle_months", "total_credits", "is_active",
                    "updated_at"]
    list_filter = ["is_active", "state", "profession"]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "state", "profession", "is_active"]}),
        ("Rules", {"fields": ["cycle_months", "total_credits", "accepted_credit_types"]}),
        ("Source", {"fields": ["source_note", "source_url"]}),
    ]


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
    search_fields = ["course__title", "requested_by__email"]
    list_select_related = ["course", "requested_by"]
    readonly_fields = ["course", "requested_by", "requested_at", "certificate_versions", "total",
                       "done", "failed", "status", "finished_at"]


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
