"""The catalog's search and filter form (a GET form: every filter is part of the URL)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import profession_choices
from courses.credittypes.selectors import credit_type_catalog
from courses.models import Course, Specialty
from courses.selectors.catalog import CatalogSort


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search courses"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={
                            "type": "search",
                            "placeholder": _("Topic or title, e.g. opioid prescribing")}))
    specialty = forms.ModelChoiceField(label=_("Specialty"), queryset=Specialty.objects.all(),
                                       required=False, empty_label=_("Any specialty"),
                                       to_field_name="slug")
    format = forms.ChoiceField(label=_("Format"),
                               choices=[("", _("Any format")), *Course.Format.choices],
                               required=False)
    profession = forms.ChoiceField(label=_("For profession"),
                                   choices=lambda: [("", _("Any profession")),
                                                    *profession_choices()],
                                   required=False)
    credit_type = forms.ChoiceField(label=_("Credit type"),
                                    choices=lambda: [("", _("Any credit")),
                                                     *credit_type_catalog().choices()],
                                    required=False)
    starts_from = forms.DateField(label=_("Sessions from"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    starts_until = forms.DateField(label=_("Sessions until"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    has_free_seats = forms.BooleanField(label=_("Only with free seats"), required=False)
    include_past = forms.BooleanField(label=_("Include past activities"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=CatalogSort.CHOICES, required=False)

    def __init__(self, *args, specialties: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        if specialties is not None:  # already read (slug, name): the widget needs no query
            self.fields["specialty"].choices = [("", _("Any specialty")), *specialties]

    FILTER_FIELDS = ("specialty", "format", "profession", "credit_type", "starts_from",
                     "starts_until", "has_free_seats", "include_past")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_from"), cleaned.get("starts_until")
        if start and end and end < start:
            self.add_error("starts_until", _("Choose an end date on or after the start date."))
        return cleaned

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(field name, label, value shown) for each filter in use, to suggest removing one."""
        if not self.is_valid():
            return []
        active = []
        for name in self.FILTER_FIELDS:
            value = self.cleaned_data.get(name)
            if not value:
                continue
            field = self[name]
            shown = _("yes") if value is True else str(value)
            if hasattr(field.field, "choices") and not isinstance(value, Specialty):
                shown = dict(field.field.choices).get(value, shown)
            active.append((name, field.label, shown))
        return active
