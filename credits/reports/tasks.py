"""Background report exports: build a queued ExportRun into its stored file."""
from celery import shared_task
from django.db import OperationalError

from credits.reports import services

# A million-row export takes minutes; give it more than the default task time limit.
EXPORT_SOFT_TIME_LIMIT = 3300
EXPORT_TIME_LIMIT = 3500


@shared_task(bind=True, acks_late=True, max_retries=3, soft_time_limit=EXPORT_SOFT_TIME_LIMIT,
             time_limit=EXPORT_TIME_LIMIT)
def export_run_build(self, export_run_id: int) -> str:
    try:
        return services.export_run_build(export_run_id=export_run_id)
    except OperationalError as exc:  # the database went away before the run was claimed
        raise self.retry(exc=exc, countdown=min(30 * 2 ** self.request.retries, 600)) from exc
