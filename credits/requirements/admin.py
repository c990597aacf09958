"""Licence requirement sets in the Django admin: boards change their rules, and the CME office
edits requirement sets here rather than in code."""
from django import forms
from django.contrib import admin

from courses.credittypes.selectors import credit_type_catalog
from credits.requirements.models import RequirementSet, TopicRequirement


class RequirementSetForm(forms.ModelForm):
    accepted_credit_types = forms.MultipleChoiceField(
        choices=lambda: credit_type_catalog().choices(), widget=forms.CheckboxSelectMultiple,
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
