"""The one shape of every report (modelled on pretix's exporters).

An exporter names itself (`identifier`, `title`, `description`), declares a filter form and the
formats it offers, estimates how many rows a set of filters gives, and yields its rows: the
header first, then one tuple per row. Writers in `writers.py` turn rows into files.
"""
import datetime
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import IO, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.utils import pretty_name

from credits.reports.exporters import writers


class ExportFormat:
    CSV = "csv"
    XLSX = "xlsx"
    TAB = "txt"
    XML = "xml"

    LABELS: ClassVar[dict[str, str]] = {
        CSV: "CSV (comma-separated)",
        XLSX: "Excel workbook (XLSX)",
        TAB: "Tab-delimited text",
        XML: "XML",
    }
    CONTENT_TYPES: ClassVar[dict[str, str]] = {
        CSV: "text/csv; charset=utf-8",
        XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        TAB: "text/plain; charset=utf-8",
        XML: "application/xml; charset=utf-8",
    }


class Exporter:
    identifier: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    form_class: ClassVar[type[forms.Form]]
    formats: ClassVar[tuple[str, ...]] = (ExportFormat.CSV, ExportFormat.XLSX)
    filename_stem: ClassVar[str]

    @property
    def format_labels(self) -> list[str]:
        return [ExportFormat.LABELS[fmt] for fmt in self.formats]

    # --- filters --------------------------------------------------------------------------
    def bind_form(self, data=None) -> forms.Form:
        return self.form_class(data=data)

    def clean_filters(self, filters: dict) -> dict:
        """Validate stored filters again (the task runs later); raise ValidationError."""
        form = self.bind_form(filters)
        if not form.is_valid():
            raise ValidationError([
                f"{form.fields[name].label or pretty_name(name)}: {error}"
                if name in form.fields else error
                for name, errors in form.errors.items() for error in errors])
        return form.cleaned_data

    @staticmethod
    def serialize_filters(cleaned_data: dict) -> dict:
        """Cleaned form data as JSON the same form accepts again (dates ISO, objects by pk)."""
        serialized = {}
        for name, value in cleaned_data.items():
            if value in (None, "", [], ()):
                continue
            if isinstance(value, Model):
                value = value.pk
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            serialized[name] = value
        return serialized

    def describe_filters(self, filters: dict) -> str:
        """'Completed from: 2026-01-01; Course: Grand Rounds' for the export history."""
        form = self.bind_form()
        parts = []
        for name, value in filters.items():
            field = form.fields.get(name)
            if field is None:
                continue
            shown = value
            if isinstance(field, forms.ModelChoiceField):
                shown = field.queryset.filter(pk=value).first() or value
            elif isinstance(field, forms.ChoiceField):
                shown = str(dict(field.choices).get(value, value))
            parts.append(f"{field.label or pretty_name(name)}: {shown}")
        return "; ".join(parts) or "no filters"

    # --- rows -----------------------------------------------------------------------------
    def estimate_rows(self, filters: dict) -> int:
        raise NotImplementedError

    def rows(self, filters: dict) -> Iterator[Sequence]:
        raise NotImplementedError

    # --- files ----------------------------------------------------------------------------
    def filename(self, fmt: str, filters: dict) -> str:
        return f"{self.filename_stem}.{fmt}"

    def iter_bytes(self, fmt: str, filters: dict,
                   on_rows: Callable[[int], None] | None = None) -> Iterator[bytes]:
        """The export as a stream of bytes (CSV, tab-delimited); XLSX goes through write()."""
        if fmt == ExportFormat.CSV:
            return writers.iter_delimited(self.rows(filters), on_rows=on_rows)
        if fmt == ExportFormat.TAB:
            return writers.iter_delimited(self.rows(filters), delimiter="\t", on_rows=on_rows)
        raise ValueError(f"{fmt} cannot be streamed by {self.identifier}")

    def streams(self, fmt: str) -> bool:
        return fmt in (ExportFormat.CSV, ExportFormat.TAB)

    def write(self, fmt: str, filters: dict, out: IO[bytes],
              on_rows: Callable[[int], None] | None = None) -> None:
        if fmt == ExportFormat.XLSX:
            writers.write_xlsx(self.rows(filters), out, sheet_title=self.title,
                               on_rows=on_rows)
            return
        for chunk in self.iter_bytes(fmt, filters, on_rows=on_rows):
            out.write(chunk)


class DateRangeForm(forms.Form):
    """Shared 'completed between' filter with a check that the range runs forwards."""

    completed_from = forms.DateField(
        label="Completed from", required=False,
        widget=forms.DateInput(attrs={"type": "date"}))
    completed_to = forms.DateField(
        label="Completed to", required=False,
        widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("completed_from"), cleaned.get("completed_to")
        if start and end and start > end:
            raise ValidationError("The start date is after the end date; swap them or fix one.")
        return cleaned


def year_choices() -> list[tuple[int, int]]:
    this_year = datetime.date.today().year
    return [(year, year) for year in range(this_year, this_year - 8, -1)]


def split_full_name(full_name: str) -> tuple[str, str]:
    """Split 'Priya K. Raman' into ('Priya K.', 'Raman'): the portal stores one name field."""
    parts = full_name.strip().rsplit(" ", 1)
    if len(parts) == 1:
        return "", parts[0]
    return parts[0], parts[1]
