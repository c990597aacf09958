"""Reads for the report pages: the export history and runs."""
from django.db.models import QuerySet

from credits.reports.models import ExportRun


def export_history() -> QuerySet[ExportRun]:
    return ExportRun.objects.select_related("requested_by").order_by("-created_at", "-pk")


def export_runs_recent_for(*, user, limit: int = 5) -> list[ExportRun]:
    return list(ExportRun.objects.filter(requested_by=user).order_by("-created_at", "-pk")[:limit])
