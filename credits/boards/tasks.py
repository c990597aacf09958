"""Celery tasks for board reporting: submit one CPE Monitor report (by id, idempotent), and
the hourly tick that sends what is due and queues the office's daily digest."""
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from accounts.services import outgoing_messages_dispatch
from credits.boards import services
from credits.boards.selectors import board_reports_to_send

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_ATTEMPTS - 1)
def cpe_monitor_submit(self, report_id: int) -> str:
    """Submit the report once; a duplicate delivery or a second worker finds it sent and stops.
    Timeouts, unreachable service and 5xx answers are retried with exponential backoff; after
    the last retry the record stays pending and the hourly tick tries again."""
    final = self.request.retries >= self.max_retries
    delay = settings.CPE_MONITOR_RETRY_SECONDS * 2 ** self.request.retries
    outcome = services.cpe_monitor_submit(report_id=report_id,
                                         retry_in_seconds=None if final else delay)
    if outcome == "transient" and not final:
        logger.warning("CPE Monitor report %s: transient error, retry in %ss", report_id, delay)
        raise self.retry(countdown=delay)
    return outcome


@shared_task(acks_late=True)
def board_reports_tick() -> dict:
    """Hourly: send pending CPE Monitor reports (none without CPE_MONITOR_URL) and, once a
    day, email the CME office when anything is within 7 days of its deadline."""
    now = timezone.now()
    sent = 0
    if settings.CPE_MONITOR_URL:
        for report_id in board_reports_to_send(now=now):
            cpe_monitor_submit.delay(report_id)
            sent += 1
    digests = services.board_reports_digest_queue(today=timezone.localdate(now))
    outgoing_messages_dispatch()
    return {"queued_submissions": sent, "digests": digests}
