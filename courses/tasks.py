"""Celery tasks of the courses app, run by beat every minute: session reminders, and moving
each course's stored next session on as sessions start."""
from celery import shared_task

from accounts.services import outgoing_messages_dispatch
from courses.reminders import session_reminders_due_record
from courses.session_dates import course_session_dates_sweep


@shared_task(acks_late=True)
def session_reminders_tick() -> dict[str, int]:
    """Every minute: session reminders and the re-queue of anything left undelivered."""
    due = session_reminders_due_record()
    return {"due": due, "dispatched": outgoing_messages_dispatch()}


@shared_task(acks_late=True)
def course_session_dates_tick() -> dict[str, int]:
    """Every minute: courses whose next session has started show the one after it."""
    return {"moved_on": course_session_dates_sweep()}
