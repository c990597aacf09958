"""Licence requirement sets in the Django admin: boards change their rules, and the CME office
edits requirement sets here rather than in code. A board's change that takes effect later is a
new set with that date, the current one staying in force until then; each save is kept in the
history."""
from django import forms
from django.contrib import admin

from courses.credittypes.admin import SaveHistoryInline
from courses.credittypes.models import Profession
from courses.credittypes.selectors import credit_type_catalog
from credits.requirements.models import RequirementSet, RequirementSetChange, TopicRequirement
from credits.requirements.services import (
    requirement_set_change_record,
    requirement_set_problems,
    requirement_set_save,
)


def _profession_choices() -> list[tuple[str, str]]:
    return list(Profession.objects.values_list("code", "name"))


class RequirementSetForm(forms.ModelForm):
    profession = forms.ChoiceField(choices=_profession_choices)
    accepted_credit_types = forms.MultipleChoiceField(
        choices=lambda: credit_type_catalog().choices(), widget=forms.CheckboxSelectMultiple,
        help_text="Credit types that count toward this requirement set.")
    source_url = forms.URLField(label="Source URL", required=False, max_length=300,
                                assume_scheme="https")

    class Meta:
        model = RequirementSet
        fields = ["name", "state", "profession", "effective_from", "is_active", "cycle_months",
                  "cycle_anchor", "total_credits", "live_minimum", "carry_over_maximum",
                  "accepted_credit_types", "source_note", "source_url", "source_read_on"]

    def clean(self):
        cleaned = super().clean()
        candidate = RequirementSet(**{name: value for name, value in cleaned.items()
                                      if name in {f.name for f in RequirementSet._meta.fields}})
        for field, problem in requirement_set_problems(candidate).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, problem)
        return cleaned


class TopicRequirementInline(admin.TabularInline):
    model = TopicRequirement
    extra = 1
    autocomplete_fields = ["topic"]


class RequirementSetChangeInline(SaveHistoryInline):
    model = RequirementSetChange


@admin.register(RequirementSet)
class RequirementSetAdmin(admin.ModelAdmin):
    form = RequirementSetForm
    inlines = [TopicRequirementInline, RequirementSetChangeInline]
    list_display = ["name", "state", "profession", "effective_from", "cycle_months",
                    "total_credits", "is_active", "updated_at"]
    list_filter = ["is_active", "state", "profession"]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "state", "profession", "effective_from", "is_active"]}),
        ("Rules", {"fields": ["cycle_months", "cycle_anchor", "total_credits", "live_minimum",
                              "carry_over_maximum", "accepted_credit_types"]}),
        ("Source", {"fields": ["source_note", "source_url", "source_read_on"]}),
    ]

    def save_model(self, request, obj, form, change) -> None:
        requirement_set_save(requirement_set=obj)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        requirement_set_change_record(requirement_set=form.instance, editor=request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Progress figures and their history name the set: the office makes one inactive.
        return False
