from django import forms
from django.contrib import admin

from courses.credit_types import CreditType

from .models import (
    Attendance,
    CreditRecord,
    CreditRecordChange,
    ExternalActivity,
    RequirementSet,
    TopicRequirement,
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
