"""Credit types in the Django admin: the CME office adds a profession's credit type, its wording
and where it is reported here, without a deploy; each save is kept in the type's history."""
from django import forms
from django.contrib import admin

from courses.credittypes.models import CreditType, CreditTypeChange, Profession
from courses.credittypes.selectors import credit_type_catalog
from courses.credittypes.services import credit_type_problems, credit_type_save
from courses.models import Course


class CreditTypeForm(forms.ModelForm):
    eligible_professions = forms.ModelMultipleChoiceField(
        queryset=Profession.objects.all(), widget=forms.CheckboxSelectMultiple, required=False,
        help_text="The professions who may claim it (Admin → Professions adds one).")
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
        professions = list(cleaned.get("eligible_professions") or [])
        for field, problem in credit_type_problems(candidate, professions=professions).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, problem)
        return cleaned


class SaveHistoryInline(admin.TabularInline):
    """A row's append-only history of saves, read-only under its change form (a model with
    `changed_at`, `changed_by` and `values`: credit types here, licence rules too)."""

    fields = ["changed_at", "changed_by", "values"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "history (each save, with the values it left)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class CreditTypeChangeInline(SaveHistoryInline):
    model = CreditTypeChange


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
        credit_type_save(credit_type=obj, editor=request.user,
                         eligible_professions=list(form.cleaned_data["eligible_professions"]))

    def save_related(self, request, form, formsets, change) -> None:
        # The service saved the professions with the type and its history row.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Credit awarded keeps its type; the office retires a type by making it not designable.
        return False


@admin.register(Profession)
class ProfessionAdmin(admin.ModelAdmin):
    """A profession and, read-only here, the credit types it may claim: those are ticked on
    each credit type's page, where the history is kept."""

    list_display = ["name", "code", "position", "ce_broker_code", "claimable_credit_types"]
    search_fields = ["name", "code"]
    fields = ["name", "code", "position", "ce_broker_code", "claimable_credit_types"]
    readonly_fields = ["claimable_credit_types"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("credit_types")

    def get_readonly_fields(self, request, obj=None):
        # Profiles and licences store the code: it cannot change under them.
        return ["code", "claimable_credit_types"] if obj is not None else ["claimable_credit_types"]

    @admin.display(description="credit types it may claim")
    def claimable_credit_types(self, obj) -> str:
        if obj.pk is None:
            return "Tick this profession on each credit type it may claim, once saved."
        own = ", ".join(credit_type.name for credit_type in obj.credit_types.all()) or "None yet"
        whole_team = ", ".join(info.name for info in credit_type_catalog().values()
                               if info.open_to_whole_team)
        return f"{own}; with the whole team: {whole_team}" if whole_team else own

    def has_delete_permission(self, request, obj=None) -> bool:
        # Profiles, licences and licence rules name professions by code: retire none.
        return False
