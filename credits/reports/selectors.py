"""Reads for the report pages: the export history and runs."""
from django.db.models import QuerySet

from courses.models import Course
from credits.reports.models import ExportRun


def export_history() -> QuerySet[ExportRun]:
    return ExportRun.objects.select_related("requested_by").order_by("-created_at", "-pk")


def export_runs_recent_for(*, user, limit: int = 5) -> list[ExportRun]:
    return list(ExportRun.objects.filter(requested_by=user).order_by("-created_at", "-pk")[:limit])


def course_directed_by(*, course_id: int, user) -> Course | None:
    return Course.objects.filter(pk=course_id, directors=user).first()
