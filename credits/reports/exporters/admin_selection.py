"""The Django admin's "Export selected to CSV" as an exporter: the columns are what the change
list shows (its list_display), so the office gets what it sees."""
from django import forms
from django.contrib.admin.utils import label_for_field, lookup_field
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.text import capfirst, slugify

from credits.reports.exporters.base import Exporter, ExportFormat


def _columns(model_admin, request) -> list[str]:
    names = [name for name in model_admin.get_list_display(request)
             if name != "action_checkbox"]
    return ["pk", *[name for name in names if name != "pk"]]


def _cell(name: str, obj, model_admin):
    try:
        field, _attr, value = lookup_field(name, obj, model_admin)
    except (AttributeError, ValueError):
        return ""
    if field is not None and getattr(field, "flatchoices", None):
        value = dict(field.flatchoices).get(value, value)
        value = None if value is None else str(value)  # a lazily translated label
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    # Admin columns that render HTML (format_html) are reduced to their text; plain values such
    # as "Priya Raman <priya@hospital.example>" are kept as they are.
    return strip_tags(value) if isinstance(value, SafeData) else str(value)


class AdminSelectionExporter(Exporter):
    """One per request: its identifier names the model (`admin:credits.creditrecord`), and its
    filters are the selected queryset, logged as a count."""

    title = "Django admin selection"
    description = "The rows selected on a Django admin change list, with its columns."
    form_class = forms.Form
    formats = (ExportFormat.CSV,)

    def __init__(self, *, model_admin, request):
        self.model_admin, self.request = model_admin, request
        self.model = model_admin.model
        self.identifier = f"admin:{self.model._meta.label_lower}"
        self.filename_stem = slugify(self.model._meta.verbose_name_plural)

    def filename(self, fmt: str, filters: dict) -> str:
        return f"{self.filename_stem}-{timezone.localdate():%Y%m%d}.{fmt}"

    def serialize_filters(self, cleaned_data: dict) -> dict:
        return {"model": self.model._meta.label_lower, "selected": cleaned_data["selected"]}

    def describe_filters(self, filters: dict) -> str:
        return (f"{filters['selected']} selected {self.model._meta.verbose_name_plural} "
                "(Django admin)")

    def estimate_rows(self, filters: dict) -> int:
        return filters["selected"]

    def rows(self, filters: dict):
        columns = _columns(self.model_admin, self.request)
        yield ["ID" if name == "pk" else capfirst(label_for_field(name, self.model,
                                                                   self.model_admin))
               for name in columns]
        for obj in filters["queryset"].iterator(chunk_size=2000):
            yield [_cell(name, obj, self.model_admin) for name in columns]
