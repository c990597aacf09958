"""Units and memberships are kept in the admin (SCIM keeps them from the identity provider);
the validation history is read-only there, as everywhere."""
from django.contrib import admin

from credits.checklists.models import (
    Checklist,
    LearnerChecklist,
    SkillValidation,
    Unit,
    UnitMembership,
    Validator,
)
from credits.online.admin import ReadOnlyAdmin


class UnitMembershipInline(admin.TabularInline):
    model = UnitMembership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [UnitMembershipInline]


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "is_published"]
    search_fields = ["title"]
    raw_id_fields = ["owner"]


@admin.register(Validator)
class ValidatorAdmin(admin.ModelAdmin):
    list_display = ["checklist", "user", "unit", "authorised_by", "authorised_at"]
    raw_id_fields = ["user", "authorised_by"]


@admin.register(LearnerChecklist)
class LearnerChecklistAdmin(ReadOnlyAdmin):
    list_display = ["checklist", "learner", "cycle", "status", "completed_on", "expires_on"]
    list_filter = ["status"]
    search_fields = ["learner__email", "learner__full_name", "checklist__title"]


@admin.register(SkillValidation)
class SkillValidationAdmin(ReadOnlyAdmin):
    list_display = ["learner_checklist", "skill", "status", "validator", "validated_on"]
    list_filter = ["status"]
