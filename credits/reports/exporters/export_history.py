"""The export log itself as CSV: who exported which report, when, with which filters."""
from django import forms
from django.utils import timezone

from credits.reports.exporters.base import Exporter, ExportFormat
from credits.reports.models import ExportRun

HEADER = ("Export", "Report", "Filters", "Format", "Delivery", "Requested by",
          "Requested by email", "Requested at", "Status", "Rows", "Finished at", "Error")


class ExportHistoryExporter(Exporter):
    identifier = "export_history"
    title = "Export history"
    description = "Every report export with its filters, requester, delivery and outcome."
    form_class = forms.Form
    formats = (ExportFormat.CSV,)
    filename_stem = "export-history"

    def filename(self, fmt: str, filters: dict) -> str:
        return f"{self.filename_stem}-{timezone.localdate().isoformat()}.{fmt}"

    @staticmethod
    def _runs():
        # Downloads of the history itself are logged like any export but not listed in it, so
        # the file does not change by being downloaded.
        return (ExportRun.objects.exclude(exporter=ExportHistoryExporter.identifier)
                .select_related("requested_by").order_by("-created_at", "-pk"))

    def estimate_rows(self, filters: dict) -> int:
        return self._runs().count()

    def rows(self, filters: dict):
        from credits.reports.exporters import exporter_get

        yield HEADER
        for run in self._runs().iterator(chunk_size=2000):
            exporter = exporter_get(run.exporter)
            yield (run.pk, exporter.title if exporter else run.exporter, run.filters_summary,
                   run.format, run.get_delivery_display(), run.requested_by.full_name,
                   run.requested_by.email, timezone.localtime(run.created_at).isoformat(),
                   run.get_status_display(), run.rows_done,
                   timezone.localtime(run.finished_at).isoformat() if run.finished_at else "",
                   run.error)
