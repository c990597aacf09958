"""The CME office's view of every disclosure, link, mitigation and support record; rows are
kept for the accreditation audit, so the admin changes but never deletes them."""
from django.contrib import admin

from courses.disclosures.models import (
    CommercialSupport,
    DisclosureLink,
    FinancialDisclosure,
    FinancialRelationship,
    Mitigation,
)


class KeptForAudit(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RelationshipInline(admin.TabularInline):
    model = FinancialRelationship
    extra = 0
    can_delete = False


@admin.register(FinancialDisclosure)
class FinancialDisclosureAdmin(KeptForAudit):
    list_display = ["person", "signed_on", "valid_until", "none_to_disclose", "source"]
    list_filter = ["none_to_disclose", "source"]
    search_fields = ["person__full_name", "person__email", "relationships__company"]
    list_select_related = ["person"]
    inlines = [RelationshipInline]
    readonly_fields = ["signed_at", "signature"]


@admin.register(Mitigation)
class MitigationAdmin(KeptForAudit):
    list_display = ["course", "relationship", "relevant", "step", "owner_exception", "reviewer",
                    "decided_at"]
    list_filter = ["relevant", "step"]
    search_fields = ["course__title", "relationship__company",
                     "relationship__disclosure__person__full_name"]
    list_select_related = ["course", "relationship__disclosure__person", "reviewer"]


@admin.register(DisclosureLink)
class DisclosureLinkAdmin(KeptForAudit):
    list_display = ["person", "course", "created_at", "expires_at", "used_at"]
    search_fields = ["person__full_name", "person__email"]
    list_select_related = ["person", "course"]
    readonly_fields = ["nonce"]


@admin.register(CommercialSupport)
class CommercialSupportAdmin(KeptForAudit):
    list_display = ["course", "supporter", "amount", "in_kind", "agreement_signed_on"]
    search_fields = ["course__title", "supporter"]
    list_select_related = ["course"]
