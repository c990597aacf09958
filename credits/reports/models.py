"""The log of every report export, streamed or built in the background, with its file."""
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db import models


class ExportRun(models.Model):
    """One export: who asked for which report with which filters, and how it went.

    Small exports stream straight to the browser and are logged here as they finish; large ones
    are built by a Celery task into `file`, reporting progress in `rows_done`.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Delivery(models.TextChoices):
        STREAMED = "streamed", "Downloaded straight away"
        BACKGROUND = "background", "Built in the background"

    exporter = models.CharField(max_length=50, help_text="Identifier of the report.")
    filters = models.JSONField(default=dict, blank=True)
    filters_summary = models.CharField(max_length=1000, blank=True,
                                       help_text="The filters in words, as shown when exported.")
    format = models.CharField(max_length=10)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="export_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True,
                                             help_text="Estimated before the export started.")
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"], name="exportrun_newest_first"),
                   models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done", finished_at__isnull=True),
                name="exportrun_done_has_finished_at"),
        ]

    def __str__(self) -> str:
        return f"{self.exporter} ({self.format}) #{self.pk}"

    @property
    def exporter_title(self) -> str:
        from credits.reports.exporters import exporter_get

        exporter = exporter_get(self.exporter)
        return exporter.title if exporter else self.exporter

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @staticmethod
    def progress_cache_key(run_id: int) -> str:
        return f"export-run-progress:{run_id}"

    @cached_property
    def live_rows_done(self) -> int:
        """Rows written so far: a running export reports them to the cache, not to its row."""
        if self.status == self.Status.RUNNING:
            return cache.get(self.progress_cache_key(self.pk), self.rows_done)
        return self.rows_done

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.live_rows_done * 100 / self.rows_total))
