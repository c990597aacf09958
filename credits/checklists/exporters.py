"""A unit's readiness matrix as rows, in the reports' exporter shape (CSV or XLSX)."""
from django import forms
from django.utils import timezone

from credits.checklists.models import Unit
from credits.checklists.readiness import readiness_matrix
from credits.reports.exporters.base import Exporter


class ReadinessForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), label="Unit")


class ReadinessExporter(Exporter):
    identifier = "unit_readiness"
    title = "Unit readiness"
    description = ("A unit's people and their skills checklists: valid, due soon, overdue, in "
                   "remediation, in progress or not started, with completion and expiry dates.")
    form_class = ReadinessForm
    filename_stem = "readiness"

    def filename(self, fmt: str, filters: dict) -> str:
        unit = filters["unit"]
        return f"{self.filename_stem}-unit-{getattr(unit, 'pk', unit)}.{fmt}"

    def estimate_rows(self, filters: dict) -> int:
        return filters["unit"].memberships.filter(is_manager=False).count()

    def rows(self, filters: dict):
        matrix = readiness_matrix(unit=filters["unit"], today=timezone.localdate())
        header = ["Learner name", "Email"]
        for checklist in matrix.checklists:
            header += [f"{checklist.title}: status", f"{checklist.title}: completed on",
                       f"{checklist.title}: valid until"]
        yield tuple(header)
        for row in matrix.rows:
            cells = [row.person.full_name, row.person.email]
            for cell in row.cells:
                cells += [str(cell.label),
                          cell.completed_on.isoformat() if cell.completed_on else "",
                          cell.expires_on.isoformat() if cell.expires_on else ""]
            yield tuple(cells)
