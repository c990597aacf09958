"""Forms of the report pages: the export format next to each exporter's own filter form."""
from django import forms

from credits.reports.exporters import Exporter, ExportFormat


class ExportFormatForm(forms.Form):
    format = forms.ChoiceField(label="File format", widget=forms.RadioSelect)

    def __init__(self, *args, exporter: Exporter, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["format"]
        field.choices = [(fmt, ExportFormat.LABELS[fmt]) for fmt in exporter.formats]
        field.initial = exporter.formats[0]
