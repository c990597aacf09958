"""Celery tasks for virtual attendance: register learners with Zoom, pull a meeting's report
(retried on 429, 5xx and timeouts, after Retry-After when the service gives one), and the beat
tick that registers late enrolments and pulls each report a second time."""
import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from credits.virtual.errors import ProviderUnavailable

logger = logging.getLogger(__name__)
MAX_RETRIES = 5


def _retry_countdown(error: ProviderUnavailable, retries: int) -> float:
    return error.retry_after or settings.VIRTUAL_RETRY_SECONDS * 2 ** retries


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def meeting_registrants_register(self, meeting_id: int) -> int:
    """Register the meeting's pending learners; a second delivery finds none pending."""
    from credits.virtual import services

    try:
        return services.meeting_registrants_register_now(meeting_id=meeting_id)
    except ProviderUnavailable as error:
        if self.request.retries >= self.max_retries:
            logger.warning("Zoom registrants of meeting %s: giving up (%s)", meeting_id, error)
            return 0
        raise self.retry(countdown=_retry_countdown(error, self.request.retries)) from error


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def virtual_meeting_pull(self, meeting_id: int, reason: str) -> str:
    """Pull the report into attendance; a repeated pull writes nothing new."""
    from credits.virtual import services

    try:
        pull = services.meeting_report_pull_now(meeting_id=meeting_id, reason=reason)
    except ProviderUnavailable as error:
        if self.request.retries >= self.max_retries:
            logger.warning("Report of meeting %s: giving up (%s)", meeting_id, error)
            return "gave up"
        raise self.retry(countdown=_retry_countdown(error, self.request.retries)) from error
    return pull.outcome


@shared_task(acks_late=True)
def virtual_meetings_tick() -> dict:
    """Every 5 minutes: register learners who enrolled since (Zoom), pull the report of
    meetings that ended without a webhook (Teams sends none), and pull every report once more
    VIRTUAL_REPORT_REPULL_MINUTES after its first pull."""
    from credits.virtual import selectors, services

    now = timezone.now()
    registered = sum(services.meeting_registrants_ensure(meeting=meeting)
                     for meeting in selectors.meetings_to_register(now=now))
    pulls = 0
    for meeting_id, reason in selectors.meetings_to_pull(
            now=now, providers=services.configured_providers(), repull_after=datetime.timedelta(
                minutes=settings.VIRTUAL_REPORT_REPULL_MINUTES)):
        virtual_meeting_pull.delay(meeting_id, reason)
        pulls += 1
    return {"registrants": registered, "pulls": pulls}
