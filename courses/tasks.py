"""Celery tasks of the courses app: the session-reminder tick beat runs every minute."""
from celery import shared_task

from accounts.services import outgoing_messages_dispatch
from courses.reminders import session_reminders_due_record


@shared_task(acks_late=True)
def session_reminders_tick() -> dict[str, int]:
    """Every minute: session reminders and the re-queue of anything left undelivered."""
    due = session_reminders_due_record()
    return {"due": due, "dispatched": outgoing_messages_dispatch()}
