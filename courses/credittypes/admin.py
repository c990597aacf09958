"""Credit types in the Django admin: the CME office adds a profession's credit type, its wording
and where it is reported here, without a deploy; each save is kept in the type's history."""
from django import forms
from django.contrib import admin

from accounts.choices import Profession
from courses.credittypes.models import CreditType, CreditTypeChange
from courses.credittypes.services import credit_type_problems, credit_type_save
from courses.models import Course


class CreditTypeForm(forms.ModelForm):
    eligible_professions = forms.MultipleChoiceField(
        choices=Profession.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text="The professions who may claim it.")
    formats = forms.MultipleChoiceField(
        choices=Course.Format.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Activity formats that may carry it; none ticked: every format.")
    source_url = forms.URLField(label="Source URL", required=False, max_length=300,
                                assume_scheme="https")

    class Meta:
        model = CreditType
        fields = ["name", "code", "accreditor", "is_active", "position", "unit_singular",
                  "unit_plural", "statement", "open_to_whole_team", "eligible_professions",
                  "step", "max_per_hour", "formats", "identifier_label", "reported_to",
                  "source_url", "source_note"]

    def clean(self):
        cleaned = super().clean()
        candidate = CreditType(**{name: value for name, value in cleaned.items()
                                  if name in {f.name for f in CreditType._meta.fields}})
        for field, problem in credit_type_problems(candidate).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, problem)
        return cleaned


class CreditTypeChangeInline(admin.TabularInline):
    model = CreditTypeChange
    fields = ["changed_at", "changed_by", "values"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "history (each save, with the values it left)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CreditType)
class CreditTypeAdmin(admin.ModelAdmin):
    form = CreditTypeForm
    inlines = [CreditTypeChangeInline]
    list_display = ["name", "code", "reported_to", "is_active", "position", "updated_at"]
    list_filter = ["is_active", "reported_to"]
    search_fields = ["name", "code", "accreditor"]
    fieldsets = [
        (None, {"fields": ["name", "code", "accreditor", "is_active", "position"]}),
        ("Wording", {"fields": ["unit_singular", "unit_plural", "statement"]}),
        ("Who may claim it and how much", {"fields": [
            "open_to_whole_team", "eligible_professions", "step", "max_per_hour", "formats",
            "identifier_label"]}),
        ("Reporting and sources", {"fields": ["reported_to", "source_url", "source_note"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Designations and credit records store the code: it cannot change under them.
        return ["code"] if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:
        credit_type_save(credit_type=obj, editor=request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Credit awarded keeps its type; the office retires a type by making it not designable.
        return False
