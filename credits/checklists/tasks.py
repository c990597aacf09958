"""Celery tasks of checklists: the completion record (PDF and transcript), idempotent."""
import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=4)
def checklist_record_issue(self, learner_checklist_id: int) -> str:
    from credits.checklists import services

    try:
        return services.checklist_record_issue_now(learner_checklist_id=learner_checklist_id)
    except Exception as exc:
        logger.exception("Issuing checklist record %s failed", learner_checklist_id)
        raise self.retry(exc=exc, countdown=10 * 2 ** self.request.retries) from exc


@shared_task(acks_late=True)
def checklists_tick() -> dict[str, int]:
    """Hourly: open the next cycle of expiring checklists, record and dispatch the reminders.
    Idempotent."""
    from accounts.services import outgoing_messages_dispatch
    from credits.checklists.expiry import checklist_revalidations_open

    counts = checklist_revalidations_open()
    counts["dispatched"] = outgoing_messages_dispatch()
    return counts
