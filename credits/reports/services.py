"""Every write of report exports: start one, stream it, build it in the background, log it."""
import logging
import tempfile
import time
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cpd_portal.replica import each_from_replica, reading_from_replica
from credits.reports import tasks
from credits.reports.exporters import Exporter, exporter_get
from credits.reports.models import ExportRun

logger = logging.getLogger(__name__)

# Progress is written at most this often, so a million-row export costs a few hundred writes.
PROGRESS_INTERVAL_SECONDS = 0.5
PROGRESS_CACHE_SECONDS = 6 * 3600


def export_async_threshold() -> int:
    return getattr(settings, "EXPORT_ASYNC_THRESHOLD_ROWS", 50_000)


def export_start(*, exporter: Exporter, cleaned_filters: dict, fmt: str,
                 user: User, allow_background: bool = True) -> ExportRun:
    """Log an export and decide how it is delivered.

    Large exports (estimated at or over EXPORT_ASYNC_THRESHOLD_ROWS) are queued for a worker
    after commit; the rest are delivered in the request by `export_stream` or
    `export_build_in_request`. `allow_background=False` always delivers in the request (a
    course roster, which stays small).
    """
    if fmt not in exporter.formats:
        raise ValidationError(f"{exporter.title} cannot be exported as {fmt}.")
    filters = exporter.serialize_filters(cleaned_filters)
    estimate = exporter.estimate_rows(cleaned_filters)
    background = allow_background and estimate >= export_async_threshold()
    run = ExportRun.objects.create(
        exporter=exporter.identifier, filters=filters,
        filters_summary=exporter.describe_filters(filters)[:1000], format=fmt,
        delivery=ExportRun.Delivery.BACKGROUND if background else ExportRun.Delivery.STREAMED,
        requested_by=user, rows_total=estimate,
        status=ExportRun.Status.QUEUED if background else ExportRun.Status.RUNNING,
        started_at=None if background else timezone.now(),
    )
    if background:
        tasks.export_run_build.delay_on_commit(run.pk)
    return run


def _finish(run_id: int, *, rows: int) -> None:
    ExportRun.objects.filter(pk=run_id).update(
        status=ExportRun.Status.DONE, rows_done=rows, finished_at=timezone.now())


def _fail(run_id: int, *, error: str) -> None:
    ExportRun.objects.filter(pk=run_id).update(
        status=ExportRun.Status.FAILED, error=error[:2000], finished_at=timezone.now())


def export_stream(*, run: ExportRun, exporter: Exporter, cleaned_filters: dict) -> Iterator[bytes]:
    """The export's bytes for a StreamingHttpResponse; the log row is closed at the end."""
    rows = 0

    def count(done: int) -> None:
        nonlocal rows
        rows = done

    try:
        # Rows from the replica when there is one (docs/operations.md#read-replica), step by
        # step: the response streams after the view has returned.
        yield from each_from_replica(exporter.iter_bytes(run.format, cleaned_filters,
                                                         on_rows=count))
    except GeneratorExit:
        _fail(run.pk, error="The download was interrupted before it finished.")
        raise
    except Exception as error:
        logger.exception("Streaming export %s failed", run.pk)
        _fail(run.pk, error=f"{type(error).__name__}: {error}")
        raise
    _finish(run.pk, rows=rows)


def export_build_in_request(*, run: ExportRun, exporter: Exporter,
                            cleaned_filters: dict) -> tempfile.SpooledTemporaryFile:
    """Build a small export that cannot stream (XLSX) into a temporary file and return it."""
    rows = 0

    def count(done: int) -> None:
        nonlocal rows
        rows = done

    # Handed to the response, which closes it once sent.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    try:
        with reading_from_replica(fresh=True):
            exporter.write(run.format, cleaned_filters, out, on_rows=count)
    except Exception as error:
        _fail(run.pk, error=f"{type(error).__name__}: {error}")
        raise
    _finish(run.pk, rows=rows)
    out.seek(0)
    return out


def export_run_build(*, export_run_id: int) -> str:
    """Build a queued export into its stored file, reporting progress. Idempotent: a run that
    is done or failed is left alone; one another worker holds is skipped."""
    with transaction.atomic():
        run = (ExportRun.objects.select_for_update(skip_locked=True)
               .filter(pk=export_run_id).first())
        if run is None:
            return "locked-or-missing"
        if run.is_finished:
            return f"already-{run.status}"
        # A run found RUNNING was left by a worker that died; it is built again from scratch.
        run.status = ExportRun.Status.RUNNING
        run.started_at = timezone.now()
        run.rows_done = 0
        run.save(update_fields=["status", "started_at", "rows_done"])

    exporter = exporter_get(run.exporter)
    if exporter is None:
        _fail(run.pk, error=f"There is no report called {run.exporter!r} any more.")
        return "failed"
    last_report = 0.0

    def report_progress(done: int) -> None:
        nonlocal last_report
        now = time.monotonic()
        if now - last_report >= PROGRESS_INTERVAL_SECONDS:
            # To the cache, not the row: the export's connection may be busy with a COPY.
            export_progress_record(run_id=run.pk, rows_done=done)
            last_report = now

    try:
        cleaned_filters = exporter.clean_filters(run.filters)
        rows = 0

        def count(done: int) -> None:
            nonlocal rows
            rows = done
            report_progress(done)

        suffix = f".{run.format}"
        with tempfile.TemporaryFile(suffix=suffix) as out, reading_from_replica(fresh=True):
            exporter.write(run.format, cleaned_filters, out, on_rows=count)
            out.seek(0)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            name = exporter.filename(run.format, cleaned_filters).replace(
                suffix, f"-{stamp}{suffix}")
            run.file.save(name, File(out), save=False)
        ExportRun.objects.filter(pk=run.pk).update(
            file=run.file.name, status=ExportRun.Status.DONE, rows_done=rows,
            finished_at=timezone.now())
    except ValidationError as error:
        _fail(run.pk, error="The filters are no longer valid: " + " ".join(error.messages))
        return "failed"
    except Exception as error:
        logger.exception("Export run %s failed", run.pk)
        _fail(run.pk, error=f"The export failed ({type(error).__name__}). Try again, or ask "
                            f"the portal's administrators to look at the worker log.")
        return "failed"
    return "done"


def export_progress_record(*, run_id: int, rows_done: int) -> None:
    cache.set(ExportRun.progress_cache_key(run_id), rows_done, timeout=PROGRESS_CACHE_SECONDS)
