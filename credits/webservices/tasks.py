"""Celery tasks for web-service reporting: send one submission (by id, idempotent), and the
hourly tick that sends what is due, re-sends learners' fixed rejections and polls the boards."""
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from accounts.services import outgoing_messages_dispatch
from credits.webservices import selectors, sending, services

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_ATTEMPTS - 1)
def submission_send(self, submission_id: int) -> str:
    """Send the submission once; a duplicate delivery or a second worker finds it sent and
    stops. Timeouts, an unreachable service and 5xx are retried with exponential backoff; after
    the last retry the row stays pending and the hourly tick tries again."""
    final = self.request.retries >= self.max_retries
    delay = settings.WEB_REPORTING_RETRY_SECONDS * 2 ** self.request.retries
    outcome = sending.submission_send(submission_id=submission_id,
                                      retry_in_seconds=None if final else delay)
    if outcome == "transient" and not final:
        logger.warning("Submission %s: transient error, retry in %ss", submission_id, delay)
        raise self.retry(countdown=delay)
    return outcome


@shared_task(acks_late=True)
def web_reporting_tick() -> dict:
    """Hourly: send what is pending (or left sent by a dead worker), send again what a learner
    fixed on their profile, and ask PARS for the boards' answers on MOC records."""
    if not (settings.PARS_URL or settings.CE_BROKER_URL):
        return {"queued": 0, "refixed": 0, "board_changes": 0}
    now = timezone.now()
    refixed = services.learner_fixes_resubmit()
    queued = 0
    for submission_id in selectors.submissions_to_send(now=now):
        submission_send.delay(submission_id)
        queued += 1
    board_changes = services.pars_board_statuses_poll(now=now)
    outgoing_messages_dispatch()
    return {"queued": queued, "refixed": refixed, "board_changes": board_changes}
