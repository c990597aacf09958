"""'Export selected to CSV': one admin action for every model, registered site-wide.

It goes through the exporter shape (credits.reports.exporters.admin_selection): cells escaped
by the shared writer, every export logged in ExportRun like the reports.
"""
from django.contrib import admin
from django.http import StreamingHttpResponse

from credits.reports.exporters.admin_selection import AdminSelectionExporter
from credits.reports.exporters.base import ExportFormat
from credits.reports.services import export_start, export_stream


@admin.action(description="Export selected to CSV", permissions=["view"])
def export_selected_to_csv(model_admin, request, queryset):
    exporter = AdminSelectionExporter(model_admin=model_admin, request=request)
    cleaned = {"queryset": queryset, "selected": queryset.count()}
    run = export_start(exporter=exporter, cleaned_filters=cleaned, fmt=ExportFormat.CSV,
                       user=request.user, allow_background=False)
    response = StreamingHttpResponse(
        export_stream(run=run, exporter=exporter, cleaned_filters=cleaned),
        content_type=ExportFormat.CONTENT_TYPES[ExportFormat.CSV])
    filename = exporter.filename(ExportFormat.CSV, cleaned)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
