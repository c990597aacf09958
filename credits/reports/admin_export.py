"""'Export selected to CSV': one admin action for every model, registered site-wide.

The columns are what the change list shows (its list_display), so the office gets what it sees;
cells are escaped against formula injection by the shared writer, and every export is logged
in ExportRun like the reports.
"""
from django.contrib import admin
from django.contrib.admin.utils import label_for_field, lookup_field
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.text import capfirst, slugify

from credits.reports.exporters.base import ExportFormat
from credits.reports.exporters.writers import iter_delimited
from credits.reports.models import ExportRun


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
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    # Admin columns that render HTML (format_html) are reduced to their text; plain values such
    # as "Priya Raman <priya@hospital.example>" are kept as they are.
    return strip_tags(value) if isinstance(value, SafeData) else str(value)


@admin.action(description="Export selected to CSV", permissions=["view"])
def export_selected_to_csv(model_admin, request, queryset):
    model = queryset.model
    columns = _columns(model_admin, request)
    total = queryset.count()
    run = ExportRun.objects.create(
        exporter=f"admin:{model._meta.label_lower}", format=ExportFormat.CSV,
        delivery=ExportRun.Delivery.STREAMED, requested_by=request.user,
        status=ExportRun.Status.RUNNING, started_at=timezone.now(), rows_total=total,
        filters={"model": model._meta.label_lower, "selected": total},
        filters_summary=f"{total} selected {model._meta.verbose_name_plural} (Django admin)",
    )

    def rows():
        yield ["ID" if name == "pk" else capfirst(label_for_field(name, model, model_admin))
               for name in columns]
        for obj in queryset.iterator(chunk_size=2000):
            yield [_cell(name, obj, model_admin) for name in columns]

    def stream():
        done = 0

        def count(n):
            nonlocal done
            done = n

        yield from iter_delimited(rows(), on_rows=count)
        ExportRun.objects.filter(pk=run.pk).update(
            status=ExportRun.Status.DONE, rows_done=done, finished_at=timezone.now())

    response = StreamingHttpResponse(stream(), content_type=ExportFormat.CONTENT_TYPES["csv"])
    filename = f"{slugify(model._meta.verbose_name_plural)}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
