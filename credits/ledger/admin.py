"""The credit ledger in the Django admin: records are voided with a reason, never deleted."""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone

from credits.ledger.external import external_activity_verify
from credits.ledger.forms import VoidReasonForm
from credits.ledger.models import CreditRecord, CreditRecordChange, ExternalActivity
from credits.ledger.services import (
    course_credits_changed_send_on_commit,
    credit_record_snapshot,
    credit_record_void,
)


@admin.display(description="Credit type", ordering="credit_type")
def credit_type_name(obj) -> str:
    """The type's name as the office words it (the column holds its code)."""
    return obj.get_credit_type_display()


@admin.register(CreditRecord)
class CreditRecordAdmin(admin.ModelAdmin):
    """Credit records are voided with a reason, never deleted (ACCME six-year retention)."""

    list_display = ["user", "course", "external_activity", credit_type_name, "amount",
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
                                              after=credit_record_snapshot(record=obj),
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
        return TemplateResponse(request, "credits/ledger/admin_void_records.html", {
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
    list_display = ["user", "title", "provider", "completed_on", credit_type_name, "amount",
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
