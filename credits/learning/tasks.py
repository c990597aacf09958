"""The learning-reminder tick beat runs every five minutes."""
from celery import shared_task

from accounts.services import outgoing_messages_dispatch
from credits.learning.reminders import claim_reminders_due_record, licence_deadlines_due_record


@shared_task(acks_late=True)
def learning_reminders_tick() -> dict[str, int]:
    """Every five minutes: credit-claim and licence-deadline reminders (day granularity)."""
    due = claim_reminders_due_record() + licence_deadlines_due_record()
    return {"due": due, "dispatched": outgoing_messages_dispatch()}
